/**
 * The browser platform: navigator.hardwareConcurrency, the .wasm fetched from KERNELS_URL
 * (bundlers rewrite its `new URL(…, import.meta.url)` to where they put the file), and Web Workers. On a page that is not
 * cross-origin isolated the workers cannot share memory; the pool then runs what it can on their
 * private memories and the rest in the calling thread, and says once, on the console, which
 * headers would change that.
 */
import { messageOf } from "../errors.js";
import { KERNELS_URL } from "../kernels/module.js";
import { setPlatform, type Platform } from "./platform.js";

export const ISOLATION_HEADERS = "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp";

/** `load` run once and its promise kept, unless it fails: then a later pool may try again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => { loading = undefined; });
    }
    return loading;
  };
}

const compiledKernels = once(compileKernels);
// the Web Worker backend loads when the first pool starts (docs/browser.md, code splitting),
// fetched while the kernels compile
const loadWebBackend = once(() => import("./web-backend.js"));

export const browserPlatform: Platform = {
  name: "browser",
  availableParallelism: () => Math.max(1, navigator.hardwareConcurrency || 1),
  loadKernels() {
    void loadWebBackend();
    return compiledKernels();
  },
  async createBackend(init) {
    const { WebWorkerBackend, warnNotIsolated } = await loadWebBackend();
    const isolated = globalThis.crossOriginIsolated === true;
    if (!isolated) warnNotIsolated(ISOLATION_HEADERS);
    return new WebWorkerBackend(init, isolated);
  },
};

async function compileKernels(): Promise<WebAssembly.Module> {
  assertSharedMemory();
  const url = KERNELS_URL;
  if (typeof WebAssembly.compileStreaming === "function") {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch {
      // servers that send .wasm without Content-Type application/wasm: compile from the bytes
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasm-mp: could not fetch its kernels from ${url.href}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * The kernels import a shared memory. Chromium creates one on any page (only posting it to a
 * worker needs cross-origin isolation); a browser that refuses gets this error, not a LinkError.
 */
function assertSharedMemory(): void {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    throw new Error(`wasm-mp: this browser cannot create a shared WebAssembly.Memory on this page (${messageOf(e)}); ` +
      `serve the page with the headers ${ISOLATION_HEADERS}`, { cause: e });
  }
}

setPlatform(browserPlatform);
