/**
 * The pool: one shared WebAssembly.Memory, an arena over it, worker threads that each
 * instantiate the kernels over that memory, and an inline backend for small work.
 * It knows nothing of workloads: it runs a kernel over the parts of a partition.
 */
import { AbortError, KernelError, WorkerError, invalid } from "../errors.js";
import { SharedArena, MAX_MEMORY_BYTES, type TypedArray, type TypedArrayConstructor } from "../memory/arena.js";
import type { PartitionSpec } from "../plan/partition.js";
import { platform } from "../platform/platform.js";
import * as check from "../validate.js";
import type { Backend } from "./backend.js";
import { waitUntilReady } from "./ready.js";
import { InlineBackend } from "./inline-backend.js";
import { CONTROL_WORDS, Control } from "./job-control.js";
import { runRangePrivately } from "./private-range.js";
import type { PartCombine, RangeTask, TaskResult } from "./task.js";

export const MAX_WORKERS = 256;
const WORKER_START_TIMEOUT_MS = 30_000;

export interface PoolOptions {
  /** Worker threads. Default: availableParallelism(). */
  workers?: number;
  /** Largest size the shared memory may grow to, in bytes. Default and maximum: 4 GiB. */
  maxMemory?: number;
  /** Warm kernels up in each worker before its first task. Default true. */
  warmUp?: boolean;
}

export interface Progress {
  /** Parts finished. */
  done: number;
  /** Parts in the job. */
  total: number;
  fraction: number;
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
   * cross-origin isolated). Set it when the kernel's results depend only on its arguments and on
   * the `inputs` views (unchanged during the job), and whatever else it writes in the pool's
   * memory is scratch that nobody reads after the job: each worker then runs the kernel on a
   * private memory of the same size holding a copy of the inputs at the same addresses, and the
   * partials come back by message, with the same bits. Without it, such a job runs in the calling
   * thread. Ignored where workers share memory.
   */
  privateMemory?: { inputs?: TypedArray[] };
}

export interface RangeJobResult {
  /** One partial per part, in part order. */
  partials: Float64Array;
  /** Workers that took part (1 when inline). */
  workers: number;
  backend: "workers" | "inline";
}

export class Pool {
  readonly size: number;
  readonly arena: SharedArena;
  private closed = false;

  private constructor(
    readonly module: WebAssembly.Module,
    arena: SharedArena,
    private readonly backend: Backend,
    private readonly inline: InlineBackend,
  ) {
    this.arena = arena;
    this.size = backend.size;
  }

