/**
 * The synchronization primitives for kernels: the same words and the same protocols as
 * src/sync/*.ts, so kernels, JS worker threads and the main thread can share one primitive.
 * The layouts are declared once, in ./sync-layout.ts; every function takes the primitive's
 * byte offset (`ptr`, from `primitive.byteOffset` on the JS side, or the primitive passed as a
 * kernel argument).
 *
 * Import these into a kernel file (`import { mutexLock, mutexUnlock } from "./sync";`); they
 * are not kernels themselves, so index.ts does not export them.
 *
 * Timeouts: wasm has no clock, so `timeoutMs` bounds each sleep rather than the whole wait;
 * a negative timeout waits without limit.
 *
 * Owners: an RLock records who holds it. Kernels name themselves with an id < 0 of their
 * choosing, distinct among kernels running at once (e.g. −1 − member); JS threads use ids > 0.
 */
import {
  ConditionLayout, EventLayout, MutexLayout, RLockLayout, SemaphoreLayout,
} from "./sync-layout";

export * from "./sync-queue";

/** Atomic loads before a blocking wait sleeps: a futex wake costs 5–50 µs. */
const SPINS: i32 = 100;

/**
 * Every sleep of the primitives: memory.atomic.wait32 with a timeout in ms (< 0: none). Node 20's
 * baseline compiler (Liftoff) loses values held in registers across this instruction; the pool
 * compiles modules with the optimizing tier only where that bug is found (docs/sync.md).
 */
export function sleep32(ptr: usize, expected: i32, timeoutMs: f64): i32 {
  return <i32>memory.atomic.wait32(ptr, expected, timeoutMs < 0 ? -1 : <i64>(timeoutMs * 1e6));
}

// ---- Mutex ----------------------------------------------------------------------------------

const M_STATE = offsetof<MutexLayout>("state");

/** Takes the mutex at `ptr` if it is free: 1 taken, 0 not. Never waits. */
export function mutexTryLock(ptr: usize): i32 {
  return atomic.cmpxchg<i32>(ptr + M_STATE, 0, 1) == 0 ? 1 : 0;
}

/** Takes the mutex at `ptr`, waiting as long as it takes. */
export function mutexLock(ptr: usize): void {
  mutexLockTimeout(ptr, -1);
}

/** Takes the mutex at `ptr`, each sleep at most `timeoutMs` (< 0: no limit): 1 taken, 0 timed out. */
export function mutexLockTimeout(ptr: usize, timeoutMs: f64): i32 {
  const s = ptr + M_STATE;
  if (atomic.cmpxchg<i32>(s, 0, 1) == 0) return 1;
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<i32>(s) == 0 && atomic.cmpxchg<i32>(s, 0, 1) == 0) return 1;
  }
  while (atomic.xchg<i32>(s, 2) != 0) {
    if (sleep32(s, 2, timeoutMs) == AtomicWaitResult.TIMED_OUT) {
      // a last try: the holder may have let go just as the sleep ended
      return atomic.cmpxchg<i32>(s, 0, 2) == 0 ? 1 : 0;
    }
  }
  return 1;
}

/** Releases the mutex at `ptr`, waking one sleeper if there may be one. */
export function mutexUnlock(ptr: usize): void {
  const s = ptr + M_STATE;
  if (atomic.sub<i32>(s, 1) != 1) {
    atomic.store<i32>(s, 0);
    atomic.notify(s, 1);
  }
}

// ---- RLock ----------------------------------------------------------------------------------

const R_OWNER = offsetof<RLockLayout>("owner");
const R_DEPTH = offsetof<RLockLayout>("depth");

/** Takes the RLock at `ptr` for `owner` (< 0, see above), again if it holds it; each sleep at most `timeoutMs`: 1 taken, 0 timed out. */
export function rlockLock(ptr: usize, owner: i32, timeoutMs: f64): i32 {
  if (atomic.load<i32>(ptr + R_OWNER) == owner) {
    atomic.store<i32>(ptr + R_DEPTH, atomic.load<i32>(ptr + R_DEPTH) + 1);
    return 1;
  }
  if (!mutexLockTimeout(ptr, timeoutMs)) return 0;
  atomic.store<i32>(ptr + R_OWNER, owner);
  atomic.store<i32>(ptr + R_DEPTH, 1);
  return 1;
}

