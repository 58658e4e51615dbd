/**
 * What a worker does with a task, written once and run by every backend (tinypool workers,
 * Web Workers, and the inline backend in the calling thread).
 *
 * A parts task (range or batch) is sent once per participating worker, each copy with its own
 * lane number. Workers claim parts through the control block (job-control.ts): first the parts
 * in `retry` (parts of a dead worker that the pool handed to this lane), then parts from the
 * shared NEXT counter (dynamic scheduling: a fast worker takes more parts). Part j's output has
 * fixed slots, so which worker took a part never changes the result. A worker stops when the
 * parts run out or the cancel flag is set.
 */
import { forEachBlock, type PartitionSpec } from "../plan/partition.js";
import { Control, PartState, controlWords, logIndex, stateIndex } from "./job-control.js";

export type PartCombine = "sum" | "min" | "max";

/** Fields every part-claiming task carries. */
export interface PartsTaskBase {
  kernel: string;
  /** Byte offset of the job's control block (see job-control.ts). */
  control: number;
  parts: number;
  /** This task's lane: its claims are marked PartState.CLAIMED + lane. */
  lane: number;
  /** Parts to run before claiming new ones (parts a dead worker had claimed). */
  retry: number[];
}

/** kernel(blockStart, blockEnd, ...args) for every block of every part; one f64 partial per part. */
export interface RangeTask extends PartsTaskBase {
  kind: "range";
  /** Arguments after (blockStart, blockEnd). */
  args: number[];
  spec: PartitionSpec;
  /** Byte offset of results: Float64 × spec.parts. */
  results: number;
  combine: PartCombine;
}

/**
 * kernel(...args of item i) for every item; part j is items [j·chunkSize, (j+1)·chunkSize).
 * Item i's `arity` arguments are Float64 words [i·arity, (i+1)·arity) of `args`; its result
 * goes to Float64 word i of `results`.
 */
export interface BatchTask extends PartsTaskBase {
  kind: "batch";
  items: number;
  chunkSize: number;
  arity: number;
  args: number;
  results: number;
}

export interface CallTask {
  kind: "call";
  kernel: string;
  args: number[];
}

export interface NoopTask { kind: "noop" }

/**
 * Parts `first` … `first + count − 1` of a range job, for a worker that cannot see the pool's
 * memory (private-range.ts): no control block; the partials, and the bytes the parts wrote to
 * their output slots, come back in the result.
 */
export interface PrivateRangeTask {
  kind: "private-range";
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
  /** Per-part output slots: part j writes `bytesPerPart` bytes at offset + j·bytesPerPart. */
  outputs: Array<{ offset: number; bytesPerPart: number }>;
}

/** The partials of parts first … first + count − 1, and their output slots' bytes, one array per output. */
export interface PrivateRangeResult { partials: Float64Array; outputs: Uint8Array[] }

export type Task = RangeTask | BatchTask | CallTask | NoopTask | PrivateRangeTask;

/** A trap is reported in-band so that every backend reports it the same way. */
export interface TaskTrap { trap: string; part: number }
export type TaskResult = { parts: number } | { value: number } | PrivateRangeResult | TaskTrap | null;

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
      return runParts(memory, task, rangePart(exports, memory, task));
    case "batch":
      return runParts(memory, task, batchPart(exports, memory, task));
    case "private-range":
      return runPrivateRange(exports, memory, task);
  }
}

/** The claim loop shared by every parts task; `runPart(j)` does part j's work. */
function runParts(memory: WebAssembly.Memory, task: PartsTaskBase, runPart: (j: number) => void): TaskResult {
  const { parts, lane } = task;
  const ctl = new Int32Array(memory.buffer, task.control, controlWords(parts));
  const mine = PartState.CLAIMED + lane;
  let claimed = 0;
  const run = (j: number): TaskTrap | undefined => {
    if (Atomics.compareExchange(ctl, stateIndex(j), PartState.FREE, mine) !== PartState.FREE) return undefined;
    try {
      runPart(j);
    } catch (e) {
      Atomics.store(ctl, Control.CANCEL, 1);
      Atomics.notify(ctl, Control.DONE);
      return { trap: trapMessage(e), part: j };
    }
    Atomics.store(ctl, stateIndex(j), PartState.DONE);
    // log entry before DONE: the pool reads DONE first, then the log (see parts-job.ts)
    Atomics.store(ctl, logIndex(parts, Atomics.add(ctl, Control.LOGGED, 1)), j);
    Atomics.add(ctl, Control.DONE, 1);
    Atomics.notify(ctl, Control.DONE);
    claimed++;
    return undefined;
  };
  for (const j of task.retry) {
    if (Atomics.load(ctl, Control.CANCEL) !== 0) return { parts: claimed };
    const trap = run(j);
    if (trap) return trap;
  }
  while (Atomics.load(ctl, Control.CANCEL) === 0) {
    const j = Atomics.add(ctl, Control.NEXT, 1);
    if (j >= parts) break;
    const trap = run(j);
    if (trap) return trap;
  }
  return { parts: claimed };
}

