/**
 * The tasks a worker runs, and how it runs them: written once and run by every backend
 * (tinypool workers, Web Workers, and the inline backend in the calling thread). The pool's
 * side of a task is src/pool/job.ts.
 *
 * A task that runs where the pool's memory is reachable names its job's control block
 * (control-block.ts) and its lane: it first claims the lane (a cancelled lane returns at once,
 * never running anything), then, for a parts task, claims parts — first those in `retry` (parts
 * of a dead worker handed to this lane), then from the shared NEXT counter (dynamic scheduling).
 * Part j's output has fixed slots, so which worker took a part never changes the result. A lane
 * stops when the parts run out or the cancel flag is set; the flag is read between kernel calls,
 * so a stop waits for one call at most.
 */
import { partStride, type PartitionSpec } from "../plan/partition.js";
import { Control, PartState, controlView, logIndex, startLane, stateIndex, type ControlRef } from "./control-block.js";
import { runIterateLane, type IterateTaskFields } from "./iterate-lane.js";
import { numberOf } from "../kernels/result.js";
import { ItemTrap, runItems, type KernelFunction } from "./item-loops.js";

export type PartCombine = "sum" | "min" | "max";

/** kernel(blockStart, blockEnd, ...args) for every block of every part; one f64 partial per part. */
export interface RangeTask extends ControlRef {
  kind: "range";
  kernel: string;
  /** Arguments after (blockStart, blockEnd). */
  args: number[];
  spec: PartitionSpec;
  /** Byte offset of results: Float64 × spec.parts. */
  results: number;
  combine: PartCombine;
  /** Parts to run before claiming new ones (parts a dead worker had claimed). */
  retry: number[];
}

/**
 * kernel(...args of item i) for every item; part j is items [j·chunkSize, (j+1)·chunkSize).
 * Item i's `arity` arguments are Float64 words [i·arity, (i+1)·arity) of `args`; its result
 * goes to Float64 word i of `results`.
 */
export interface BatchTask extends ControlRef {
  kind: "batch";
  kernel: string;
  items: number;
  chunkSize: number;
  arity: number;
  args: number;
  results: number;
  retry: number[];
  /**
   * Byte offset of one Uint8 per item (map's failFast: false): an item that throws gets 1 there
   * and NaN as its result, its trap goes into the task's result, and the lane goes on with the
   * next item. Absent: the first throw fails the part (and cancels the job).
   */
  failed?: number;
  /** The input's index of item 0 (imap's later windows), for the item named in a trap's message. */
  firstItem?: number;
}

/** kernel(...args) once; `ticket` (its byte offset) absent where the task cannot be cancelled (no shared memory). */
export interface CallTask {
  kind: "call";
  kernel: string;
  args: number[];
  ticket?: number;
}

export interface NoopTask { kind: "noop" }

/** One lane of an iterate job (iterate-lane.ts): the step kernel, barrier after barrier, in one long task. */
export interface IterateTask extends IterateTaskFields {
  kind: "iterate";
  ticket?: number;
}

/**
 * Parts `first` … `first + count − 1` of a range job, for a worker that cannot see the pool's
 * memory (src/pool/jobs/private-parts.ts): no control block; the partials, and the bytes the
 * parts wrote to their output slots, come back in the result.
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

export type Task = RangeTask | BatchTask | CallTask | NoopTask | PrivateRangeTask | IterateTask;

/** A trap is reported in-band so that every backend reports it the same way. */
export interface TaskTrap {
  /** The message (for a map item, followed by which item). */
  trap: string;
  part: number;
  stack?: string;
  /** The thrown error's class name and own message (JS kernels: the KernelError's cause gets them). */
  errorName?: string;
  errorMessage?: string;
}
/** The lane was cancelled before it started: nothing ran. */
export interface TaskCancelled { cancelled: true }
/** A parts task's end: the parts it finished, and (map's failFast: false) the items that threw, each with the item in `part`. */
export interface PartsDone { parts: number; failures?: TaskTrap[] }
export type TaskResult = PartsDone | { value: number } | PrivateRangeResult | TaskTrap | TaskCancelled | null;

export type KernelExports = Record<string, unknown>;

const CANCELLED: TaskCancelled = { cancelled: true };

/** Thrown between kernel calls when the job's cancel flag is set. */
class Stopped {}
const STOPPED = new Stopped();

/** Tasks a worker may still run (maxTasksPerWorker, retire.ts); absent: no limit. */
export interface TaskBudget { left: number }

/**
 * Runs a task. `budget` (a worker's maxTasksPerWorker, retire.ts) is spent one per task, or one
 * per part for parts tasks, whose lane stops claiming new parts once it is spent.
 */
export function executeTask(exports: KernelExports, memory: WebAssembly.Memory, task: Task, budget?: TaskBudget): TaskResult {
  if (budget && task.kind !== "range" && task.kind !== "batch") {
    const result = runTask(exports, memory, task);
    if (result !== CANCELLED) budget.left--;
    return result;
  }
  return runTask(exports, memory, task, budget);
}

