/**
 * The kernels and the worker script embedded in the bundle, for bundlers that do not follow
 * `new URL("…", import.meta.url)` (esbuild, Rollup without plugins): the .wasm inlined as base64
 * and the worker script as a string, both written at build time by scripts/embed-browser.mjs
 * into dist/embedded/. Each is a module imported on first use, so a bundler that splits code
 * fetches it only when the first pool starts. Workers start from a Blob URL: a
 * Content-Security-Policy must allow `worker-src blob:` (docs/browser.md, "Bundlers").
 */
import type { BrowserFiles } from "./browser.js";

/** The Blob URL of the worker script, made once per page: every worker of every pool runs it. */
let workerUrl: string | undefined;

export const embeddedFiles: BrowserFiles = {
  async compileKernels() {
    const { default: base64 } = await import("../embedded/kernels.js");
    return WebAssembly.compile(decodeBase64(base64));
  },
  async workerStarter() {
    const { default: source } = await import("../embedded/worker.js");
    workerUrl ??= URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const url = workerUrl;
    return {
      start: (name) => new Worker(url, { type: "module", name }),
      hint: "it runs from a blob: URL; does the page's Content-Security-Policy allow worker-src blob:?",
    };
  },
};

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
