/**
 * What a worker does with a task, written once and run by every backend (tinypool workers,
 * Web Workers, and the inline backend in the calling thread).
 *
 * A range task is the same message sent to every participating worker. Workers claim parts
 * with an atomic counter in the job's control block (dynamic scheduling: a fast worker takes
 * more parts), write part j's partial into results[j], and stop when the parts run out or the
 * cancel flag is set. The partials' slots are fixed by the part index, so which worker took a
 * part never changes the result.
 */
import { forEachBlock, type PartitionSpec } from "../plan/partition.js";
import { CONTROL_WORDS, Control } from "./job-control.js";

export type PartCombine = "sum" | "min" | "max";

export interface RangeTask {
  kind: "range";
  kernel: string;
  /** Arguments after (blockStart, blockEnd). */
  args: number[];
  spec: PartitionSpec;
  /** Byte offset of the job's control block (Int32 words, see job-control.ts). */
  control: number;
  /** Byte offset of results: Float64 × spec.parts. */
  results: number;
  combine: PartCombine;
}

export interface CallTask {
  kind: "call";
  kernel: string;
  args: number[];
}

export interface NoopTask { kind: "noop" }

/**
 * Parts `first` … `first + count − 1` of a range job, for a worker that cannot see the pool's
 * memory (see private-range.ts): the partials come back in the result, not through memory.
 */
export interface PartsTask {
  kind: "parts";
  kernel: string;
  args: number[];
  spec: PartitionSpec;
  combine: PartCombine;
  first: number;
  count: number;
  /** The pool's memory size: the worker's memory grows to it, so the kernel's addresses stay valid. */
  memoryBytes: number;
  /** Regions of the pool's memory to copy into the worker's memory, at the same addresses, before running. */
  inputs?: Array<{ offset: number; bytes: Uint8Array }>;
}

export type Task = RangeTask | CallTask | NoopTask | PartsTask;

/** A trap is reported in-band so that every backend reports it the same way. */
export interface TaskTrap { trap: string; part: number }
export type TaskResult = { parts: number } | { value: number } | { partials: Float64Array } | TaskTrap | null;

export type KernelExports = Record<string, unknown>;

export function executeTask(exports: KernelExports, memory: WebAssembly.Memory, task: Task): TaskResult {
  switch (task.kind) {
    case "noop":
      return null;
    case "call": {
      const fn = kernelFunction(exports, task.kernel);
      try {
        return { value: Number(fn(...task.args)) };
      } catch (e) {
        return { trap: trapMessage(e), part: 0 };
      }
    }
    case "range":
      return runRange(exports, memory, task);
    case "parts":
      return runParts(exports, memory, task);
  }
}

function runRange(exports: KernelExports, memory: WebAssembly.Memory, task: RangeTask): TaskResult {
  const fn = kernelFunction(exports, task.kernel);
  const ctl = new Int32Array(memory.buffer, task.control, CONTROL_WORDS);
  const out = new Float64Array(memory.buffer, task.results, task.spec.parts);
  let claimed = 0;
  while (Atomics.load(ctl, Control.CANCEL) === 0) {
    const j = Atomics.add(ctl, Control.NEXT, 1);
    if (j >= task.spec.parts) break;
    try {
      out[j] = computePart(fn, task, j);
    } catch (e) {
      Atomics.store(ctl, Control.CANCEL, 1);
      return { trap: trapMessage(e), part: j };
    }
    claimed++;
    Atomics.add(ctl, Control.DONE, 1);
  }
  return { parts: claimed };
}

/**
 * Every part, in order, in the calling thread, into a plain array: the inline path, which
 * needs no control block in shared memory (small jobs are dominated by such overheads).
 */
export function runRangeInline(exports: KernelExports, task: Omit<RangeTask, "kind" | "control" | "results">): Float64Array | TaskTrap {
  const fn = kernelFunction(exports, task.kernel);
  const out = new Float64Array(task.spec.parts);
  for (let j = 0; j < out.length; j++) {
    try {
      out[j] = computePart(fn, task, j);
    } catch (e) {
      return { trap: trapMessage(e), part: j };
    }
  }
  return out;
}

function runParts(exports: KernelExports, memory: WebAssembly.Memory, task: PartsTask): TaskResult {
  const fn = kernelFunction(exports, task.kernel);
  const missing = task.memoryBytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  for (const input of task.inputs ?? []) new Uint8Array(memory.buffer, input.offset, input.bytes.length).set(input.bytes);
  const partials = new Float64Array(task.count);
  for (let i = 0; i < task.count; i++) {
    try {
      partials[i] = computePart(fn, task, task.first + i);
    } catch (e) {
      return { trap: trapMessage(e), part: task.first + i };
    }
  }
  return { partials };
}

/** Part j's partial: the kernel over each of its blocks, combined in block order. */
function computePart(fn: KernelFunction, task: Pick<RangeTask, "spec" | "args" | "combine">, j: number): number {
  const { spec, args, combine } = task;
  let acc = 0;
  let first = true;
  forEachBlock(spec, j, (start, end) => {
    const v = fn(start, end, ...args) as number;
    acc = first ? v : combine === "sum" ? acc + v : combine === "min" ? Math.min(acc, v) : Math.max(acc, v);
    first = false;
  });
  return acc;
}

type KernelFunction = (...args: number[]) => unknown;

export function kernelFunction(exports: KernelExports, name: string): KernelFunction {
  const fn = exports[name];
  if (typeof fn !== "function") {
    const names = Object.keys(exports).filter((k) => typeof exports[k] === "function" && !k.startsWith("__"));
    throw new Error(`the module exports no kernel named ${JSON.stringify(name)}; it exports: ${names.join(", ")}`);
  }
  return fn as KernelFunction;
}

function trapMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
