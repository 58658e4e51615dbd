/**
 * A pool's start-up (Pool.create), loaded on first use: checks the options, loads and checks
 * the module, makes the memory and the workers, and waits until every worker is ready — then
 * instantiates the module in the calling thread too.
 */
import { WorkerError, invalid } from "../errors.js";
import { SharedArena, MAX_MEMORY_BYTES, PAGE_BYTES } from "../memory/arena.js";
import type { Backend } from "../platform/backend.js";
import type { InlineBackend } from "../platform/inline-backend.js";
import { platform } from "../platform/platform.js";
import { READY_WORDS, waitUntilReady } from "../platform/ready.js";
import { STATS_FIELDS, STATS_SLOTS } from "../platform/stats.js";
import { isJsModule, loadJsKernels } from "../kernels/js-kernels.js";
import * as check from "../validate.js";
import { DEFAULT_START_TIMEOUT_MS, MAX_WORKERS, type PoolOptions } from "./pool-options.js";

let userModules: typeof import("./user-module.js") | undefined;

const POOL_KEYS = ["workers", "maxMemory", "warmUp", "module", "hostImports", "startTimeoutMs", "initializer", "initArgs", "maxTasksPerWorker"];

export interface Started {
  /**
   * Warm the pool's own task path up (path-warm-up.ts): warmUp, no maxTasksPerWorker (whose
   * budgets it would spend), and in Node only — a browser page loads map's code only for a page
   * that maps (its chunks load on first use), and was not measured.
   */
  warmPath: boolean;
  /** The wasm module; undefined for JS kernels. */
  module: WebAssembly.Module | undefined;
  arena: SharedArena;
  backend: Backend;
  inline: InlineBackend;
  ready: Int32Array;
  stats: Float64Array;
}

