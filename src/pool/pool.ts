/**
 * The pool: one shared WebAssembly.Memory, an arena over it, worker threads that each
 * instantiate the kernels (the bundled ones or the user's module) over that memory, and the
 * calling thread's own instance. A thin front: each call checks what only the front can (the
 * pool is open) and hands over to calls.ts, which builds the call's job spec (jobs/) and runs it
 * with the one job runner (job.ts). It knows nothing of workloads.
 */
import { PoolClosedError, invalid } from "../errors.js";
import type { SharedArena, TypedArray, TypedArrayConstructor } from "../memory/arena.js";
import type { Backend } from "../platform/backend.js";
import type { InlineBackend } from "../platform/inline-backend.js";
import { clearTaskCounts, readStats, type PoolStats } from "../platform/stats.js";
import * as check from "../validate.js";
import type { KernelArg } from "./args.js";
import type { CallOptions, IterateOptions, IterateResult, RangeJob, RangeJobResult, TeamJob, TeamJobResult } from "./call-types.js";
import type { MapOptions } from "./map.js";
import type { MapReduceOptions, RangeInput } from "./map-reduce.js";
import type { PoolOptions } from "./pool-options.js";
import type { PoolHost } from "./host.js";
import type { TicketRing } from "./tickets.js";
import { AsyncResult } from "./async-result.js";

export type { CallOptions, IterateOptions, IterateResult, RangeJob, RangeJobResult, TeamJob, TeamJobResult } from "./call-types.js";
export type { IterateProgress } from "./jobs/iterate.js";
export type { Progress } from "./progress.js";
export type { PrivateMemoryUse } from "./jobs/private-parts.js";

// What not every pool call needs is imported on first use, so that a page loads the browser entry
// without it (bundlers emit each as a chunk of its own; docs/browser.md). Each module is kept once
// loaded: the calls after it make no import().
let calls: typeof import("./calls.js") | undefined;
let maps: typeof import("./map.js") | undefined;
let imaps: typeof import("./imap.js") | undefined;
let mapReduces: typeof import("./map-reduce.js") | undefined;

/**
 * Loads the call modules at start-up where the path warm-up runs (Node; the warm-up has loaded
 * all but imap.js already): a first call's import() of a module already loaded still took
 * 0.2–0.3 ms (Node's loader resolves it again), and a first imap went through the generator
 * that loads imap.js, one more await per item. (An imap in the warm-up made a user's first map
 * 1.5 ms slower, median of 10, and their first imap only ~5 ms faster of 70: left out.)
 */
async function keepCallModules(): Promise<void> {
  [calls, maps, imaps, mapReduces] = await Promise.all([import("./calls.js"), import("./map.js"), import("./imap.js"), import("./map-reduce.js")]);
}

export { MAX_WORKERS, type PoolOptions } from "./pool-options.js";

/** What imap and imapUnordered take: any iterable (lazy ones too) or async iterable of items. */
export type ImapItems = Iterable<KernelArg | readonly KernelArg[]> | AsyncIterable<KernelArg | readonly KernelArg[]>;


type State = "open" | "closing" | "closed";

export class Pool implements PoolHost {
  readonly size: number;
  readonly arena: SharedArena;
  /** Set by terminate(): running calls were ended, not finished. */
  terminated = false;
  /** @internal The tasks' ticket words, made by the first call (placement.ts). */
  tickets: TicketRing | undefined;
  private state: State = "open";
  /** Calls and workload runs in progress: close() waits for them. */
  private readonly running = new Set<Promise<unknown>>();
  private holds = 0;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private kernelSet: Set<string> | undefined;

  private constructor(
    /** The wasm module whose exports are the kernels; undefined for JS kernels. */
    readonly module: WebAssembly.Module | undefined,
    arena: SharedArena,
    /** @internal The workers. */
    readonly backend: Backend,
    /** @internal The calling thread's instance. */
    readonly inline: InlineBackend,
    private readonly readyCounter: Int32Array,
    private readonly statsBlock: Float64Array,
  ) {
    this.arena = arena;
    this.size = backend.size;
  }

