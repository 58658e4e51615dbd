// After tsc: writes the embedded browser entry's two generated modules (src/embedded/*.d.ts say
// what they export): dist/embedded/kernels.js, build/kernels.wasm as base64, and
// dist/embedded/worker.js, dist/platform/web-worker.js with everything it imports bundled by esbuild
// into one module script with no imports, to be started from a Blob URL.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const out = new URL("dist/embedded/", root);
mkdirSync(out, { recursive: true });

const wasm = readFileSync(new URL("build/kernels.wasm", root));
writeFileSync(new URL("kernels.js", out),
  `// build/kernels.wasm (${wasm.length} bytes) as base64, written by scripts/embed-browser.mjs\nexport default ${JSON.stringify(wasm.toString("base64"))};\n`);

const worker = await build({
  entryPoints: [new URL("dist/platform/web-worker.js", root).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  write: false,
  logLevel: "warning",
});
const code = worker.outputFiles[0].text;
if (/\bimport\s*[{*"']|\bimport\.meta\b|\bexport\s*[{*]/.test(code)) {
  throw new Error("scripts/embed-browser.mjs: the bundled worker script still has an import, an export or import.meta");
}
writeFileSync(new URL("worker.js", out),
  `// dist/platform/web-worker.js bundled by esbuild (${code.length} bytes), written by scripts/embed-browser.mjs\nexport default ${JSON.stringify(code)};\n`);
