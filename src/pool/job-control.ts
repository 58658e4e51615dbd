/**
 * Layout of a job's control block in shared memory, written by the pool and by every worker of
 * the job with Atomics. One Int32Array of controlWords(parts) words:
 *
 *   [0, CONTROL_WORDS)                     the counters below;
 *   [CONTROL_WORDS, +parts)                one state word per part (PartState);
 *   [CONTROL_WORDS + parts, +parts)        the completion log: part indices in the order they
 *                                          finished, -1 where not yet written.
 *
 * Workers claim parts through NEXT (dynamic scheduling), but a claim is only valid once the
 * part's state word moved from FREE to CLAIMED + lane with a compare-exchange. The state words
 * are what make a dead worker recoverable: the pool knows which lane (task) each unfinished
 * part belongs to, so it can hand exactly those parts to a new task.
 */
export const Control = {
  /** Next part to claim (Atomics.add). May run past `parts`: claims beyond it mean "no work". */
  NEXT: 0,
  /** Parts finished; incremented after the part's log entry is written. The pool waits on it. */
  DONE: 1,
  /** Non-zero: stop claiming parts (set on abort or on a trap in any worker). */
  CANCEL: 2,
  /** Next free slot of the completion log. */
  LOGGED: 3,
} as const;

export const CONTROL_WORDS = 4;

export const PartState = {
  FREE: 0,
  DONE: 1,
  /** CLAIMED + lane: claimed by the task of that lane, not finished. */
  CLAIMED: 2,
} as const;

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