  /** Starts the workers (start.ts, loaded on first use) and waits until each is ready. */
  static async create(options: PoolOptions = {}): Promise<Pool> {
    const { warmPath, module, arena, backend, inline, ready, stats } = await (await import("./start.js")).startPool(options);
    const pool = new Pool(module, arena, backend, inline, ready, stats);
    if (warmPath && pool.workersShareMemory) {
      try {
        await (await import("./path-warm-up.js")).warmUpPath(pool);
        await keepCallModules();
      } catch (e) {
        await pool.terminate().catch(() => {});
        throw e;
      }
      clearTaskCounts(stats, Atomics.load(ready, 1));
    }
    return pool;
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

  /** Returns a typed array from alloc(); a view of any other memory is an InvalidArgumentError. */
  free(view: TypedArray): void {
    this.arena.free(view);
  }

  /**
   * Runs `kernel(...args)` once on a worker and returns its number. A typed array argument on
   * the pool's memory reaches the kernel as its byte offset. If the worker dies, the call is
   * retried once on another. An abort or a timeout rejects at once; a call still queued then
   * never runs, one already running runs to its end (a wasm call cannot be interrupted).
   */
  apply(kernel: string, args: readonly KernelArg[] = [], options: CallOptions = {}): Promise<number> {
    return this.track(async () => (calls ??= await import("./calls.js")).apply(this, kernel, args, options));
  }

  /**
   * Like apply, but returns a handle at once (Python's apply_async): `get(timeoutMs)`, `wait`,
   * `ready()`, `successful()`. A get that times out leaves the call running.
   */
  applyAsync(kernel: string, args: readonly KernelArg[] = [], options: CallOptions = {}): AsyncResult<number> {
    const promise = this.apply(kernel, args, options);
    return new AsyncResult(promise);
  }

  /**
   * kernel(item) for each number (or pool typed array) item, kernel(...item) for each array
   * item; results in input order. Items are batched `chunkSize` to a part, and each worker
   * runs one task that claims parts until none are left.
   */
  map(kernel: string, argsList: Iterable<KernelArg | readonly KernelArg[]>, options: MapOptions = {}): Promise<number[]> {
    return this.track(async () => (maps ??= await import("./map.js")).mapItems(this, kernel, argsList, options, "map"));
  }

  /** Like map, but every item is an array of arguments and is always spread: kernel(...item). */
  starmap(kernel: string, argsList: Iterable<readonly KernelArg[]>, options: MapOptions = {}): Promise<number[]> {
    return this.track(async () => (maps ??= await import("./map.js")).mapItems(this, kernel, argsList, options, "starmap"));
  }

  /**
   * Like map, as an async iterator: each result in input order, as soon as its part is done.
   * `argsList` may be lazy — a generator (an infinite one too: `break` ends the call), any
   * iterable or async iterable — and is pulled `lookAhead` items at a time (imap.ts).
   */
  imap(kernel: string, argsList: ImapItems, options: MapOptions = {}): AsyncGenerator<number, void, undefined> {
    return this.imapItems(kernel, argsList, options, true) as AsyncGenerator<number, void, undefined>;
  }

  /**
   * Like imap, as [index, result] pairs in the order parts finish (unlike Python's
   * imap_unordered, which yields bare results, the index says which input it was).
   */
  imapUnordered(kernel: string, argsList: ImapItems, options: MapOptions = {}): AsyncGenerator<[number, number], void, undefined> {
    return this.imapItems(kernel, argsList, options, false) as AsyncGenerator<[number, number], void, undefined>;
  }

  /**
   * imap's generator (imap.js), itself once that module is loaded: a generator of ours around it
   * would pass every item through a second await (yield*), and an item costs little more than that.
   */
  private imapItems(kernel: string, argsList: unknown, options: MapOptions, ordered: boolean): AsyncGenerator<number | [number, number], void, undefined> {
    return imaps ? imaps.imapItems(this, kernel, argsList, options, ordered) : this.loadImap(kernel, argsList, options, ordered);
  }

  /** imap's first call: loads imap.js; return() and throw() reach the inner generator (early break). */
  private async *loadImap(kernel: string, argsList: unknown, options: MapOptions, ordered: boolean): AsyncGenerator<number | [number, number], void, undefined> {
    this.assertOpen();
    yield* (imaps ??= await import("./imap.js")).imapItems(this, kernel, argsList, options, ordered);
  }

  /**
   * kernel(blockStart, blockEnd, ...args) over the blocks of a partition of `range`, reduced:
   * "sum" (pairwise, in part order: the same bits for any worker count), "min", "max", or a
   * function (acc, value, index) applied in part order.
   */
  mapReduce(kernel: string, range: RangeInput, options: MapReduceOptions = {}): Promise<number> {
    return this.track(async () => (mapReduces ??= await import("./map-reduce.js")).mapReduce(this, kernel, range, options));
  }

  /** An empty round trip to a worker (for measuring dispatch cost). */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.backend.run({ kind: "noop" });
  }

  /** Runs a kernel over every part of a partition; returns one partial per part, in part order. */
  runRange(job: RangeJob): Promise<RangeJobResult> {
    return this.track(async () => (calls ??= await import("./calls.js")).runRange(this, job));
  }

