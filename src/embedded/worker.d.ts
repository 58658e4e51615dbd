/**
 * platform/web-worker.js and everything it imports, bundled into one self-contained module script (no
 * imports, no import.meta); dist/embedded/worker.js is written by scripts/embed-browser.mjs after tsc.
 */
declare const source: string;
export default source;
