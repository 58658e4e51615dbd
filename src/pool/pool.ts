/**
 * The pool: one shared WebAssembly.Memory, an arena over it, worker threads that each
 * instantiate the kernels (the bundled ones or the user's module) over that memory, and an
 * inline backend for small work. It knows nothing of workloads: it runs kernels over the parts
 * of a partition (runRange, mapReduce) or over a list of argument tuples (map and friends).
 */
import { AbortError, KernelError, WorkerError, invalid, messageOf } from "../errors.js";
import { kernelImports } from "../kernels/module.js";
import { SharedArena, MAX_MEMORY_BYTES, PAGE_BYTES, type TypedArray, type TypedArrayConstructor } from "../memory/arena.js";
import type { PartitionSpec } from "../plan/partition.js";
import { platform } from "../platform/platform.js";
import * as check from "../validate.js";
import { argValues, type KernelArg } from "./args.js";
import type { Backend } from "./backend.js";
import { READY_WORDS, waitUntilReady } from "./ready.js";
import type { InlineBackend } from "./inline-backend.js";
import type { MapOptions } from "./map.js";
import type { MapReduceOptions, RangeInput } from "./map-reduce.js";
import type { JobHost } from "./parts-job.js";
import type { TeamJob, TeamJobResult } from "./team-job.js";
import { STATS_FIELDS, STATS_SLOTS, readStats, type PoolStats } from "./stats.js";
import type { PartCombine, Task, TaskResult } from "./task.js";
import type { ModuleSource } from "./user-module.js";

// What not every pool call needs is imported on first use, so that a page loads the browser entry
// without it (bundlers emit each as a chunk of its own; docs/browser.md). Each module is kept once
// loaded: the calls after it make no import().
let partsJobs: typeof import("./parts-job.js") | undefined;
let maps: typeof import("./map.js") | undefined;
let mapReduces: typeof import("./map-reduce.js") | undefined;
let teamJobs: typeof import("./team-job.js") | undefined;
let privateRanges: typeof import("./private-range.js") | undefined;
let userModules: typeof import("./user-module.js") | undefined;

export const MAX_WORKERS = 256;
const WORKER_START_TIMEOUT_MS = 30_000;

export interface PoolOptions {
  /** Worker threads. Default: availableParallelism(). */
  workers?: number;
  /** Largest size the shared memory may grow to, in bytes. Default and maximum: 4 GiB. */
  maxMemory?: number;
  /** Warm the bundled kernels up in each worker before its first task. Default true. */
  warmUp?: boolean;
  /**
   * The module whose exports are the kernels. Default: the bundled kernels. Else a user's module
   * built against an imported shared memory: a WebAssembly.Module, its bytes, or a path or URL
   * of the .wasm file (see examples/user-kernel).
   */
  module?: ModuleSource;
  /**
   * Path or URL of a JS module supplying more imports to a user's module: its default export is
   * called with the pool's memory in every worker and returns an imports object, e.g.
   * `{ env: { log: (x) => console.log(x) } }`.
   */
  hostImports?: string | URL;
}

export interface Progress {
  /** Parts (items, for map) finished. */
  done: number;
  /** Parts (items) in the call. */
  total: number;
  fraction: number;
}

/** Options every pool call takes. */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface RangeJob {
  kernel: string;
  /** Kernel arguments after (blockStart, blockEnd). */
  args?: number[];
  spec: PartitionSpec;
  /** Workers to use, at most the pool's size. Default: all. */
  workers?: number;
  combine?: PartCombine;
  /** Run in the calling thread when the range is shorter than this. Default 0 (never). */
  inlineBelow?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Milliseconds between progress reports. Default 100. */
  progressIntervalMs?: number;
  /**
   * Lets the job run on workers that cannot share the pool's memory (a browser page that is not
   * cross-origin isolated); ignored where they can. Set it when the kernel reads nothing of the
   * pool's memory but `inputs` (unchanged during the job) and writes nothing that is read after
   * the job but the partials and `partOutputs`. Each worker then runs the kernel on a private
   * memory of the same size, holding a copy of the inputs at the same addresses; the partials
   * and the output slots come back by message, with the same bits. Without it, such a job runs
   * in the calling thread.
   */
  privateMemory?: PrivateMemoryUse;
}

/** What a range job's kernel reads and writes of the pool's memory (RangeJob.privateMemory). */
export interface PrivateMemoryUse {
  /** Views the kernel reads. */
  inputs?: TypedArray[];
  /** Views the kernel writes part by part: part j (from 0) writes bytesPerPart bytes at view.byteOffset + j·bytesPerPart. */
  partOutputs?: Array<{ view: TypedArray; bytesPerPart: number }>;
}

