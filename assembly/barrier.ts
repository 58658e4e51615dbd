/**
 * A reusable barrier in shared memory, for kernels that run as one long task per worker and
 * meet once per step; the same protocol as src/sync/barrier.ts (Python's Barrier), so a barrier
 * may mix parties of both kinds. Layout and protocol: BarrierLayout in ./sync-layout.ts.
 *
 * Why spin first: a wake-up through the futex costs 5–50 µs, more than a whole sweep of a small
 * grid. A waiter first polls the ticket with atomic loads (BARRIER_SPINS times, about 17 µs on
 * this machine) and only then sleeps in memory.atomic.wait32.
 *
 * Why `sleepers`: notify takes a lock inside the engine even with no waiter. The waiter counts
 * itself then reads the ticket (in wait32); the releaser moves the ticket then reads `sleepers`
 * — with sequentially consistent atomics one of the two sees the other.
 *
 * Timeouts: wasm has no clock, so `timeoutMs` bounds each sleep rather than the whole wait.
 */
import { BarrierLayout } from "./sync-layout";
import { sleep32 } from "./sync";

const TICKET = offsetof<BarrierLayout>("ticket");
const STATE = offsetof<BarrierLayout>("state");
const PARTIES = offsetof<BarrierLayout>("parties");
const SLEEPERS = offsetof<BarrierLayout>("sleepers");

/** The state word's values; barrierWait returns the first three. */
export const BARRIER_OK: i32 = 0;
export const BARRIER_TIMED_OUT: i32 = 1;
export const BARRIER_CANCELLED: i32 = 2;
const RESETTING: i32 = 3;

/** Atomic loads of the ticket before a waiter sleeps (see above). */
const BARRIER_SPINS: i32 = 20000;

/** Sets up a barrier for `parties` parties (1 … 65535) at `ptr`. No party may be waiting on it. */
export function barrierInit(ptr: usize, parties: i32): void {
  atomic.store<i32>(ptr + TICKET, 0);
  atomic.store<i32>(ptr + PARTIES, parties);
  atomic.store<i32>(ptr + SLEEPERS, 0);
  atomic.store<i32>(ptr + STATE, BARRIER_OK);
}

function noAction(arg: usize): void {}

/**
 * Waits until all parties have arrived in this round. Returns 0 (released), 1 (timed out: this
 * party's sleep lasted `timeoutMs`, or another party's did) or 2 (aborted or reset). A timeout
 * breaks the barrier, so the other parties return 1 too instead of waiting for a party that
 * will not come. `timeoutMs` < 0 waits without limit.
 */
export function barrierWait(ptr: usize, timeoutMs: f64): i32 {
  const r = barrierWaitAction(ptr, timeoutMs, noAction, 0);
  return r >= 0 ? BARRIER_OK : r == -1 ? BARRIER_TIMED_OUT : BARRIER_CANCELLED;
}

/** As barrierWait, Python's way: this party's arrival index 0 … parties−1, or −1 timed out, −2 aborted, −3 reset. */
export function barrierWaitIndex(ptr: usize, timeoutMs: f64): i32 {
  return barrierWaitAction(ptr, timeoutMs, noAction, 0);
}

/**
 * As barrierWaitIndex; the last party to arrive calls `action(arg)` before any party is
 * released (a top-level function of the kernel's module: every kernel party should pass the
 * same). A JS party that arrives last runs its own JS action instead.
 */