  static async create(options: PoolOptions = {}): Promise<Pool> {
    check.knownKeys("createPool", options, ["workers", "maxMemory", "warmUp"]);
    const host = platform();
    const workers = check.optionalInteger("workers", options.workers, 1, MAX_WORKERS, host.availableParallelism());
    const maxMemory = check.optionalInteger("maxMemory", options.maxMemory, 131072, MAX_MEMORY_BYTES, MAX_MEMORY_BYTES);
    const module = await host.loadKernels();
    const arena = new SharedArena({ maxBytes: maxMemory });
    const ready = arena.alloc(Int32Array, 1);
    const backend = host.createBackend({ size: workers, module, memory: arena.memory, warmUp: options.warmUp ?? true, readyCounter: ready.byteOffset });
    try {
      const failed = backend.firstWorkerError?.then((e) => { throw new WorkerError(`a worker failed to start: ${e.message}`, { cause: e }); });
      await Promise.race([waitUntilReady(ready, workers, WORKER_START_TIMEOUT_MS), ...(failed ? [failed] : [])]);
    } catch (e) {
      await backend.close();
      throw e;
    }
    return new Pool(module, arena, backend, new InlineBackend(module, arena.memory));
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

  /** A zero-filled typed array on the shared memory, read and written in place by kernels. */
  alloc<T extends TypedArray>(type: TypedArrayConstructor<T>, length: number): T {
    this.assertOpen();
    return this.arena.alloc(type, length);
  }

  free(view: TypedArray): void {
    this.arena.free(view);
  }

  /** Runs `kernel(...args)` once on a worker and returns its number. */
  async apply(kernel: string, args: number[] = []): Promise<number> {
    this.assertOpen();
    this.assertKernel(kernel);
    // a call may read or write the pool's memory: without shared memory it runs here
    const runner = this.backend.sharesMemory === false ? this.inline : this.backend;
    const result = await runner.run({ kind: "call", kernel, args });
    if (result && "trap" in result) throw new KernelError(kernel, 0, result.trap);
    return (result as { value: number }).value;
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
    for (const view of job.privateMemory?.inputs ?? []) this.assertOnMemory(view);
    const combine = job.combine ?? "sum";
    const args = job.args ?? [];
    const small = spec.parts <= 1 || spec.end - spec.start < (job.inlineBelow ?? 0);
    if (!small && this.backend.sharesMemory === false && job.privateMemory && this.backend.runOn) {
      return this.runRangePrivately(job, workers);
    }
    // where workers cannot share memory, jobs that need it run here
    if (small || this.backend.sharesMemory === false) {
      const partials = this.inline.runInline({ kernel: job.kernel, args, spec, combine });
      if (!(partials instanceof Float64Array)) throw new KernelError(job.kernel, partials.part, partials.trap);
      job.onProgress?.({ done: spec.parts, total: spec.parts, fraction: 1 });
      return { partials, workers: 1, backend: "inline" };
    }
    this.arena.ensureCanAllocate(spec.parts * 8 + CONTROL_WORDS * 4, "the job's partial results");
    const control = this.arena.alloc(Int32Array, CONTROL_WORDS);
    const results = this.arena.alloc(Float64Array, spec.parts);
    const task: RangeTask = { kind: "range", kernel: job.kernel, args, spec, control: control.byteOffset, results: results.byteOffset, combine };
    try {
      const outcomes = await this.watch(control, spec.parts, job, Promise.allSettled(
        Array.from({ length: workers }, () => this.backend.run(task).catch((e: unknown) => {
          Atomics.store(control, Control.CANCEL, 1); // the others stop too
          throw e;
        })),
      ));
      for (const o of outcomes) {
        if (o.status === "rejected") throw new WorkerError(`a worker failed while running ${job.kernel}: ${messageOf(o.reason)}`, { cause: o.reason });
        if (o.value && "trap" in o.value) throw new KernelError(job.kernel, o.value.part, o.value.trap);
      }
      if (job.signal?.aborted) throw new AbortError(job.signal.reason);
      if (Atomics.load(control, Control.DONE) !== spec.parts) throw new WorkerError(`job ${job.kernel} ended with parts unfinished`);
      job.onProgress?.({ done: spec.parts, total: spec.parts, fraction: 1 });
      return { partials: results.slice(), workers, backend: "workers" };
    } finally {
      this.arena.free(control);
      this.arena.free(results);
    }
  }

  private async runRangePrivately(job: RangeJob, workers: number): Promise<RangeJobResult> {
    const memory = new Uint8Array(this.memory.buffer);
    const backend = this.backend;
    const partials = await runRangePrivately({ runOn: (w, task) => backend.runOn!(w, task) }, {
      kernel: job.kernel,
      args: job.args ?? [],
      spec: job.spec,
      combine: job.combine ?? "sum",
      workers,
      memoryBytes: memory.byteLength,
      // copies: a view of the pool's memory cannot be posted to a worker here
      inputs: (job.privateMemory?.inputs ?? []).map((v) => ({ offset: v.byteOffset, bytes: memory.slice(v.byteOffset, v.byteOffset + v.byteLength) })),
      signal: job.signal,
      onProgress: job.onProgress,
      progressIntervalMs: job.progressIntervalMs,
    });
    job.onProgress?.({ done: job.spec.parts, total: job.spec.parts, fraction: 1 });
    return { partials, workers, backend: "workers" };
  }

  /** Ends the worker threads. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.backend.close(), this.inline.close()]);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Relays abort and progress while the job's tasks run; the tasks settle within one part of a cancel. */
  private async watch<T>(control: Int32Array, parts: number, job: RangeJob, running: Promise<T>): Promise<T> {
    const cancel = (): void => void Atomics.store(control, Control.CANCEL, 1);
    job.signal?.addEventListener("abort", cancel, { once: true });
    const timer = job.onProgress
      ? setInterval(() => {
        const done = Atomics.load(control, Control.DONE);
        job.onProgress!({ done, total: parts, fraction: done / parts });
      }, job.progressIntervalMs ?? 100)
      : undefined;
    try {
      return await running;
    } finally {
      if (timer) clearInterval(timer);
      job.signal?.removeEventListener("abort", cancel);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the pool is closed; create a new one");
  }

  private assertOnMemory(view: TypedArray): void {
    const buffer = this.memory.buffer;
    const ok = ArrayBuffer.isView(view) && view.buffer.constructor === buffer.constructor && view.byteOffset + view.byteLength <= buffer.byteLength;
    if (!ok) throw invalid("privateMemory.inputs", view, "an array of views allocated by this pool (pool.alloc)");
  }

  private assertKernel(name: string): void {
    if (typeof this.inline.exports[name] !== "function") {
      const names = Object.keys(this.inline.exports).filter((k) => typeof this.inline.exports[k] === "function");
      throw invalid("kernel", name, `a function the module exports (${names.join(", ")})`);
    }
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function createPool(options?: PoolOptions): Promise<Pool> {
  return Pool.create(options);
}
