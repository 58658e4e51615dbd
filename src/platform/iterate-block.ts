/**
 * The shared block of an iterate job (Pool.iterate): the lanes' barrier, the stop word, the
 * reduced value and one value slot per lane. Written by the lanes (iterate-lane.ts) and read by
 * the pool for progress and the result.
 *
 *   byte 0    i32  ARRIVED     lanes at the barrier of this step
 *   byte 4    i32  GENERATION  barrier generation: +1 each time the last lane arrives
 *   byte 8    i32  STATUS      IterateStatus: RUNNING until a lane or the pool ends the loop
 *   byte 12   i32  ITERATIONS  steps completed (written by the last lane to arrive)
 *   byte 16   f64  VALUE       the latest reduced value
 *   byte 24   i32  SLEEPERS    lanes asleep at the barrier (in Atomics.wait): the last to
 *                              arrive notifies only when there are some (a notify takes a lock
 *                              in the engine even when nobody waits)
 *   byte 64   f64 × lanes      each lane's value of the current iteration's last phase
 * ITERATIONS counts whole iterations (of `phases` steps each, Pool.iterate's option).
 */
export const IterateWord = { ARRIVED: 0, GENERATION: 1, STATUS: 2, ITERATIONS: 3, SLEEPERS: 6 } as const;
export const VALUE_BYTE = 16;
export const SLOTS_BYTE = 64;

export const IterateStatus = {
  RUNNING: 0,
  CONVERGED: 1,
  ITERATION_LIMIT: 2,
  CANCELLED: 3,
  TIMED_OUT: 4,
  TRAPPED: 5,
} as const;

export const IterateReduce = { max: 0, min: 1, sum: 2 } as const;
export type IterateReduceName = keyof typeof IterateReduce;

/** Bytes of the block for `lanes` lanes. */
export function iterateBlockBytes(lanes: number): number {
  return SLOTS_BYTE + 8 * lanes;
}

/** Ends the loop from outside (abort, a failure): every lane leaves at its next barrier. */
export function stopIterate(block: Int32Array, status: number): void {
  Atomics.compareExchange(block, IterateWord.STATUS, IterateStatus.RUNNING, status);
  Atomics.add(block, IterateWord.GENERATION, 1);
  Atomics.notify(block, IterateWord.GENERATION);
}