export interface RangeJobResult {
  /** One partial per part, in part order. */
  partials: Float64Array;
  /** Workers that took part (1 when inline). */
  workers: number;
  backend: "workers" | "inline";
}

export class Pool implements JobHost {
  readonly size: number;
  readonly arena: SharedArena;
  private closed = false;

  private constructor(
    readonly module: WebAssembly.Module,
    arena: SharedArena,
    private readonly backend: Backend,
    private readonly inline: InlineBackend,
    private readonly readyCounter: Int32Array,
    private readonly statsBlock: Float64Array,
  ) {
    this.arena = arena;
    this.size = backend.size;
  }

  static async create(options: PoolOptions = {}): Promise<Pool> {
    check.knownKeys("createPool", options, ["workers", "maxMemory", "warmUp", "module", "hostImports"]);
    const host = platform();
    const workers = check.optionalInteger("workers", options.workers, 1, MAX_WORKERS, host.availableParallelism());
    const maxMemory = check.optionalInteger("maxMemory", options.maxMemory, 131072, MAX_MEMORY_BYTES, MAX_MEMORY_BYTES);
    if (options.hostImports !== undefined && typeof options.hostImports !== "string" && !(options.hostImports instanceof URL)) {
      throw invalid("hostImports", options.hostImports, "a path or URL of a JS module");
    }
    // the calling thread's task runner loads while the kernels compile
    const inlineBackend = import("./inline-backend.js");
    inlineBackend.catch(() => {}); // awaited below, unless create fails before
    const userModule = options.module !== undefined;
    // the bundled kernels import env.memory and env.abort, which kernelImports supplies
    const custom = userModule || options.hostImports !== undefined ? userModules ??= await import("./user-module.js") : undefined;
    const module = userModule ? await custom!.loadUserModule(options.module) : await host.loadKernels();
    const arena = new SharedArena({ maxBytes: maxMemory });
    const hostImports = options.hostImports === undefined ? undefined : custom!.toUrl(options.hostImports).href;
    const imports = custom ? await custom.moduleImports(arena.memory, hostImports) : kernelImports(arena.memory);
    custom?.checkImports(module, imports);
    const { InlineBackend } = await inlineBackend;
    let inline: InlineBackend;
    try {
      inline = new InlineBackend(module, arena.memory, imports);
    } catch (e) {
      if (e instanceof WebAssembly.LinkError) throw (userModules ??= await import("./user-module.js")).linkError(e, arena.maxBytes / PAGE_BYTES);
      throw e;
    }
    const ready = arena.alloc(Int32Array, READY_WORDS);
    const stats = arena.alloc(Float64Array, STATS_SLOTS * STATS_FIELDS);
    const backend = await host.createBackend({
      size: workers, module, memory: arena.memory, warmUp: !userModule && (options.warmUp ?? true),
      readyCounter: ready.byteOffset, statsOffset: stats.byteOffset, hostImports,
    });
    try {
      const failed = backend.firstWorkerError?.then((e) => { throw new WorkerError(`a worker failed to start: ${e.message}`, { cause: e }); });
      failed?.catch(() => {}); // a worker that dies after start-up is the calls' business, not create's
      await Promise.race([waitUntilReady(ready, workers, WORKER_START_TIMEOUT_MS), ...(failed ? [failed] : [])]);
    } catch (e) {
      // closing a pool whose workers failed may itself reject with their error: report ours
      await backend.close().catch(() => {});
      throw e;
    }
    return new Pool(module, arena, backend, inline, ready, stats);
  }

  /**
   * Whether the workers see this pool's memory: true in Node and on cross-origin isolated pages.
   * Where false, only range jobs that allow private memory run on workers (RangeJob.privateMemory);
   * the rest, and anything that needs several workers on one memory at once, run in the calling thread.
   */
  get workersShareMemory(): boolean {
    return this.backend.sharesMemory !== false;
  }

  get memory(): WebAssembly.Memory {
    return this.arena.memory;
  }

  /** The module's exported functions: the kernel names calls accept. */
  get kernels(): string[] {
    return this.inline.kernels;
  }

  /** A zero-filled typed array on the shared memory, read and written in place by kernels. */
  alloc<T extends TypedArray>(type: TypedArrayConstructor<T>, length: number): T {
    this.assertOpen();
    return this.arena.alloc(type, length);
  }

