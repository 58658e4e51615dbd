/**
 * Layout of a range job's control block: CONTROL_WORDS Int32 words in shared memory, written
 * by the pool and by every worker of the job with Atomics.
 */
export const Control = {
  /** Next part to claim (Atomics.add). May run past `parts`: claims beyond it mean "no work". */
  NEXT: 0,
  /** Parts finished; the pool polls it for progress. */
  DONE: 1,
  /** Non-zero: stop claiming parts (set on abort or on a trap in any worker). */
  CANCEL: 2,
} as const;

export const CONTROL_WORDS = 4;