function runTask(exports: KernelExports, memory: WebAssembly.Memory, task: Task, budget?: TaskBudget): TaskResult {
  switch (task.kind) {
    case "noop":
      return null;
    case "call": {
      if (task.ticket !== undefined && !startLane(memory, task.ticket)) return CANCELLED;
      const fn = kernelFunction(exports, task.kernel);
      try {
        return { value: numberOf(fn(...task.args)) };
      } catch (e) {
        return trapOf(e, 0);
      }
    }
    case "range":
    case "batch": {
      if (!startLane(memory, task.ticket)) return CANCELLED;
      const ctl = controlView(memory, task);
      const stopped = (): boolean => Atomics.load(ctl, Control.CANCEL) !== 0;
      if (task.kind === "batch" && task.failed !== undefined) {
        const failures: TaskTrap[] = [];
        const done = runParts(ctl, task, batchPartKeepGoing(exports, memory, task, stopped, failures), budget);
        return failures.length && done && "parts" in done ? { ...done, failures } : done;
      }
      return runParts(ctl, task, task.kind === "range" ? rangePart(exports, memory, task, stopped) : batchPart(exports, memory, task, stopped), budget);
    }
    case "private-range":
      return runPrivateRange(exports, memory, task);
    case "iterate": {
      if (task.ticket !== undefined && !startLane(memory, task.ticket)) return CANCELLED;
      const fn = kernelFunction(exports, task.kernel);
      try {
        return { value: runIterateLane(fn, memory, task) };
      } catch (e) {
        return trapOf(e, task.lane);
      }
    }
  }
}

/**
 * The claim loop shared by every parts task; `runPart(j)` does part j's work. A budget is spent
 * one per part; parts handed over from a dead lane (`retry`) run even past it (no one else
 * would claim them), new ones are claimed only while it lasts.
 */
function runParts(ctl: Int32Array, task: RangeTask | BatchTask, runPart: (j: number) => void, budget: TaskBudget | undefined): TaskResult {
  const { parts, lane } = task;
  const mine = PartState.CLAIMED + lane;
  let finished = 0;
  const run = (j: number): TaskTrap | undefined => {
    if (Atomics.compareExchange(ctl, stateIndex(j), PartState.FREE, mine) !== PartState.FREE) return undefined;
    if (budget) budget.left--;
    try {
      runPart(j);
    } catch (e) {
      if (e === STOPPED) return undefined;
      Atomics.store(ctl, Control.CANCEL, 1);
      Atomics.notify(ctl, Control.DONE);
      return trapOf(e, j);
    }
    Atomics.store(ctl, stateIndex(j), PartState.DONE);
    // log entry before DONE: the pool reads DONE first, then the log (see src/pool/jobs/parts.ts)
    Atomics.store(ctl, logIndex(parts, Atomics.add(ctl, Control.LOGGED, 1)), j);
    Atomics.add(ctl, Control.DONE, 1);
    Atomics.notify(ctl, Control.DONE);
    finished++;
    return undefined;
  };
  for (const j of task.retry) {
    if (Atomics.load(ctl, Control.CANCEL) !== 0) return { parts: finished };
    const trap = run(j);
    if (trap) return trap;
  }
  while (Atomics.load(ctl, Control.CANCEL) === 0 && (!budget || budget.left > 0)) {
    const j = Atomics.add(ctl, Control.NEXT, 1);
    if (j >= parts) break;
    const trap = run(j);
    if (trap) return trap;
  }
  return { parts: finished };
}

function rangePart(exports: KernelExports, memory: WebAssembly.Memory, task: RangeTask, stopped: () => boolean): (j: number) => void {
  const fn = kernelFunction(exports, task.kernel);
  const out = new Float64Array(memory.buffer, task.results, task.spec.parts);
  return (j) => {
    out[j] = computePart(fn, task, j, stopped);
  };
}

/** Items between two reads of the cancel flag: a read costs about as much as a tiny kernel call. */
const ITEMS_PER_CHECK = 256;

function batchPart(exports: KernelExports, memory: WebAssembly.Memory, task: BatchTask, stopped: () => boolean): (j: number) => void {
  const fn = kernelFunction(exports, task.kernel);
  const { items, chunkSize, arity } = task;
  const a = new Float64Array(memory.buffer, task.args, items * arity);
  const out = new Float64Array(memory.buffer, task.results, items);
  return (j) => {
    const start = j * chunkSize;
    const end = Math.min(items, start + chunkSize);
    try {
      for (let i = start; i < end; i += ITEMS_PER_CHECK) {
        if (i > start && stopped()) throw STOPPED;
        runItems(fn, a, out, arity, i, Math.min(end, i + ITEMS_PER_CHECK));
      }
    } catch (e) {
      if (e instanceof ItemTrap && task.firstItem) throw new ItemTrap(e.error, e.item + task.firstItem);
      throw e;
    }
  };
}

/**
 * batchPart for map's failFast: false: an item that throws is flagged in the shared `failed`
 * bytes (so that its failure outlives this worker), gets NaN, and is listed in `failures` with
 * its item number as `part`; the part goes on. The cancel flag is read at items that are
 * multiples of ITEMS_PER_CHECK.
 */
