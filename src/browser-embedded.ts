/**
 * wasm-mp for browsers, self-contained (`wasm-mp/embedded`, and the package's "browser" condition
 * for bundlers that set no mode condition, such as esbuild): the API of browser.ts with the worker
 * script and the .wasm embedded, so the bundle needs no other file and the bundler need not follow
 * `new URL("…", import.meta.url)` (there is no import.meta in this entry's modules). The costs:
 * about 40 KiB more JavaScript (loaded when the first pool starts, where the bundler splits
 * code), and workers from a Blob URL, which a Content-Security-Policy must allow
 * (`worker-src blob:`). docs/browser.md, "Bundlers".
 */
import { installBrowserPlatform } from "./platform/browser.js";

installBrowserPlatform(async () => (await import("./platform/browser-embedded.js")).embeddedFiles);
export * from "./browser-api.js";
