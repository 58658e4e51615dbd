/** The errors of the synchronization primitives. */

/** Why a barrier broke: a party's timeout, abort(), or reset() while parties waited. */
export type BarrierBreak = "timed-out" | "aborted" | "reset";

/** A wait on a broken barrier, as Python's threading.BrokenBarrierError. */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError";
  constructor(readonly reason: BarrierBreak) {
    super(`the barrier is broken (${reason})`);
  }
}
