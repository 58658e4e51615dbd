/**
 * A job's control block in shared memory, written by the pool and by every worker of the job
 * with Atomics. Every job that runs where the pool's memory is reachable has one. One Int32Array
 * of controlWords(parts) words:
 *
 *   +--------------------------------+  word 0
 *   | NEXT | DONE | CANCEL | LOGGED  |  the counters below
 *   +--------------------------------+  CONTROL_WORDS
 *   | part 0 | part 1 | …            |  one PartState per part
 *   +--------------------------------+  CONTROL_WORDS + parts
 *   | log 0  | log 1  | …            |  part indices in the order they finished, -1 unwritten
 *   +--------------------------------+  CONTROL_WORDS + 2·parts
 *
 * Every task (lane) also has a ticket: one word of the pool's ticket ring (src/pool/tickets.ts),
 * which makes a queued task cancellable without killing a worker. A worker moves its ticket
 * from PENDING to STARTED before it runs anything or reads the control block, the pool from
 * PENDING to CANCELLED when the job ends early; whoever loses the compare-exchange knows. A
 * cancelled lane never runs, so the job's memory can be freed without waiting for it; the
 * ticket word itself outlives the task.
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

/** Where a task finds its ticket and its job's control block. */
export interface ControlRef {
  /** Byte offset of the task's ticket word. */
  ticket: number;
  /** Byte offset of the job's control block (0: the job has none). */
  control: number;
  /** Parts in the block (0 for calls). */
  parts: number;
  /** This task's lane: its claims are marked PartState.CLAIMED + lane. */
  lane: number;
}

/** Int32 words in the control block of a job of `parts` parts. */
export function controlWords(parts: number): number {
  return CONTROL_WORDS + 2 * parts;
}

export function stateIndex(part: number): number {
  return CONTROL_WORDS + part;
}

export function logIndex(parts: number, k: number): number {
  return CONTROL_WORDS + parts + k;
}

/** A fresh control block: counters zero, every part FREE, the log empty. */
export function initControl(control: Int32Array, parts: number): void {
  control.fill(0, 0, CONTROL_WORDS + parts);
  control.fill(-1, CONTROL_WORDS + parts, CONTROL_WORDS + 2 * parts);
}

/** The view of a task's control block. */
export function controlView(memory: WebAssembly.Memory, ref: ControlRef): Int32Array {
  return new Int32Array(memory.buffer, ref.control, controlWords(ref.parts));
}

/** One view of the whole memory per thread, made again only when the memory has grown (a task's hot path). */
let wordsOf: { buffer: ArrayBufferLike; words: Int32Array } | undefined;

/** Worker side: claims the task's ticket before running; false when the pool cancelled it first. */
export function startLane(memory: WebAssembly.Memory, ticket: number): boolean {
  const buffer = memory.buffer;
  if (wordsOf?.buffer !== buffer) wordsOf = { buffer, words: new Int32Array(buffer) };
  // >>> : a ticket past 2 GiB has bit 31 set, and `>> 2` made its index negative ("Invalid atomic access index")
  return Atomics.compareExchange(wordsOf.words, ticket >>> 2, LaneState.PENDING, LaneState.STARTED) === LaneState.PENDING;
}