  free(view: TypedArray): void {
    this.arena.free(view);
  }

  /**
   * Runs `kernel(...args)` once on a worker and returns its number. A typed array argument on
   * the pool's memory reaches the kernel as its byte offset. If the worker dies, the call is
   * retried once on another. An abort rejects at once; the kernel call itself runs to its end.
   */
  async apply(kernel: string, args: readonly KernelArg[] = [], options: CallOptions = {}): Promise<number> {
    this.assertOpen();
    this.assertKernel(kernel);
    check.knownKeys("apply", options, ["signal", "onProgress"]);
    const onProgress = check.callback("onProgress", options.onProgress) as CallOptions["onProgress"];
    const signal = check.signal(options.signal);
    const task: Task = { kind: "call", kernel, args: argValues(this.memory, args, "args") };
    let lastFailure: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      let result: TaskResult;
      try {
        // a call may read or write the pool's memory: without shared memory it runs here
        result = await abortable(this.workersShareMemory ? this.backend.run(task) : this.inline.run(task), signal);
      } catch (e) {
        if (e instanceof AbortError) throw e;
        if (this.closed) throw new WorkerError(`the pool was closed while kernel ${kernel} was running`, { cause: e });
        lastFailure = e;
        continue;
      }
      if (result && "trap" in result) throw new KernelError(kernel, 0, result.trap);
      onProgress?.({ done: 1, total: 1, fraction: 1 });
      return (result as { value: number }).value;
    }
    throw new WorkerError(`a worker died twice while running kernel ${kernel} (the call was retried once): ${messageOf(lastFailure)}`, { cause: lastFailure });
  }

  /**
   * kernel(item) for each number (or pool typed array) item, kernel(...item) for each array
   * item; results in input order. Items are batched `chunkSize` to a part, and each worker
   * runs one task that claims parts until none are left.
   */
  async map(kernel: string, argsList: Iterable<KernelArg | readonly KernelArg[]>, options: MapOptions = {}): Promise<number[]> {
    return (maps ??= await import("./map.js")).mapItems(this, kernel, argsList, options, "map");
  }

  /** Like map, but every item is an array of arguments and is always spread: kernel(...item). */
  async starmap(kernel: string, argsList: Iterable<readonly KernelArg[]>, options: MapOptions = {}): Promise<number[]> {
    return (maps ??= await import("./map.js")).mapItems(this, kernel, argsList, options, "starmap");
  }

  /** Like map, as an async iterator: each result in input order, as soon as its part is done. */
  imap(kernel: string, argsList: Iterable<KernelArg | readonly KernelArg[]>, options: MapOptions = {}): AsyncGenerator<number, void, undefined> {
    return this.imapItems(kernel, argsList, options, true) as AsyncGenerator<number, void, undefined>;
  }

  /**
   * Like map, as an async iterator of [index, result] pairs in the order parts finish (unlike
   * Python's imap_unordered, which yields bare results, the index says which input it was).
   */
  imapUnordered(kernel: string, argsList: Iterable<KernelArg | readonly KernelArg[]>, options: MapOptions = {}): AsyncGenerator<[number, number], void, undefined> {
    return this.imapItems(kernel, argsList, options, false) as AsyncGenerator<[number, number], void, undefined>;
  }

  /** imap's generator, once map.js is loaded; return() and throw() reach the inner one (early break). */
  private async *imapItems(kernel: string, argsList: unknown, options: MapOptions, ordered: boolean): AsyncGenerator<number | [number, number], void, undefined> {
    yield* (maps ??= await import("./map.js")).imapItems(this, kernel, argsList, options, ordered);
  }

  /**
   * kernel(blockStart, blockEnd, ...args) over the blocks of a partition of `range`, reduced:
   * "sum" (pairwise, in part order: the same bits for any worker count), "min", "max", or a
   * function (acc, value, index) applied in part order.
   */
  async mapReduce(kernel: string, range: RangeInput, options: MapReduceOptions = {}): Promise<number> {
    return (mapReduces ??= await import("./map-reduce.js")).mapReduce(this, kernel, range, options);
  }

  /** An empty round trip to a worker (for measuring dispatch cost). */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.backend.run({ kind: "noop" });
  }

  /** Runs a kernel over every part of a partition; returns one partial per part, in part order. */
  async runRange(job: RangeJob): Promise<RangeJobResult> {
    this.assertOpen();
    this.assertKernel(job.kernel);
    const { spec } = job;
    const workers = Math.min(job.workers ?? this.size, this.size, Math.max(spec.parts, 1));
    if (job.signal?.aborted) throw new AbortError(job.signal.reason);
    const combine = job.combine ?? "sum";
    const args = job.args ?? [];
    const use = job.privateMemory;
    if (use && (use.inputs !== undefined || use.partOutputs !== undefined)) {
      (privateRanges ??= await import("./private-range.js")).checkPrivateMemory(this.memory, use, spec.parts);
    }
    const small = spec.parts <= 1 || spec.end - spec.start < (job.inlineBelow ?? 0);
    if (!small && !this.workersShareMemory && job.privateMemory && this.backend.runOn) {
      return this.runRangePrivately(job, workers);
    }
    // where workers cannot share memory, a job that needs it runs here
    if (small || !this.workersShareMemory) {
      const partials = this.inline.runInline({ kernel: job.kernel, args, spec, combine });
      if (!(partials instanceof Float64Array)) throw new KernelError(job.kernel, partials.part, partials.trap);
      job.onProgress?.({ done: spec.parts, total: spec.parts, fraction: 1 });
      return { partials, workers: 1, backend: "inline" };
    }
    this.arena.ensureCanAllocate(spec.parts * 16 + 64, "the job's partial results and control block");
    const results = this.arena.alloc(Float64Array, spec.parts);
    const total = spec.parts;
    try {
      const { runPartsJob } = partsJobs ??= await import("./parts-job.js");
      await runPartsJob(this, {
        kernel: job.kernel,
        parts: spec.parts,
        lanes: workers,
        makeTask: (lane, control, retry) => ({
          kind: "range", kernel: job.kernel, args, spec, results: results.byteOffset, combine, control, parts: spec.parts, lane, retry,
        }),
        signal: job.signal,
        onProgress: job.onProgress && ((done) => job.onProgress!({ done, total, fraction: done / total })),
        progressIntervalMs: job.progressIntervalMs,
      });
      job.onProgress?.({ done: total, total, fraction: 1 });
      return { partials: results.slice(), workers, backend: "workers" };
    } finally {
      this.arena.free(results);
    }
  }

  /**
   * Runs kernel(member, ...args) once on each of `workers` threads, all at once: for kernels
   * that run a whole computation in one call and meet through shared memory (team-job.ts).
   */
  async runTeam(job: TeamJob): Promise<TeamJobResult> {
    this.assertOpen();
    this.assertKernel(job.kernel);
    return (teamJobs ??= await import("./team-job.js")).runTeamJob(this, job);
  }

  private async runRangePrivately(job: RangeJob, workers: number): Promise<RangeJobResult> {
    const backend = this.backend;
    const { runRangeJobPrivately } = privateRanges ??= await import("./private-range.js");
    const partials = await runRangeJobPrivately({ runOn: (w, task) => backend.runOn!(w, task) }, this.memory, job, workers);
    job.onProgress?.({ done: job.spec.parts, total: job.spec.parts, fraction: 1 });
    return { partials, workers, backend: "workers" };
  }

  /** Tasks run, time busy per worker, queue length, workers started and replaced. */
  stats(): PoolStats {
    const live = this.backend.liveThreadIds ? new Set(this.backend.liveThreadIds()) : undefined;
    return readStats(this.statsBlock, Atomics.load(this.readyCounter, 0), Atomics.load(this.readyCounter, 1), this.size, this.backend.queueSize ?? 0, live);
  }

  /** Ends the worker threads; calls still running reject. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.backend.close(), this.inline.close()]);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends one task to a worker (used by the call implementations in this folder); where workers
   * cannot share memory, runs it here, since its control block and outputs are in the pool's memory.
   */
  runTask(task: Task): Promise<TaskResult> {
    return this.workersShareMemory ? this.backend.run(task) : this.inline.run(task);
  }

  /** Throws unless the pool is open. */
  assertOpen(): void {
    if (this.closed) throw new Error("the pool is closed; create a new one");
  }

  /** Throws, listing the module's exports, unless `name` is one of its functions. */
  assertKernel(name: unknown): asserts name is string {
    this.kernelSet ??= new Set(this.inline.kernels);
    if (typeof name !== "string" || !this.kernelSet.has(name)) {
      throw invalid("kernel", name, `a function the module exports (${[...this.kernelSet].join(", ")})`);
    }
  }

  private kernelSet: Set<string> | undefined;
}

/** Rejects with an AbortError as soon as the signal fires; the promise itself runs on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export async function createPool(options?: PoolOptions): Promise<Pool> {
  return Pool.create(options);
}
