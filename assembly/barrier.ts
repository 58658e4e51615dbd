/**
 * A reusable, generation-counted barrier in shared memory, for kernels that run as one long
 * task per worker and meet once per step (src/sync/barrier.ts is the same protocol in JS; a
 * barrier may mix parties of both kinds).
 *
 * Memory layout: BARRIER_BYTES (64, one cache line) at a 4-aligned `ptr`, Int32 words
 *   word 0  arrived     parties arrived in the current generation; the last one resets it to 0
 *                       before it bumps the generation
 *   word 1  generation  bumped by the last party to arrive: the release; sleepers wait on it
 *   word 2  parties     set by init
 *   word 3  state       0 intact; 1 timed out (a party waited past its timeout); 2 cancelled
 *                       (abort). Once non-zero it stays so until the next init, and every wait
 *                       returns it at once: a broken barrier releases everyone, never hangs.
 *   word 4  sleepers    parties inside wait32; the releaser notifies only when it is non-zero
 *   words 5–15          unused, so the next cache line holds nothing that the parties write
 * Every access is atomic (sequentially consistent), so a party's writes before its wait are
 * visible to every party after the same wait returns.
 *
 * Why spin first: a wake-up through the futex costs 5–50 µs, more than a whole sweep of a small
 * grid. A waiter first polls the generation with atomic loads (BARRIER_SPINS times,
 * about 17 µs on this machine) and only then sleeps in memory.atomic.wait32.
 *
 * Why `sleepers`: notify takes a lock inside the engine even with no waiter. The waiter stores
 * `sleepers` then reads the generation (in wait32); the releaser stores the generation then
 * reads `sleepers` — with sequentially consistent atomics one of the two sees the other, so a
 * sleeper is never missed.
 *
 * Timeouts: wasm has no clock, so `timeoutMs` bounds each sleep rather than the whole wait; a
 * sleep ends early only at a release or an abort, both of which end the wait.
 */

const ARRIVED: usize = 0;
const GENERATION: usize = 4;
const PARTIES: usize = 8;
const STATE: usize = 12;
const SLEEPERS: usize = 16;

/** barrierWait's results, and the values of the state word (index.ts exports only the functions). */
export const BARRIER_OK: i32 = 0;
export const BARRIER_TIMED_OUT: i32 = 1;
export const BARRIER_CANCELLED: i32 = 2;

/** Atomic loads of the generation before a waiter sleeps (see above). */
const BARRIER_SPINS: i32 = 20000;

/** Sets up a barrier for `parties` parties (≥ 1) at `ptr`. No party may be waiting on it. */
export function barrierInit(ptr: usize, parties: i32): void {
  atomic.store<i32>(ptr + ARRIVED, 0);
  atomic.store<i32>(ptr + GENERATION, 0);
  atomic.store<i32>(ptr + PARTIES, parties);
  atomic.store<i32>(ptr + SLEEPERS, 0);
  atomic.store<i32>(ptr + STATE, BARRIER_OK);
}

/**
 * Waits until all parties have called wait for this generation. Returns 0 (released),
 * 1 (timed out: this party's sleep lasted `timeoutMs`, or another party's did) or 2 (cancelled
 * by barrierAbort). A timeout breaks the barrier, so the other parties return 1 too instead of
 * waiting for a party that will not come. `timeoutMs` < 0 waits without limit.
 */
export function barrierWait(ptr: usize, timeoutMs: f64): i32 {
  const broken = atomic.load<i32>(ptr + STATE);
  if (broken != BARRIER_OK) return broken;
  // read before arriving: the generation cannot move on until this party has arrived
  const generation = atomic.load<i32>(ptr + GENERATION);
  const parties = atomic.load<i32>(ptr + PARTIES);
  if (atomic.add<i32>(ptr + ARRIVED, 1) + 1 == parties) {
    atomic.store<i32>(ptr + ARRIVED, 0);
    atomic.add<i32>(ptr + GENERATION, 1);
    if (atomic.load<i32>(ptr + SLEEPERS) != 0) atomic.notify(ptr + GENERATION, -1);
    return BARRIER_OK;
  }
  for (let i = 0; i < BARRIER_SPINS; i++) {
    if (atomic.load<i32>(ptr + GENERATION) != generation) return BARRIER_OK;
    const state = atomic.load<i32>(ptr + STATE);
    if (state != BARRIER_OK) return state;
  }
  const timeoutNs: i64 = timeoutMs < 0 ? -1 : <i64>(timeoutMs * 1e6);
  let woke: AtomicWaitResult;
  do {
    atomic.add<i32>(ptr + SLEEPERS, 1);
    woke = memory.atomic.wait32(ptr + GENERATION, generation, timeoutNs);
    atomic.sub<i32>(ptr + SLEEPERS, 1);
    if (atomic.load<i32>(ptr + GENERATION) != generation) return BARRIER_OK;
    const state = atomic.load<i32>(ptr + STATE);
    if (state != BARRIER_OK) return state;
  } while (woke != AtomicWaitResult.TIMED_OUT);
  atomic.cmpxchg<i32>(ptr + STATE, BARRIER_OK, BARRIER_TIMED_OUT);
  atomic.notify(ptr + GENERATION, -1);
  // a release may have come between the last check and the break: it wins for this party
  if (atomic.load<i32>(ptr + GENERATION) != generation) return BARRIER_OK;
  return atomic.load<i32>(ptr + STATE);
}

/**
 * Breaks the barrier: every party waiting returns 2 (cancelled) at once, and so does every
 * later wait until the next init. A barrier already broken by a timeout stays timed out.
 */
export function barrierAbort(ptr: usize): void {
  atomic.cmpxchg<i32>(ptr + STATE, BARRIER_OK, BARRIER_CANCELLED);
  atomic.notify(ptr + GENERATION, -1);
}

/** The barrier's state word: 0 intact, 1 timed out, 2 cancelled. */
export function barrierState(ptr: usize): i32 {
  return atomic.load<i32>(ptr + STATE);
}