export async function startPool(options: PoolOptions = {}): Promise<Started> {
  const o = check.options<PoolOptions>("createPool", options);
  check.knownKeys("createPool", o, POOL_KEYS);
  const host = platform();
  const workers = check.optionalInteger("workers", o.workers, 1, MAX_WORKERS, host.availableParallelism());
  const maxMemory = check.optionalInteger("maxMemory", o.maxMemory, 131072, MAX_MEMORY_BYTES, MAX_MEMORY_BYTES);
  const warmUp = check.optionalBoolean("warmUp", o.warmUp, true);
  const startTimeoutMs = check.optionalTimeout("startTimeoutMs", o.startTimeoutMs) ?? DEFAULT_START_TIMEOUT_MS;
  const maxTasks = o.maxTasksPerWorker === undefined ? undefined : check.integer("maxTasksPerWorker", o.maxTasksPerWorker, 1, 2 ** 31 - 1);
  if (o.hostImports !== undefined && typeof o.hostImports !== "string" && !(o.hostImports instanceof URL)) {
    throw invalid("hostImports", o.hostImports, "a path or URL of a JS module");
  }
  // the calling thread's task runner loads while the kernels compile
  const inlineBackend = import("../platform/inline-backend.js");
  inlineBackend.catch(() => {}); // awaited below, unless create fails before
  const userModule = o.module !== undefined;
  const custom = userModule || o.hostImports !== undefined ? userModules ??= await import("./user-module.js") : undefined;
  const js = userModule && isJsModule(o.module);
  if (js && o.hostImports !== undefined) throw invalid("hostImports", o.hostImports, "absent with JS kernels (a JS module imports what it needs itself)");
  const jsKernels = js ? custom!.toUrl(o.module as string | URL).href : undefined;
  const module = js ? undefined : userModule ? await custom!.loadUserModule(o.module) : await host.loadKernels();
  const arena = new SharedArena({ maxBytes: maxMemory });
  const hostImports = o.hostImports === undefined ? undefined : custom!.toUrl(o.hostImports).href;
  const { kernelImports } = await import("../kernels/module.js");
  const { moduleImports } = await import("../kernels/host-imports.js");
  const imports = custom ? await moduleImports(arena.memory, hostImports) : kernelImports(arena.memory);
  // JS kernels load in the calling thread first: a module that cannot load fails here, plainly
  const jsExports = jsKernels === undefined ? undefined : await loadJsKernels(jsKernels, arena.memory);
  if (module) custom?.checkImports(module, imports);
  const exported = jsExports ? Object.keys(jsExports) : WebAssembly.Module.exports(module!).filter((e) => e.kind === "function").map((e) => e.name);
  const initializer = o.initializer === undefined ? undefined : check.oneOf("initializer", o.initializer, exported);
  const initArgs = o.initArgs === undefined ? undefined : checkNumbers("initArgs", o.initArgs);
  if (initArgs && initializer === undefined) throw invalid("initArgs", o.initArgs, "absent unless an initializer is given");
  if (module && userModule) await custom!.probeModule(module, o.module, arena.maxBytes / PAGE_BYTES, hostImports, startTimeoutMs);
  const warmPath = warmUp && maxTasks === undefined && host.name === "node";
  const ready = arena.alloc(Int32Array, READY_WORDS);
  const stats = arena.alloc(Float64Array, STATS_SLOTS * STATS_FIELDS);
  const backend = await host.createBackend({
    size: workers, memory: arena.memory,
    setup: {
      module, jsKernels, hostImports, warmUp: !userModule && warmUp, warmItemLoops: userModule && warmPath, initializer, initArgs,
      ...(maxTasks === undefined ? {} : { maxTasks }),
    },
    readyCounter: ready.byteOffset, statsOffset: stats.byteOffset,
  });
  try {
    const failed = backend.firstWorkerError?.then((e) => { throw startError(e, custom, o.module, arena.maxBytes / PAGE_BYTES); });
    failed?.catch(() => {}); // a worker that dies after start-up is the calls' business, not create's
    await Promise.race([waitUntilReady(ready, workers, startTimeoutMs).catch((e: Error) => {
      throw userModule ? new WorkerError(`the module ${custom!.describeSource(o.module)} did not start in every worker within startTimeoutMs = ${startTimeoutMs} ms ` +
        "(does its start function return?)", { cause: e }) : e;
    }), ...(failed ? [failed] : [])]);
  } catch (e) {
    // closing a pool whose workers failed may itself reject with their error: report ours
    await backend.close().catch(() => {});
    throw e;
  }
  // instantiated here only once the workers have: a start function that never returns must
  // fail the start-up above, not hang the calling thread
  const { InlineBackend } = await inlineBackend;
  let inline: InlineBackend;
  try {
    inline = new InlineBackend(jsExports ?? new WebAssembly.Instance(module!, imports).exports, arena.memory);
    // the calling thread's instance is a thread of the pool too: the initializer runs here as well
    if (initializer !== undefined) await (inline.exports[initializer] as (...a: number[]) => unknown)(...(initArgs ?? []));
  } catch (e) {
    await backend.close().catch(() => {});
    if (e instanceof WebAssembly.LinkError) throw (userModules ??= await import("./user-module.js")).linkError(e, arena.maxBytes / PAGE_BYTES);
    throw e;
  }
  return { warmPath, module, arena, backend, inline, ready, stats };
}


/** A worker's start-up error, naming the module. */
function startError(e: Error, custom: typeof import("./user-module.js") | undefined, source: unknown, maxPages: number): Error {
  if (custom && (e.name === "LinkError" || /LinkError|WebAssembly\.\w+\(\): Import #/.test(e.message))) return custom.linkError(e, maxPages);
  const what = source === undefined ? "the bundled kernels" : `the module ${custom!.describeSource(source)}`;
  return new WorkerError(`a worker failed to start: ${e.message} (while starting ${what})`, { cause: e });
}


function checkNumbers(name: string, value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) throw invalid(name, value, "an array of numbers");
  return value as number[];
}
