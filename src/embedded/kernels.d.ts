/** build/kernels.wasm as base64; dist/embedded/kernels.js is written by scripts/embed-browser.mjs after tsc. */
declare const base64: string;
export default base64;