function rangePart(exports: KernelExports, memory: WebAssembly.Memory, task: RangeTask): (j: number) => void {
  const fn = kernelFunction(exports, task.kernel);
  const out = new Float64Array(memory.buffer, task.results, task.spec.parts);
  return (j) => {
    out[j] = computePart(fn, task, j);
  };
}

function batchPart(exports: KernelExports, memory: WebAssembly.Memory, task: BatchTask): (j: number) => void {
  const fn = kernelFunction(exports, task.kernel);
  const { items, chunkSize, arity } = task;
  const a = new Float64Array(memory.buffer, task.args, items * arity);
  const out = new Float64Array(memory.buffer, task.results, items);
  // one call shape per arity, so V8 sees a monomorphic call instead of a spread
  const call: (i: number) => unknown =
    arity === 0 ? () => fn()
    : arity === 1 ? (i) => fn(a[i]!)
    : arity === 2 ? (i) => fn(a[2 * i]!, a[2 * i + 1]!)
    : arity === 3 ? (i) => fn(a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!)
    : arity === 4 ? (i) => fn(a[4 * i]!, a[4 * i + 1]!, a[4 * i + 2]!, a[4 * i + 3]!)
    : (i) => fn(...a.subarray(i * arity, (i + 1) * arity));
  return (j) => {
    const end = Math.min(items, (j + 1) * chunkSize);
    let i = j * chunkSize;
    try {
      for (; i < end; i++) out[i] = Number(call(i));
    } catch (e) {
      throw new Error(`${trapMessage(e)} (item ${i})`);
    }
  };
}

/**
 * Every part, in order, in the calling thread, into a plain array: the inline path, which
 * needs no control block in shared memory (small jobs are dominated by such overheads).
 */
export function runRangeInline(exports: KernelExports, task: Pick<RangeTask, "kernel" | "spec" | "args" | "combine">): Float64Array | TaskTrap {
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

function runPrivateRange(exports: KernelExports, memory: WebAssembly.Memory, task: PrivateRangeTask): TaskResult {
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
  const outputs = task.outputs.map(({ offset, bytesPerPart }) =>
    new Uint8Array(memory.buffer, offset + task.first * bytesPerPart, task.count * bytesPerPart).slice());
  return { partials, outputs };
}

/** Part j's partial: the kernel over each of its blocks, combined in block order. */
function computePart(fn: KernelFunction, task: Pick<RangeTask, "spec" | "args" | "combine">, j: number): number {
  const { spec, args, combine } = task;
  let acc = 0;
  let first = true;
  forEachBlock(spec, j, (start, end) => {
    const v = Number(fn(start, end, ...args));
    acc = first ? v : combine === "sum" ? acc + v : combine === "min" ? Math.min(acc, v) : Math.max(acc, v);
    first = false;
  });
  return acc;
}

type KernelFunction = (...args: number[]) => unknown;

export function kernelFunction(exports: KernelExports, name: string): KernelFunction {
  const fn = exports[name];
  if (typeof fn !== "function") {
    throw new Error(`the module exports no kernel named ${JSON.stringify(name)}; it exports: ${kernelNames(exports).join(", ")}`);
  }
  return fn as KernelFunction;
}

/** The module's exported functions, the names a pool call may use as `kernel`. */
export function kernelNames(exports: KernelExports): string[] {
  return Object.keys(exports).filter((k) => typeof exports[k] === "function" && !k.startsWith("__"));
}

function trapMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
