/**
 * What differs between Node and browsers, behind one interface: how many cores, how the
 * kernels' .wasm is fetched, and which backend runs tasks. The package's entry point
 * (index.ts for Node, browser.ts for browsers) installs its platform on import, so the pool,
 * the planners and the workloads stay platform-neutral.
 */
import type { Backend } from "./backend.js";
import type { WorkerSetup } from "./worker-setup.js";

export interface BackendInit {
  size: number;
  memory: WebAssembly.Memory;
  /** What each worker does before its first task (worker-setup.ts). */
  setup: WorkerSetup;
  /** Byte offset of the Int32 counter each worker increments once ready (see ready.ts). */
  readyCounter: number;
  /** Byte offset of the per-worker statistics block (see stats.ts). */
  statsOffset: number;
}

export interface Platform {
  readonly name: "node" | "browser";
  availableParallelism(): number;
  /** The bundled kernels, compiled (once per process). */
  loadKernels(): Promise<WebAssembly.Module>;
  /** The workers (a promise where the backend's code loads on first use, as in browsers). */
  createBackend(init: BackendInit): Backend | Promise<Backend>;
  /** Resolves a file path given by the user (a user's module, a host-imports module). Default: relative to the page. */
  resolvePath?(path: string): URL;
  /**
   * Compiles a user's module with the optimizing compiler only, so that its first call does not
   * run baseline code (a long call stays in the tier it started in). Default: WebAssembly.compile.
   */
  compileOptimized?(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module>;
  /** Reads a user's module. Default: fetch(). */
  readBytes?(url: URL): Promise<Uint8Array>;
  /**
   * Instantiates a compiled module once, away from the pool, and reports what instantiation
   * wrote beyond the reserved bytes (module-probe.ts). Absent where no such worker can be had
   * (browsers): there a module with static data fails when it overwrites the pool's words.
   */
  probeModule?(module: WebAssembly.Module, maxPages: number, hostImports: string | undefined, timeoutMs: number): Promise<import("./module-probe.js").ProbeReply>;
}

let installed: Platform | undefined;

export function setPlatform(platform: Platform): void {
  installed = platform;
}

export function platform(): Platform {
  if (!installed) throw new Error("wasm-mp: no platform installed; import the package entry ('wasm-mp'), not its internal modules");
  return installed;
}