/** Drops one hold of `owner` on the RLock at `ptr`: 1 done, 0 refused (`owner` does not hold it). */
export function rlockUnlock(ptr: usize, owner: i32): i32 {
  if (atomic.load<i32>(ptr + R_OWNER) != owner) return 0;
  const depth = atomic.load<i32>(ptr + R_DEPTH) - 1;
  atomic.store<i32>(ptr + R_DEPTH, depth);
  if (depth == 0) {
    atomic.store<i32>(ptr + R_OWNER, 0);
    mutexUnlock(ptr);
  }
  return 1;
}

// ---- Semaphore ------------------------------------------------------------------------------

const SEM_COUNT = offsetof<SemaphoreLayout>("count");
const SEM_MAX = offsetof<SemaphoreLayout>("max");
const SEM_SLEEPERS = offsetof<SemaphoreLayout>("sleepers");

/** Sets up the semaphore at `ptr` with `value` free permits and a bound (2³¹−1: none). Nobody may be using it. */
export function semaphoreInit(ptr: usize, value: i32, max: i32): void {
  atomic.store<i32>(ptr + SEM_MAX, max);
  atomic.store<i32>(ptr + SEM_SLEEPERS, 0);
  atomic.store<i32>(ptr + SEM_COUNT, value);
}

/** Takes a permit if one is free: 1 taken, 0 not. Never waits. */
export function semaphoreTryAcquire(ptr: usize): i32 {
  let c = atomic.load<i32>(ptr + SEM_COUNT);
  while (c > 0) {
    const seen = atomic.cmpxchg<i32>(ptr + SEM_COUNT, c, c - 1);
    if (seen == c) return 1;
    c = seen;
  }
  return 0;
}

/** Takes a permit, waiting as long as it takes. */
export function semaphoreAcquire(ptr: usize): void {
  semaphoreAcquireTimeout(ptr, -1);
}

/** Takes a permit, each sleep at most `timeoutMs` (< 0: no limit): 1 taken, 0 timed out. */
export function semaphoreAcquireTimeout(ptr: usize, timeoutMs: f64): i32 {
  for (let i = 0; i < SPINS; i++) if (semaphoreTryAcquire(ptr)) return 1;
  while (!semaphoreTryAcquire(ptr)) {
    atomic.add<i32>(ptr + SEM_SLEEPERS, 1);
    const woke = sleep32(ptr + SEM_COUNT, 0, timeoutMs);
    atomic.sub<i32>(ptr + SEM_SLEEPERS, 1);
    if (woke == AtomicWaitResult.TIMED_OUT) return semaphoreTryAcquire(ptr);
  }
  return 1;
}

/** Returns `n` permits: 1 done, 0 refused (it would pass the bound: a release without an acquire). */
export function semaphoreRelease(ptr: usize, n: i32): i32 {
  const max = atomic.load<i32>(ptr + SEM_MAX);
  let c = atomic.load<i32>(ptr + SEM_COUNT);
  while (true) {
    if (c > max - n) return 0;
    const seen = atomic.cmpxchg<i32>(ptr + SEM_COUNT, c, c + n);
    if (seen == c) break;
    c = seen;
  }
  if (atomic.load<i32>(ptr + SEM_SLEEPERS) != 0) atomic.notify(ptr + SEM_COUNT, n);
  return 1;
}

// ---- Event ----------------------------------------------------------------------------------

const E_STATE = offsetof<EventLayout>("state");
const E_SLEEPERS = offsetof<EventLayout>("sleepers");

/** Sets the event at `ptr` and wakes every waiter. */
export function eventSet(ptr: usize): void {
  let s = atomic.load<i32>(ptr + E_STATE);
  while (!(s & 1)) {
    const seen = atomic.cmpxchg<i32>(ptr + E_STATE, s, (s | 1) + 2);
    if (seen == s) {
      if (atomic.load<i32>(ptr + E_SLEEPERS) != 0) atomic.notify(ptr + E_STATE, -1);
      return;
    }
    s = seen;
  }
}