  /**
   * Runs kernel(member, ...args) once on each of `workers` threads, all at once: for kernels
   * that run a whole computation in one call and meet through shared memory (jobs/call.ts).
   */
  runTeam(job: TeamJob): Promise<TeamJobResult> {
    return this.track(async () => (calls ??= await import("./calls.js")).runTeam(this, job));
  }

  /**
   * Iterate until converged: each of `lanes` workers runs the step kernel
   * `(lane, lanes, iteration, ...args) → number` in one long task; after every step the lanes meet
   * at a barrier in shared memory, their values are reduced in lane order (the same bits for any
   * schedule) and the loop stops once `until` holds or after `maxIterations` steps. No message
   * per step.
   */
  iterate(options: IterateOptions): Promise<IterateResult> {
    return this.track(async () => (calls ??= await import("./calls.js")).iterate(this, options));
  }

  /** Tasks run, time busy per worker, queue length, workers started and replaced. */
  stats(): PoolStats {
    const live = this.backend.liveThreadIds ? new Set(this.backend.liveThreadIds()) : undefined;
    return readStats(this.statsBlock, Atomics.load(this.readyCounter, 0), Atomics.load(this.readyCounter, 1), this.size, this.backend.queueSize ?? 0, live);
  }

  /**
   * Stops taking calls (a new one rejects with PoolClosedError), lets the calls already made
   * finish, then ends the workers. With `{ force: true }` it is terminate(): calls still running
   * reject at once.
   */
  close(options: { force?: boolean } = {}): Promise<void> {
    const o = check.options<{ force?: boolean }>("close", options);
    check.knownKeys("close", o, ["force"]);
    if (check.optionalBoolean("force", o.force, false)) return this.terminate();
    if (this.state === "open") {
      this.state = "closing";
      this.closing = this.drain().then(() => this.end());
    }
    return this.closing ?? Promise.resolve();
  }

  /** Ends the workers now: calls still running or queued reject with PoolClosedError. */
  async terminate(): Promise<void> {
    if (this.state === "closed") return;
    this.terminated = true;
    this.state = "closing";
    const ending = this.end();
    this.closing = ending;
    await ending;
  }

  /** Resolves once the pool is closed and every call has settled (Python's Pool.join, after close()). */
  async join(): Promise<void> {
    if (this.state === "open") throw new PoolClosedError("join() waits for a closed pool: call close() (or terminate()) first");
    await this.closing;
  }

  /** `await using pool = await createPool()`: closed (gracefully) at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  get isClosed(): boolean {
    return this.state !== "open";
  }

  /** Throws unless the pool takes calls. */
  assertOpen(): void {
    if (this.state !== "open") throw new PoolClosedError(`the pool is ${this.state === "closing" ? "closing" : "closed"}; create a new one`);
  }

  /** Throws, listing the module's exports, unless `name` is one of its functions. */
  assertKernel(name: unknown): asserts name is string {
    this.kernelSet ??= new Set(this.inline.kernels);
    if (typeof name !== "string" || !this.kernelSet.has(name)) {
      throw invalid("kernel", name, `a function the module exports (${[...this.kernelSet].join(", ")})`);
    }
  }

  /**
   * Keeps the pool open for a run of several calls (a workload): close() waits until the
   * returned function is called.
   */
  hold(): () => void {
    this.assertOpen();
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.checkDrained();
    };
  }

  /**
   * @internal Runs a call, counted as running until it settles (close() waits for it). While
   * the pool is closing, calls are still taken from a workload run that holds it (hold()).
   */
  track<T>(call: () => Promise<T>): Promise<T> {
    if (this.state !== "open" && !(this.state === "closing" && this.holds > 0 && !this.terminated)) {
      return Promise.reject(new PoolClosedError(`the pool is ${this.state}; create a new one`));
    }
    const promise = call();
    this.running.add(promise);
    const done = (): void => {
      this.running.delete(promise);
      this.checkDrained();
    };
    promise.then(done, done);
    return promise;
  }

  private drain(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (this.drained && this.running.size === 0 && this.holds === 0) {
      const resolve = this.drained;
      this.drained = undefined;
      resolve();
    }
  }

  private async end(): Promise<void> {
    await Promise.all([this.backend.close().catch(() => {}), this.inline.close()]);
    this.state = "closed";
  }
}

/** A new pool (Pool.create). */
export async function createPool(options?: PoolOptions): Promise<Pool> {
  return Pool.create(options);
}

/** Whether `value` is a pool of this package. */
export function isPool(value: unknown): value is Pool {
  return value instanceof Pool;
}
