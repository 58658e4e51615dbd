// The example app: `npx vite examples/browser` (dev) or `npx vite build examples/browser`.
// main.js imports "wasm-mp" by name: inside this package that is the package itself (Node's
// self-reference, which Vite follows), through its exports' "browser" condition, so the built
// dist/ is what runs (`npm run build` first), as in an application that installed it from npm.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Cross-origin isolation: without these headers the workers cannot share memory. */
export const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Vite's dev-time pre-bundling would move the package away from its worker script and .wasm
  optimizeDeps: { exclude: ["wasm-mp"] },
  // two pages: the workloads (index.html) and the benchmark (bench.html)
  build: { rollupOptions: { input: { main: fileURLToPath(new URL("index.html", import.meta.url)), bench: fileURLToPath(new URL("bench.html", import.meta.url)) } } },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