export function eventClear(ptr: usize): void {
  atomic.and<i32>(ptr + E_STATE, ~1);
}

export function eventIsSet(ptr: usize): i32 {
  return atomic.load<i32>(ptr + E_STATE) & 1;
}

/** Waits until the event is set, each sleep at most `timeoutMs` (< 0: no limit): 1 set, 0 timed out. */
export function eventWait(ptr: usize, timeoutMs: f64): i32 {
  const first = atomic.load<i32>(ptr + E_STATE);
  while (true) {
    const s = atomic.load<i32>(ptr + E_STATE);
    if ((s & 1) != 0 || (<u32>s >> 1) != (<u32>first >> 1)) return 1;
    atomic.add<i32>(ptr + E_SLEEPERS, 1);
    const woke = sleep32(ptr + E_STATE, s, timeoutMs);
    atomic.sub<i32>(ptr + E_SLEEPERS, 1);
    if (woke == AtomicWaitResult.TIMED_OUT) return eventIsSet(ptr);
  }
}

// ---- Condition ------------------------------------------------------------------------------

const C_SEQ = offsetof<ConditionLayout>("seq");
const C_SLEEPERS = offsetof<ConditionLayout>("sleepers");
const C_KIND = offsetof<ConditionLayout>("lockKind");
const C_LOCK = offsetof<ConditionLayout>("lockPtr");
const KIND_RLOCK: i32 = 2;

/**
 * Lets go of the condition's lock (which `owner` must hold; for a Mutex, owner is unused),
 * sleeps until notified (one sleep of at most `timeoutMs`; < 0 no limit), takes the lock again.
 * Returns 1 notified (or woken: check your predicate), 0 timed out, −1 the lock was not held.
 */
export function conditionWait(cond: usize, owner: i32, timeoutMs: f64): i32 {
  const lock = <usize>atomic.load<i32>(cond + C_LOCK);
  const rlock = atomic.load<i32>(cond + C_KIND) == KIND_RLOCK;
  if (rlock ? atomic.load<i32>(lock + R_OWNER) != owner : atomic.load<i32>(lock) == 0) return -1;
  const seq = atomic.load<i32>(cond + C_SEQ);
  let depth: i32 = 1;
  if (rlock) {
    depth = atomic.load<i32>(lock + R_DEPTH);
    atomic.store<i32>(lock + R_DEPTH, 1);
    rlockUnlock(lock, owner);
  } else {
    mutexUnlock(lock);
  }
  atomic.add<i32>(cond + C_SLEEPERS, 1);
  const woke = sleep32(cond + C_SEQ, seq, timeoutMs);
  atomic.sub<i32>(cond + C_SLEEPERS, 1);
  mutexLock(lock);
  if (rlock) {
    atomic.store<i32>(lock + R_OWNER, owner);
    atomic.store<i32>(lock + R_DEPTH, depth);
  }
  return woke == AtomicWaitResult.TIMED_OUT && atomic.load<i32>(cond + C_SEQ) == seq ? 0 : 1;
}

/** Wakes at least `n` waiters of the condition at `cond`. The caller holds its lock. */
export function conditionNotify(cond: usize, n: i32): void {
  atomic.add<i32>(cond + C_SEQ, 1);
  if (n > 0 && atomic.load<i32>(cond + C_SLEEPERS) != 0) atomic.notify(cond + C_SEQ, n);
}

/** Wakes every waiter of the condition at `cond`. The caller holds its lock. */
export function conditionNotifyAll(cond: usize): void {
  atomic.add<i32>(cond + C_SEQ, 1);
  if (atomic.load<i32>(cond + C_SLEEPERS) != 0) atomic.notify(cond + C_SEQ, -1);
}

// ---- Value / SharedArray --------------------------------------------------------------------

/** The data of a Value or SharedArray at `ptr` (its lock, an RLock, is at `ptr` itself). */
export function valueData(ptr: usize): usize {
  return ptr + 64;
}
