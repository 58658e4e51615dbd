/** A pool's options and limits, in a module of their own: the workloads' checks and the start-up import them without the pool. */
import type { ModuleSource } from "./user-module.js";

export const MAX_WORKERS = 256;
export const DEFAULT_START_TIMEOUT_MS = 30_000;

export interface PoolOptions {
  /** Worker threads, 1–256. Default: availableParallelism(). */
  workers?: number;
  /** Largest size the shared memory may grow to, in bytes. Default and maximum: 4 GiB. */
  maxMemory?: number;
  /** Warm the bundled kernels up in each worker before its first task. Default true. */
  warmUp?: boolean;
  /**
   * The module whose exports are the kernels. Default: the bundled kernels. Else a user's module
   * built against an imported shared memory: a WebAssembly.Module, its bytes, or a path or URL
   * of the .wasm file (docs/pool.md, "Your own kernels").
   */
  module?: ModuleSource;
  /**
   * Path or URL of a JS module supplying more imports to a user's module: its default export is
   * called with the pool's memory in every worker and returns an imports object, e.g.
   * `{ env: { log: (x) => console.log(x) } }`.
   */
  hostImports?: string | URL;
  /** Milliseconds the workers may take to start (instantiate the module and warm it up). Default 30 000. */
  startTimeoutMs?: number;
  /**
   * A kernel (an export of the module) run once in each worker before its first task, a worker
   * that replaces a dead one included, and in the calling thread (Python's Pool initializer).
   * A throw fails createPool.
   */
  initializer?: string;
  /** The initializer's arguments (numbers: pointers into the pool's memory are byte offsets). */
  initArgs?: number[];
  /**
   * Python's maxtasksperchild: a worker is replaced by a fresh one (its initializer runs again)
   * after this many tasks, an integer ≥ 1. A call, a team member or an iterate lane is one task;
   * so is each part (chunkSize items) of a map, and each part of a range job. Results never
   * depend on it. Default: no limit.
   */
  maxTasksPerWorker?: number;
}
