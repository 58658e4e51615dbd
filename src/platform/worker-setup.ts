/**
 * What every worker does once, before its first task, written once for both worker entries
 * (node-worker.ts, web-worker.ts) and the calling thread: get the kernels (instantiate the wasm
 * module over the pool's memory, or load a JS module of kernels), warm the bundled kernels up,
 * and run the pool's initializer kernel (PoolOptions.initializer), replacements included.
 */
import { loadJsKernels } from "../kernels/js-kernels.js";
import { moduleImports } from "../kernels/host-imports.js";
import { warmUp } from "../kernels/warm-up.js";
import { warmUpItemLoops } from "./item-loops.js";
import type { KernelExports } from "./task.js";

export interface WorkerSetup {
  /** The wasm module to instantiate; absent for JS kernels. */
  module?: WebAssembly.Module;
  /** URL of a JS module of kernels, in place of `module`. */
  jsKernels?: string;
  /** URL of the JS module supplying a user's module's other imports. */
  hostImports?: string;
  /** Warm the bundled kernels up by calling them. */
  warmUp: boolean;
  /** Warm the batch item loops up (item-loops.ts): pools whose users' kernels map items, with the pool's path warm-up. */
  warmItemLoops?: boolean;
  /** A kernel run once in each worker before its first task, with initArgs. */
  initializer?: string;
  initArgs?: number[];
  /** Tasks a worker runs before it is replaced (PoolOptions.maxTasksPerWorker, retire.ts); absent: no limit. */
  maxTasks?: number;
}

/** The kernels of one thread, ready for tasks. Throws what instantiation or the initializer threw. */
export async function setUpKernels(setup: WorkerSetup, memory: WebAssembly.Memory): Promise<KernelExports> {
  const exports: KernelExports = setup.jsKernels !== undefined
    ? await loadJsKernels(setup.jsKernels, memory)
    : (await WebAssembly.instantiate(setup.module!, await moduleImports(memory, setup.hostImports))).exports;
  if (setup.warmUp) await warmUp(exports as WebAssembly.Exports);
  // item functions of ours only: a user's first map then finds the loops optimized
  if (setup.warmItemLoops) warmUpItemLoops();
  if (setup.initializer !== undefined) {
    try {
      await (exports[setup.initializer] as (...a: number[]) => unknown)(...(setup.initArgs ?? []));
    } catch (e) {
      throw new Error(`the initializer ${setup.initializer} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return exports;
}