export function barrierWaitAction(ptr: usize, timeoutMs: f64, action: (arg: usize) => void, arg: usize): i32 {
  let t: i32;
  let waitedMs: f64 = 0;
  while (true) {
    const s = atomic.load<i32>(ptr + STATE);
    if (s == BARRIER_TIMED_OUT || s == BARRIER_CANCELLED) return -s;
    t = atomic.load<i32>(ptr + TICKET);
    if (s == RESETTING || (t & 0xffff) >= atomic.load<i32>(ptr + PARTIES)) {
      // a reset whose parties have not all left, or a full round not yet released: not yet
      // arrived, so a timeout here (at most timeoutMs sleeps of 1 ms) leaves the barrier as it is
      if (timeoutMs >= 0 && waitedMs >= timeoutMs) return -BARRIER_TIMED_OUT;
      sleepOnTicket(ptr, t, 1);
      waitedMs += 1;
      continue;
    }
    if (atomic.cmpxchg<i32>(ptr + TICKET, t, t + 1) == t) break;
  }
  const round = <u32>t >> 16;
  const index = t & 0xffff;
  if (index == atomic.load<i32>(ptr + PARTIES) - 1) {
    action(arg);
    if (atomic.cmpxchg<i32>(ptr + TICKET, t + 1, <i32>(((round + 1) & 0xffff) << 16)) == t + 1) {
      if (atomic.load<i32>(ptr + SLEEPERS) != 0) atomic.notify(ptr + TICKET, -1);
      settleReset(ptr);
      return index;
    }
    return leave(ptr, round, index);
  }
  for (let i = 0; i < BARRIER_SPINS; i++) {
    if (<u32>atomic.load<i32>(ptr + TICKET) >> 16 != round || atomic.load<i32>(ptr + STATE) != BARRIER_OK) break;
  }
  while (true) {
    const now = atomic.load<i32>(ptr + TICKET);
    if (<u32>now >> 16 != round) return index;
    if (atomic.load<i32>(ptr + STATE) != BARRIER_OK) return leave(ptr, round, index);
    if (sleepOnTicket(ptr, now, timeoutMs) == AtomicWaitResult.TIMED_OUT) {
      atomic.cmpxchg<i32>(ptr + STATE, BARRIER_OK, BARRIER_TIMED_OUT);
      atomic.notify(ptr + TICKET, -1);
    }
  }
}

function sleepOnTicket(ptr: usize, ticket: i32, timeoutMs: f64): i32 {
  atomic.add<i32>(ptr + SLEEPERS, 1);
  const woke = sleep32(ptr + TICKET, ticket, timeoutMs);
  atomic.sub<i32>(ptr + SLEEPERS, 1);
  return woke;
}

/** A broken party uncounts itself: −1 / −2 / −3 by the state, or its index if the release came first. */
function leave(ptr: usize, round: u32, index: i32): i32 {
  let t = atomic.load<i32>(ptr + TICKET);
  while (true) {
    if (<u32>t >> 16 != round) return index;
    const seen = atomic.cmpxchg<i32>(ptr + TICKET, t, t - 1);
    if (seen == t) break;
    t = seen;
  }
  const s = atomic.load<i32>(ptr + STATE);
  settleReset(ptr);
  return -s;
}

function settleReset(ptr: usize): void {
  if (atomic.load<i32>(ptr + STATE) == RESETTING && (atomic.load<i32>(ptr + TICKET) & 0xffff) == 0 &&
      atomic.cmpxchg<i32>(ptr + STATE, RESETTING, BARRIER_OK) == RESETTING) {
    atomic.notify(ptr + TICKET, -1);
  }
}

/**
 * Breaks the barrier: every party waiting returns broken at once, and so does every later wait
 * until the next init or reset. A barrier already broken by a timeout stays timed out.
 */
export function barrierAbort(ptr: usize): void {
  let s = atomic.load<i32>(ptr + STATE);
  while (s != BARRIER_TIMED_OUT && s != BARRIER_CANCELLED) {
    const seen = atomic.cmpxchg<i32>(ptr + STATE, s, BARRIER_CANCELLED);
    if (seen == s) break;
    s = seen;
  }
  atomic.notify(ptr + TICKET, -1);
}

/** Breaks the waiting parties (−3) and makes the barrier intact again once they have left. */
export function barrierReset(ptr: usize): void {
  atomic.store<i32>(ptr + STATE, RESETTING);
  atomic.notify(ptr + TICKET, -1);
  settleReset(ptr);
}

/** The barrier's state word: 0 intact, 1 timed out, 2 aborted, 3 resetting. */
export function barrierState(ptr: usize): i32 {
  return atomic.load<i32>(ptr + STATE);
}

/** Parties waiting in the current round. */
export function barrierWaiting(ptr: usize): i32 {
  return atomic.load<i32>(ptr + STATE) == BARRIER_OK ? atomic.load<i32>(ptr + TICKET) & 0xffff : 0;
}
