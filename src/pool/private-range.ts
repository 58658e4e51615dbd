/**
 * A range job on workers that cannot share the pool's memory (a browser page that is not
 * cross-origin isolated): the pool hands out runs of consecutive parts by message, each worker
 * computes them on its private memory and sends back their partials and the bytes they wrote to
 * their output slots, and the pool stores partial j in slot j and the bytes where part j would
 * have written them. The parts' blocks and the combining within a part are those of the
 * shared-memory path (task.ts), and the caller reduces in part order, so the result has the
 * same bits.
 *
 * Runs are handed out by guided self-scheduling (a quarter of the remaining parts divided among
 * the workers, at least one part): few messages, and the last runs are short, so the workers
 * finish together.
 */
import { AbortError, KernelError, WorkerError, invalid, messageOf } from "../errors.js";
import type { TypedArray } from "../memory/arena.js";
import type { PartitionSpec } from "../plan/partition.js";
import type { PrivateMemoryUse, RangeJob } from "./pool.js";
import type { PartCombine, PrivateRangeTask, Task, TaskResult } from "./task.js";

export interface PrivateWorkers {
  runOn(worker: number, task: Task): Promise<TaskResult>;
}

export interface PrivateRangeJob {
  kernel: string;
  args: number[];
  spec: PartitionSpec;
  combine: PartCombine;
  /** Workers to use: 0 … workers − 1. */
  workers: number;
  /** The pool's memory size in bytes. */
  memoryBytes: number;
  /** Copied into each worker's memory with its first run of the job. */
  inputs: Array<{ offset: number; bytes: Uint8Array }>;
  /** Per-part output slots (see PrivateRangeTask), written back into `memory`. */
  outputs: Array<{ offset: number; bytesPerPart: number }>;
  /** The pool's memory, for the outputs. */
  memory: WebAssembly.Memory;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; fraction: number }) => void;
  progressIntervalMs?: number;
}

/** Throws, naming the option, unless every view of `use` is on the pool's memory and every output slot fits its view. */
export function checkPrivateMemory(memory: WebAssembly.Memory, use: PrivateMemoryUse, parts: number): void {
  const buffer = memory.buffer;
  const onMemory = (v: unknown): v is TypedArray => ArrayBuffer.isView(v) && v.buffer.constructor === buffer.constructor && v.byteOffset + v.byteLength <= buffer.byteLength;
  for (const view of use.inputs ?? []) {
    if (!onMemory(view)) throw invalid("privateMemory.inputs", view, "an array of views allocated by this pool (pool.alloc)");
  }
  for (const o of use.partOutputs ?? []) {
    if (!onMemory(o?.view)) throw invalid("privateMemory.partOutputs", o?.view, "views allocated by this pool (pool.alloc)");
    if (!Number.isInteger(o.bytesPerPart) || o.bytesPerPart < 0 || o.bytesPerPart * parts > o.view.byteLength) {
      throw invalid("privateMemory.partOutputs.bytesPerPart", o.bytesPerPart, `an integer from 0 to ${Math.floor(o.view.byteLength / Math.max(parts, 1))} (the view's bytes over ${parts} parts)`);
    }
  }
}

/** A pool's range job that allows private memories (RangeJob.privateMemory) on `workers` workers: one partial per part, in part order. */
export function runRangeJobPrivately(pool: PrivateWorkers, memory: WebAssembly.Memory, job: RangeJob, workers: number): Promise<Float64Array> {
  const bytes = new Uint8Array(memory.buffer);
  return runRangePrivately(pool, {
    kernel: job.kernel,
    args: job.args ?? [],
    spec: job.spec,
    combine: job.combine ?? "sum",
    workers,
    memoryBytes: bytes.byteLength,
    // copies: a view of the pool's memory cannot be posted to a worker here
    inputs: (job.privateMemory?.inputs ?? []).map((v) => ({ offset: v.byteOffset, bytes: bytes.slice(v.byteOffset, v.byteOffset + v.byteLength) })),
    outputs: (job.privateMemory?.partOutputs ?? []).map((o) => ({ offset: o.view.byteOffset, bytesPerPart: o.bytesPerPart })),
    memory,
    signal: job.signal,
    onProgress: job.onProgress,
    progressIntervalMs: job.progressIntervalMs,
  });
}

/** One partial per part, in part order. */
export async function runRangePrivately(pool: PrivateWorkers, job: PrivateRangeJob): Promise<Float64Array> {
  const { parts } = job.spec;
  const partials = new Float64Array(parts);
  let next = 0;
  let done = 0;
  let stopped = false;
  const stop = (): void => { stopped = true; };

  const claim = (): { first: number; count: number } | undefined => {
    const remaining = parts - next;
    if (stopped || remaining <= 0) return undefined;
    const count = Math.max(1, Math.floor(remaining / (4 * job.workers)));
    const first = next;
    next += count;
    return { first, count };
  };

  const work = async (worker: number): Promise<void> => {
    let inputs: PrivateRangeTask["inputs"] = job.inputs;
    for (let run = claim(); run; run = claim()) {
      const task: PrivateRangeTask = {
        kind: "private-range", kernel: job.kernel, args: job.args, spec: job.spec, combine: job.combine,
        first: run.first, count: run.count, memoryBytes: job.memoryBytes, inputs, outputs: job.outputs,
      };
      inputs = undefined; // the worker keeps its copy for the rest of the job
      let result: TaskResult;
      try {
        result = await pool.runOn(worker, task);
      } catch (e) {
        stop();
        throw new WorkerError(`a worker failed while running ${job.kernel}: ${messageOf(e)}`, { cause: e });
      }
      if (result && "trap" in result) {
        stop();
        throw new KernelError(job.kernel, result.part, result.trap);
      }
      if (!result || !("partials" in result) || result.partials.length !== run.count || result.outputs.length !== job.outputs.length) {
        stop();
        throw new WorkerError(`a worker answered parts ${run.first}–${run.first + run.count - 1} of ${job.kernel} without their results`);
      }
      partials.set(result.partials, run.first);
      job.outputs.forEach(({ offset, bytesPerPart }, k) => {
        new Uint8Array(job.memory.buffer, offset + run.first * bytesPerPart, run.count * bytesPerPart).set(result.outputs[k]!);
      });
      done += run.count;
    }
  };

  job.signal?.addEventListener("abort", stop, { once: true });
  const timer = job.onProgress
    ? setInterval(() => job.onProgress!({ done, total: parts, fraction: done / parts }), job.progressIntervalMs ?? 100)
    : undefined;
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: job.workers }, (_, w) => work(w)));
    // a trap names its kernel and part; report it rather than a worker failure it caused
    const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
    const failure = failures.find((e) => e instanceof KernelError) ?? failures[0];
    if (failure) throw failure;
    if (job.signal?.aborted) throw new AbortError(job.signal.reason);
    if (done !== parts) throw new WorkerError(`job ${job.kernel} ended with parts unfinished`);
    return partials;
  } finally {
    if (timer) clearInterval(timer);
    job.signal?.removeEventListener("abort", stop);
  }
}