function batchPartKeepGoing(exports: KernelExports, memory: WebAssembly.Memory, task: BatchTask, stopped: () => boolean, failures: TaskTrap[]): (j: number) => void {
  const fn = kernelFunction(exports, task.kernel);
  const { items, chunkSize, arity } = task;
  const a = new Float64Array(memory.buffer, task.args, items * arity);
  const out = new Float64Array(memory.buffer, task.results, items);
  const failed = new Uint8Array(memory.buffer, task.failed!, items);
  return (j) => {
    const start = j * chunkSize;
    const end = Math.min(items, start + chunkSize);
    let i = start;
    while (i < end) {
      if (i > start && i % ITEMS_PER_CHECK === 0 && stopped()) throw STOPPED;
      const stop = Math.min(end, (Math.floor(i / ITEMS_PER_CHECK) + 1) * ITEMS_PER_CHECK);
      try {
        runItems(fn, a, out, arity, i, stop);
        i = stop;
      } catch (e) {
        if (!(e instanceof ItemTrap)) throw e;
        out[e.item] = NaN;
        failed[e.item] = 1;
        failures.push({ ...trapOf(new ItemTrap(e.error, e.item + (task.firstItem ?? 0)), j), part: e.item });
        i = e.item + 1;
      }
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
      out[j] = computePart(fn, task, j, never);
    } catch (e) {
      return trapOf(e, j);
    }
  }
  return out;
}

const never = (): boolean => false;

function runPrivateRange(exports: KernelExports, memory: WebAssembly.Memory, task: PrivateRangeTask): TaskResult {
  const fn = kernelFunction(exports, task.kernel);
  const missing = task.memoryBytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  for (const input of task.inputs ?? []) new Uint8Array(memory.buffer, input.offset, input.bytes.length).set(input.bytes);
  const partials = new Float64Array(task.count);
  for (let i = 0; i < task.count; i++) {
    try {
      partials[i] = computePart(fn, task, task.first + i, never);
    } catch (e) {
      return trapOf(e, task.first + i);
    }
  }
  const outputs = task.outputs.map(({ offset, bytesPerPart }) =>
    new Uint8Array(memory.buffer, offset + task.first * bytesPerPart, task.count * bytesPerPart).slice());
  return { partials, outputs };
}

/**
 * Part j's partial: the kernel over each of its blocks, in increasing order, combined in block
 * order (the walk of plan/partition.ts's forEachBlock). The cancel flag is read between blocks:
 * a cyclic part over a huge range is billions of calls, and an abort must not wait for them.
 */
function computePart(fn: KernelFunction, task: Pick<RangeTask, "spec" | "args" | "combine">, j: number, stopped: () => boolean): number {
  const { spec, args, combine } = task;
  const stride = partStride(spec);
  let acc = 0;
  let first = true;
  for (let b = spec.start + j * spec.blockSize; b < spec.end; b += stride) {
    if (!first && stopped()) throw STOPPED;
    const v = numberOf(fn(b, Math.min(b + spec.blockSize, spec.end), ...args));
    acc = first ? v : combine === "sum" ? acc + v : combine === "min" ? Math.min(acc, v) : Math.max(acc, v);
    first = false;
    if (spec.scheme === "block") break;
  }
  return acc;
}



export function kernelFunction(exports: KernelExports, name: string): KernelFunction {
  if (name === PATH_WARM_UP_KERNELS[0]) return pathWarmUpAdd;
  if (name === PATH_WARM_UP_KERNELS[1]) return pathWarmUpSub;
  const fn = exports[name];
  if (typeof fn !== "function") {
    throw new Error(`the module exports no kernel named ${JSON.stringify(name)}; it exports: ${kernelNames(exports).join(", ")}`);
  }
  return fn as KernelFunction;
}

/**
 * The kernels of the pool's own warm-up calls (src/pool/path-warm-up.ts): item functions of ours,
 * never the user's, so that warming the task path up runs none of their code (the item loops
 * themselves are warmed up in each thread by warmUpItemLoops, item-loops.ts). Their names start
 * with "__", which kernelNames never offers.
 */
export const PATH_WARM_UP_KERNELS = ["__wasmMpPathWarmUpAdd", "__wasmMpPathWarmUpSub"] as const;
const pathWarmUpAdd = (x: number, y = 0): number => x + y;
const pathWarmUpSub = (x: number, y = 0): number => x - y;

/** The module's exported functions, the names a pool call may use as `kernel`. */
export function kernelNames(exports: KernelExports): string[] {
  return Object.keys(exports).filter((k) => typeof exports[k] === "function" && !k.startsWith("__"));
}

function trapOf(e: unknown, part: number): TaskTrap {
  if (e instanceof ItemTrap) {
    const inner = trapOf(e.error, part);
    return { ...inner, trap: `${inner.trap} (item ${e.item})` };
  }
  if (!(e instanceof Error)) return { trap: String(e), part };
  return { trap: e.message, part, stack: e.stack, errorName: e.name, errorMessage: e.message };
}
