/**
 * The browser platform: navigator.hardwareConcurrency, the kernels compiled from wherever the
 * entry keeps them, and Web Workers. The two browser entries differ only in where the worker
 * script and the .wasm are (docs/browser.md, "Bundlers"): files that bundlers emit
 * (browser-files.ts) or copies embedded in the bundle (browser-embedded.ts); each entry hands a
 * loader of its `BrowserFiles` to `installBrowserPlatform`. On a page that is not cross-origin isolated the
 * workers cannot share memory; the pool then runs what it can on their private memories and the
 * rest in the calling thread, and says once, on the console, which headers would change that.
 */
import { messageOf } from "../errors.js";
import type { WorkerStarter } from "./web-backend.js";
import { setPlatform } from "./platform.js";

export const ISOLATION_HEADERS = "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp";

/** Where an entry keeps the kernels and the worker script. */
export interface BrowserFiles {
  /** The kernels, compiled; called once per page (again only after a failure). */
  compileKernels(): Promise<WebAssembly.Module>;
  /** What starts a worker; called once per page (again only after a failure). */
  workerStarter(): Promise<WorkerStarter>;
}

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

/**
 * Installs the browser platform. `loadFiles` imports the entry's BrowserFiles: a chunk of its own
 * (with a bundler that splits code), fetched when the first pool starts, with the backend.
 */
export function installBrowserPlatform(loadFiles: () => Promise<BrowserFiles>): void {
  const files = once(loadFiles);
  const compiledKernels = once(async () => {
    assertSharedMemory();
    return (await files()).compileKernels();
  });
  // the Web Worker backend loads when the first pool starts (docs/browser.md, code splitting),
  // fetched while the kernels compile
  const loadWebBackend = once(() => import("./web-backend.js"));
  const loadStarter = once(async () => (await files()).workerStarter());
  setPlatform({
    name: "browser",
    availableParallelism: () => Math.max(1, navigator.hardwareConcurrency || 1),
    loadKernels() {
      void loadWebBackend();
      void loadStarter();
      return compiledKernels();
    },
    async createBackend(init) {
      const [{ WebWorkerBackend, warnNotIsolated }, starter] = await Promise.all([loadWebBackend(), loadStarter()]);
      const isolated = globalThis.crossOriginIsolated === true;
      if (!isolated) warnNotIsolated(ISOLATION_HEADERS);
      return new WebWorkerBackend(init, isolated, starter);
    },
  });
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
