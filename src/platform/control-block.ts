/**
 * A job's control block in shared memory, written by the pool and by every worker of the job
 * with Atomics. Every job that runs where the pool's memory is reachable has one. One Int32Array
 * of controlWords(lanes, parts) words:
 *
 *   +--------------------------------+  word 0
 *   | NEXT | DONE | CANCEL | LOGGED  |  the counters below
 *   +--------------------------------+  CONTROL_WORDS
 *   | lane 0 | lane 1 | …            |  one LaneState per lane (task) the job may start
 *   +--------------------------------+  CONTROL_WORDS + lanes
 *   | part 0 | part 1 | …            |  one PartState per part
 *   +--------------------------------+  CONTROL_WORDS + lanes + parts
 *   | log 0  | log 1  | …            |  part indices in the order they finished, -1 unwritten
 *   +--------------------------------+  CONTROL_WORDS + lanes + 2·parts
 *
 * The lane words make a queued task cancellable without killing a worker: a worker moves its
 * lane from PENDING to STARTED before it runs anything, the pool from PENDING to CANCELLED when
 * the job ends early; whoever loses the compare-exchange knows. A cancelled lane never runs.
 *
 * Workers claim parts through NEXT (dynamic scheduling), but a claim is only valid once the
 * part's state word moved from FREE to CLAIMED + lane with a compare-exchange. The state words
 * make a dead worker recoverable: the pool knows which lane each unfinished part belongs to, so
 * it can hand exactly those parts to a new lane.
 */
export const Control = {
  /** Next part to claim (Atomics.add). May run past `parts`: claims beyond it mean "no work". */
  NEXT: 0,
  /** Parts finished; incremented after the part's log entry is written. The pool waits on it. */
  DONE: 1,
  /** Non-zero: stop (set on abort, a timeout or a trap in any lane). Lanes check it between blocks. */
  CANCEL: 2,
  /** Next free slot of the completion log. */
  LOGGED: 3,
} as const;

export const CONTROL_WORDS = 4;

export const LaneState = {
  PENDING: 0,
  STARTED: 1,
  CANCELLED: 2,
} as const;

export const PartState = {
  FREE: 0,
  DONE: 1,
  /** CLAIMED + lane: claimed by the task of that lane, not finished. */
  CLAIMED: 2,
} as const;

/** Where a task finds its job's control block. */
export interface ControlRef {
  /** Byte offset of the block. */
  control: number;
  /** Lane words in the block. */
  lanes: number;
  /** Parts in the block (0 for calls). */
  parts: number;
  /** This task's lane. */
  lane: number;
}

/** Int32 words in the control block of a job of `lanes` lanes and `parts` parts. */
export function controlWords(lanes: number, parts: number): number {
  return CONTROL_WORDS + lanes + 2 * parts;
}

export function laneIndex(lane: number): number {
  return CONTROL_WORDS + lane;
}

export function stateIndex(lanes: number, part: number): number {
  return CONTROL_WORDS + lanes + part;
}

export function logIndex(lanes: number, parts: number, k: number): number {
  return CONTROL_WORDS + lanes + parts + k;
}

/** A fresh control block: counters zero, every lane PENDING, every part FREE, the log empty. */
export function initControl(control: Int32Array, lanes: number, parts: number): void {
  control.fill(0, 0, CONTROL_WORDS + lanes + parts);
  control.fill(-1, CONTROL_WORDS + lanes + parts, CONTROL_WORDS + lanes + 2 * parts);
}

/** The view of a task's control block. */
export function controlView(memory: WebAssembly.Memory, ref: ControlRef): Int32Array {
  return new Int32Array(memory.buffer, ref.control, controlWords(ref.lanes, ref.parts));
}

/** Worker side: claims the lane before running; false when the pool cancelled it first. */
export function startLane(ctl: Int32Array, lane: number): boolean {
  return Atomics.compareExchange(ctl, laneIndex(lane), LaneState.PENDING, LaneState.STARTED) === LaneState.PENDING;
}

/** Pool side: cancels a lane that has not started; true when it will never run. */
export function cancelLane(ctl: Int32Array, lane: number): boolean {
  const was = Atomics.compareExchange(ctl, laneIndex(lane), LaneState.PENDING, LaneState.CANCELLED);
  return was === LaneState.PENDING || was === LaneState.CANCELLED;
}
