/**
 * Where build/kernels.wasm lies, next to this module's package: Node reads it from the file,
 * and bundlers that follow `new URL("…", import.meta.url)` (Vite, webpack, Parcel) emit the file
 * and rewrite this URL to where they put it. The embedded browser entry never imports this
 * module (docs/browser.md, "Bundlers").
 */
export const KERNELS_URL = new URL("../../build/kernels.wasm", import.meta.url);
