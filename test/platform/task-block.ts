/**
 * A job's shared memory for running src/platform/task.ts's tasks in the test's own thread:
 * a ticket word and a control block laid out as src/platform/control-block.ts documents them
 * (written here by hand, not by the code under test), and regions for arguments, results and
 * failed flags.
 */
import type { BatchTask, RangeTask } from "../../dist/platform/task.js";
import type { PartitionSpec } from "../../dist/plan/partition.js";

/** Byte offsets in a job's memory. */
export const TICKET = 0;
export const CONTROL = 64;
export const ARGS = 8192;
export const RESULTS = 65536;
export const FAILED = 98304;

/** Control block words (control-block.ts). */
export const NEXT = 0;
export const DONE = 1;
export const CANCEL = 2;
export const LOGGED = 3;
/** Part states and lane states. */
export const FREE = 0;
export const PART_DONE = 1;
export const CLAIMED = 2;
export const PENDING = 0;
export const STARTED = 1;
export const CANCELLED = 2;

export interface Job {
  memory: WebAssembly.Memory;
  /** The control block: NEXT, DONE, CANCEL, LOGGED, a state per part, then the log. */
  ctl: Int32Array;
  /** The word of the task's ticket. */
  ticket: Int32Array;
  results: Float64Array;
  args: Float64Array;
  failed: Uint8Array;
  state(j: number): number;
  /** The completion log's written entries, in order. */
  log(): number[];
}

/** A fresh memory with a ticket PENDING and a control block of `parts` parts: counters 0, parts FREE, log −1. */
export function job(parts: number, memory = new WebAssembly.Memory({ initial: 2, maximum: 256, shared: true })): Job {
  const ctl = new Int32Array(memory.buffer, CONTROL, 4 + 2 * parts);
  ctl.fill(0, 0, 4 + parts);
  ctl.fill(-1, 4 + parts);
  const ticket = new Int32Array(memory.buffer, TICKET, 1);
  ticket[0] = PENDING;
  return {
    memory, ctl, ticket,
    results: new Float64Array(memory.buffer, RESULTS, 1024).fill(-7),
    args: new Float64Array(memory.buffer, ARGS, 1024),
    failed: new Uint8Array(memory.buffer, FAILED, 1024),
    state: (j) => ctl[4 + j]!,
    log: () => [...ctl.subarray(4 + parts, 4 + 2 * parts)].filter((k) => k !== -1),
  };
}

/** Sentinel the results region holds before a task runs: a slot still -7 was not written. */
export const UNWRITTEN = -7;

export function rangeTask(spec: PartitionSpec, kernel: string, more: Partial<RangeTask> = {}): RangeTask {
  return { kind: "range", kernel, args: [], spec, results: RESULTS, combine: "sum", retry: [], ticket: TICKET, control: CONTROL, parts: spec.parts, lane: 0, ...more };
}

export function batchTask(kernel: string, items: number, chunkSize: number, arity: number, more: Partial<BatchTask> = {}): BatchTask {
  const parts = Math.ceil(items / chunkSize);
  return { kind: "batch", kernel, items, chunkSize, arity, args: ARGS, results: RESULTS, retry: [], ticket: TICKET, control: CONTROL, parts, lane: 0, ...more };
}

/** Σ i² for i in [start, end): the plain reference of the test kernels' part values. */
export function sumSquares(start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += i * i;
  return s;
}

/** Waits (asynchronously, in this thread) for a notify on word `index` of `ctl` while it holds `value`: "ok" or "timed-out". */
export function notified(ctl: Int32Array, index: number, value: number, ms = 2000): Promise<string> {
  const w = Atomics.waitAsync(ctl, index, value, ms);
  return w.async ? w.value : Promise.resolve(w.value);
}
