/**
 * wasm-mp for browsers (the "browser" condition of the package's exports, for bundlers that set a
 * mode condition: Vite, webpack, Rollup's node-resolve; and the "browser" field, for Parcel): the
 * same API as index.ts, with Web Workers instead of tinypool. The worker script and the .wasm are
 * files the bundler emits, found through `new URL("…", import.meta.url)`, or embedded copies
 * where the bundler did not follow that form (platform/browser-files.ts).
 */
import { installBrowserPlatform } from "./platform/browser.js";

// where the files are is decided when the first pool starts, in a chunk loaded then
installBrowserPlatform(async () => (await import("./platform/browser-files.js")).loadBrowserFiles());
export * from "./browser-api.js";
