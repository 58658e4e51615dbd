/**
 * Where the default browser entry (browser.ts) finds the worker script and the .wasm: files of
 * the package, named with `new URL("…", import.meta.url)`, the form Vite, webpack and Parcel
 * follow (they emit both files and rewrite the URLs to where they put them); without a bundler
 * the URLs resolve next to this module in node_modules/wasm-mp/dist. A bundler that does not
 * follow the form (Rollup with node-resolve, esbuild told to use the "production" condition)
 * leaves the URLs pointing beside its bundle, where nothing is: then the embedded copies are used
 * (browser-embedded.ts), loaded on first use.
 */
import { KERNELS_URL } from "../kernels/url.js";
import type { BrowserFiles } from "./browser.js";

const packageFiles: BrowserFiles = {
  async compileKernels() {
    if (typeof WebAssembly.compileStreaming === "function") {
      try {
        return await WebAssembly.compileStreaming(fetch(KERNELS_URL));
      } catch {
        // servers that send .wasm without Content-Type application/wasm: compile from the bytes
      }
    }
    const response = await fetch(KERNELS_URL);
    if (!response.ok) throw new Error(`wasm-mp: could not fetch its kernels from ${KERNELS_URL.href}: HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  },
  async workerStarter() {
    return {
      // this exact form (the URL's literal inside new Worker) lets Vite, webpack and Parcel find
      // and bundle the worker script
      start: (name) => new Worker(new URL("./web-worker.js", import.meta.url), { type: "module", name }),
      hint: "is its script, web-worker.js, served as JavaScript?",
    };
  },
};

/**
 * Whether the URLs name real files. A bundler that follows the form renames the .wasm (Vite
 * `assets/kernels-[hash].wasm`, webpack `[hash].wasm`, Parcel `kernels.[hash].wasm`). Unbundled,
 * the name is the package's, and so is this module's URL. A bundler that does not follow the form
 * keeps the name but moves this module into its bundle: only then is the file missing.
 */
function urlsFollowed(): boolean {
  const unbundled = import.meta.url.endsWith("/dist/platform/browser-files.js");
  return unbundled || !KERNELS_URL.pathname.endsWith("/build/kernels.wasm");
}

/** The package's files, or the embedded copies (a chunk of their own, which a page whose bundler followed the URLs never loads). */
export async function loadBrowserFiles(): Promise<BrowserFiles> {
  return urlsFollowed() ? packageFiles : (await import("./browser-embedded.js")).embeddedFiles;
}
