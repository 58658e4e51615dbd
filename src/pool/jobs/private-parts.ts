/**
 * A range job on workers that cannot share the pool's memory (a browser page that is not
 * cross-origin isolated): runs of consecutive parts go to the workers by message, each worker
 * computes them on its private memory and sends back their partials and the bytes they wrote to
 * their output slots, and the job stores partial j in slot j and the bytes where part j would
 * have written them. The parts' blocks and the combining within a part are those of the
 * shared-memory path (src/platform/task.ts), and the caller reduces in part order, so the
 * result has the same bits.
 *
 * Runs are handed out by guided self-scheduling (a quarter of the remaining parts divided among
 * the workers, at least one part): few messages, and the last runs are short, so the workers
 * finish together. A run whose worker dies runs again, once, on its replacement, which gets the
 * inputs again (its memory is new).
 */
import { WorkerError, invalid, messageOf } from "../../errors.js";
import type { SharedArena, TypedArray } from "../../memory/arena.js";
import type { PartitionSpec } from "../../plan/partition.js";
import type { PartCombine, PrivateRangeResult, PrivateRangeTask, Task, TaskResult } from "../../platform/task.js";
import type { JobSpec } from "../job.js";
import { progressOf, type Progress } from "../progress.js";

/** What a range job's kernel reads and writes of the pool's memory (RangeJob.privateMemory). */
export interface PrivateMemoryUse {
  /** Views the kernel reads. */
  inputs?: TypedArray[];
  /** Views the kernel writes part by part: part j (from 0) writes bytesPerPart bytes at view.byteOffset + j·bytesPerPart. */
  partOutputs?: Array<{ view: TypedArray; bytesPerPart: number }>;
}

/** Throws, naming the option, unless every view of `use` is on the pool's memory and every output slot fits its view. */
export function checkPrivateMemory(arena: Pick<SharedArena, "owns">, use: PrivateMemoryUse, parts: number): void {
  // a view of the pool's memory, not merely of a buffer like it: the tasks copy bytes at its offsets
  const onMemory = (v: unknown): v is TypedArray => ArrayBuffer.isView(v) && arena.owns(v);
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

export interface PrivateRangeSpec {
  kernel: string;
  args: number[];
  spec: PartitionSpec;
  combine: PartCombine;
  workers: number;
  memory: WebAssembly.Memory;
  use: PrivateMemoryUse;
}

export function privatePartsJob(job: PrivateRangeSpec): JobSpec<Float64Array, Progress> {
  const { parts } = job.spec;
  const partials = new Float64Array(parts);
  const bytes = new Uint8Array(job.memory.buffer);
  // copies: a view of the pool's memory cannot be posted to a worker here
  const inputs = (job.use.inputs ?? []).map((v) => ({ offset: v.byteOffset, bytes: bytes.slice(v.byteOffset, v.byteOffset + v.byteLength) }));
  const outputs = (job.use.partOutputs ?? []).map((o) => ({ offset: o.view.byteOffset, bytesPerPart: o.bytesPerPart }));
  const hasInputs = new Uint8Array(job.workers);
  const retried = new WeakSet<Task>();
  let next = 0;
  let done = 0;
  const task = (first: number, count: number, withInputs: boolean): PrivateRangeTask => ({
    kind: "private-range", kernel: job.kernel, args: job.args, spec: job.spec, combine: job.combine,
    first, count, memoryBytes: job.memory.buffer.byteLength, inputs: withInputs ? inputs : undefined, outputs,
  });
  return {
    kernel: job.kernel,
    slots: job.workers,
    parts: 0,
    next(slot) {
      const remaining = parts - next;
      if (remaining <= 0) return undefined;
      const count = Math.max(1, Math.floor(remaining / (4 * job.workers)));
      const first = next;
      next += count;
      const withInputs = !hasInputs[slot];
      hasInputs[slot] = 1; // the worker keeps its copy for the rest of the job
      return task(first, count, withInputs);
    },
    accept(_slot, sent, result: TaskResult) {
      const t = sent as PrivateRangeTask;
      const r = result as PrivateRangeResult | null;
      if (!r || !("partials" in r) || r.partials.length !== t.count || r.outputs.length !== outputs.length) {
        throw new WorkerError(`a worker answered parts ${t.first}–${t.first + t.count - 1} of ${job.kernel} without their results`);
      }
      partials.set(r.partials, t.first);
      outputs.forEach(({ offset, bytesPerPart }, k) => {
        new Uint8Array(job.memory.buffer, offset + t.first * bytesPerPart, t.count * bytesPerPart).set(r.outputs[k]!);
      });
      done += t.count;
    },
    retry(slot, sent, _ref, _ctl, reason) {
      if (retried.has(sent)) return new WorkerError(`a worker died twice while running ${job.kernel} (the run was retried once): ${messageOf(reason)}`, { cause: reason });
      const t = sent as PrivateRangeTask;
      const again = task(t.first, t.count, true); // a replacement worker has a new memory
      retried.add(again);
      hasInputs[slot] = 1;
      return again;
    },
    progress: () => progressOf(done, parts),
    result() {
      if (done !== parts) throw new WorkerError(`job ${job.kernel} ended with ${parts - done} of ${parts} parts unfinished`);
      return partials;
    },
  };
}
