/**
 * Mutex, semaphore and bounded queue for kernels: the same words and the same protocols as
 * src/sync/mutex.ts, semaphore.ts and queue.ts, so kernels, JS worker threads and the main
 * thread can share one primitive. The layouts are written down once, in src/sync/layout.ts;
 * the byte offsets below are its word indices × 4. Every function takes the primitive's byte
 * offset (`ptr`, from `primitive.byteOffset` on the JS side).
 *
 * Import these into a kernel file (`import { mutexLock, mutexUnlock } from "./sync";`); they
 * are not kernels themselves, so index.ts does not export them.
 *
 * Timeouts: wasm has no clock, so `timeoutMs` bounds each sleep rather than the whole wait;
 * a negative timeout waits without limit.
 */

// ---- Mutex (layout: src/sync/layout.ts, "Mutex") ---------------------------------------------

/** Atomic loads before a blocking wait sleeps: a futex wake costs 5–50 µs. */
const SPINS: i32 = 100;

/** Takes the mutex at `ptr` if it is free: 1 taken, 0 not. Never waits. */
export function mutexTryLock(ptr: usize): i32 {
  return atomic.cmpxchg<i32>(ptr, 0, 1) == 0 ? 1 : 0;
}

/** Takes the mutex at `ptr`, waiting as long as it takes. */
export function mutexLock(ptr: usize): void {
  mutexLockTimeout(ptr, -1);
}

/** Takes the mutex at `ptr`, each sleep at most `timeoutMs` (< 0: no limit): 1 taken, 0 timed out. */
export function mutexLockTimeout(ptr: usize, timeoutMs: f64): i32 {
  if (atomic.cmpxchg<i32>(ptr, 0, 1) == 0) return 1;
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<i32>(ptr) == 0 && atomic.cmpxchg<i32>(ptr, 0, 1) == 0) return 1;
  }
  const timeoutNs = toNanos(timeoutMs);
  while (atomic.xchg<i32>(ptr, 2) != 0) {
    if (memory.atomic.wait32(ptr, 2, timeoutNs) == AtomicWaitResult.TIMED_OUT) {
      // a last try: the holder may have let go just as the sleep ended
      return atomic.cmpxchg<i32>(ptr, 0, 2) == 0 ? 1 : 0;
    }
  }
  return 1;
}

/** Releases the mutex at `ptr`, waking one sleeper if there may be one. */
export function mutexUnlock(ptr: usize): void {
  if (atomic.sub<i32>(ptr, 1) != 1) {
    atomic.store<i32>(ptr, 0);
    atomic.notify(ptr, 1);
  }
}

// ---- Semaphore (layout: src/sync/layout.ts, "Semaphore") -------------------------------------

const SEM_COUNT: usize = 0;
const SEM_MAX: usize = 4;
const SEM_SLEEPERS: usize = 8;

/** Sets up the semaphore at `ptr` with `permits` free permits. Nobody may be using it. */
export function semaphoreInit(ptr: usize, permits: i32): void {
  atomic.store<i32>(ptr + SEM_MAX, permits);
  atomic.store<i32>(ptr + SEM_SLEEPERS, 0);
  atomic.store<i32>(ptr + SEM_COUNT, permits);
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
  const timeoutNs = toNanos(timeoutMs);
  while (!semaphoreTryAcquire(ptr)) {
    atomic.add<i32>(ptr + SEM_SLEEPERS, 1);
    const woke = memory.atomic.wait32(ptr + SEM_COUNT, 0, timeoutNs);
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
    if (c + n > max) return 0;
    const seen = atomic.cmpxchg<i32>(ptr + SEM_COUNT, c, c + n);
    if (seen == c) break;
    c = seen;
  }
  if (atomic.load<i32>(ptr + SEM_SLEEPERS) != 0) atomic.notify(ptr + SEM_COUNT, n);
  return 1;
}

// ---- Queue (layout: src/sync/layout.ts, "Queue") ---------------------------------------------

const Q_LOCK: usize = 0;
const Q_HEAD: usize = 4;
const Q_COUNT: usize = 8;
const Q_CAPACITY: usize = 12;
const Q_RECORD: usize = 16;
const Q_CLOSED: usize = 20;
const Q_NOT_EMPTY: usize = 24;
const Q_NOT_FULL: usize = 28;
const Q_RING: usize = 64;

/** Sets up an empty, open queue at `q` of `capacity` records of `recordLength` f64. */
export function queueInit(q: usize, capacity: i32, recordLength: i32): void {
  atomic.store<i32>(q + Q_LOCK, 0);
  atomic.store<i32>(q + Q_HEAD, 0);
  atomic.store<i32>(q + Q_COUNT, 0);
  atomic.store<i32>(q + Q_CLOSED, 0);
  atomic.store<i32>(q + Q_NOT_EMPTY, 0);
  atomic.store<i32>(q + Q_NOT_FULL, 0);
  atomic.store<i32>(q + Q_CAPACITY, capacity);
  atomic.store<i32>(q + Q_RECORD, recordLength);
}

/** Adds the record of recordLength f64 at `src`, waiting for room: 1 added, 0 the queue is closed. */
export function queuePutRecord(q: usize, src: usize): i32 {
  mutexLock(q + Q_LOCK);
  const capacity = atomic.load<i32>(q + Q_CAPACITY);
  while (true) {
    if (atomic.load<i32>(q + Q_CLOSED) != 0) {
      mutexUnlock(q + Q_LOCK);
      return 0;
    }
    const count = atomic.load<i32>(q + Q_COUNT);
    if (count < capacity) {
      const rec = atomic.load<i32>(q + Q_RECORD);
      const slot = (atomic.load<i32>(q + Q_HEAD) + count) % capacity;
      memory.copy(q + Q_RING + (<usize>(slot * rec) << 3), src, <usize>rec << 3);
      atomic.store<i32>(q + Q_COUNT, count + 1);
      atomic.add<i32>(q + Q_NOT_EMPTY, 1);
      atomic.notify(q + Q_NOT_EMPTY, 1);
      mutexUnlock(q + Q_LOCK);
      return 1;
    }
    const seq = atomic.load<i32>(q + Q_NOT_FULL);
    mutexUnlock(q + Q_LOCK);
    memory.atomic.wait32(q + Q_NOT_FULL, seq, -1);
    mutexLock(q + Q_LOCK);
  }
}

/** Takes the oldest record into `dst`, waiting while the queue is empty: 1 taken, 0 closed and empty. */
export function queueGetRecord(q: usize, dst: usize): i32 {
  mutexLock(q + Q_LOCK);
  const capacity = atomic.load<i32>(q + Q_CAPACITY);
  while (true) {
    const count = atomic.load<i32>(q + Q_COUNT);
    if (count > 0) {
      const rec = atomic.load<i32>(q + Q_RECORD);
      const head = atomic.load<i32>(q + Q_HEAD);
      memory.copy(dst, q + Q_RING + (<usize>(head * rec) << 3), <usize>rec << 3);
      atomic.store<i32>(q + Q_HEAD, (head + 1) % capacity);
      atomic.store<i32>(q + Q_COUNT, count - 1);
      atomic.add<i32>(q + Q_NOT_FULL, 1);
      atomic.notify(q + Q_NOT_FULL, 1);
      mutexUnlock(q + Q_LOCK);
      return 1;
    }
    if (atomic.load<i32>(q + Q_CLOSED) != 0) {
      mutexUnlock(q + Q_LOCK);
      return 0;
    }
    const seq = atomic.load<i32>(q + Q_NOT_EMPTY);
    mutexUnlock(q + Q_LOCK);
    memory.atomic.wait32(q + Q_NOT_EMPTY, seq, -1);
    mutexLock(q + Q_LOCK);
  }
}

/** Adds one number (a queue of recordLength 1): 1 added, 0 the queue is closed. */
export function queuePut(q: usize, value: f64): i32 {
  mutexLock(q + Q_LOCK);
  const capacity = atomic.load<i32>(q + Q_CAPACITY);
  while (true) {
    if (atomic.load<i32>(q + Q_CLOSED) != 0) {
      mutexUnlock(q + Q_LOCK);
      return 0;
    }
    const count = atomic.load<i32>(q + Q_COUNT);
    if (count < capacity) {
      const slot = (atomic.load<i32>(q + Q_HEAD) + count) % capacity;
      store<f64>(q + Q_RING + (<usize>slot << 3), value);
      atomic.store<i32>(q + Q_COUNT, count + 1);
      atomic.add<i32>(q + Q_NOT_EMPTY, 1);
      atomic.notify(q + Q_NOT_EMPTY, 1);
      mutexUnlock(q + Q_LOCK);
      return 1;
    }
    const seq = atomic.load<i32>(q + Q_NOT_FULL);
    mutexUnlock(q + Q_LOCK);
    memory.atomic.wait32(q + Q_NOT_FULL, seq, -1);
    mutexLock(q + Q_LOCK);
  }
}

/** Takes the oldest number (a queue of recordLength 1), waiting while empty; NaN once closed and empty. */
export function queueGet(q: usize): f64 {
  mutexLock(q + Q_LOCK);
  const capacity = atomic.load<i32>(q + Q_CAPACITY);
  while (true) {
    const count = atomic.load<i32>(q + Q_COUNT);
    if (count > 0) {
      const head = atomic.load<i32>(q + Q_HEAD);
      const value = load<f64>(q + Q_RING + (<usize>head << 3));
      atomic.store<i32>(q + Q_HEAD, (head + 1) % capacity);
      atomic.store<i32>(q + Q_COUNT, count - 1);
      atomic.add<i32>(q + Q_NOT_FULL, 1);
      atomic.notify(q + Q_NOT_FULL, 1);
      mutexUnlock(q + Q_LOCK);
      return value;
    }
    if (atomic.load<i32>(q + Q_CLOSED) != 0) {
      mutexUnlock(q + Q_LOCK);
      return NaN;
    }
    const seq = atomic.load<i32>(q + Q_NOT_EMPTY);
    mutexUnlock(q + Q_LOCK);
    memory.atomic.wait32(q + Q_NOT_EMPTY, seq, -1);
    mutexLock(q + Q_LOCK);
  }
}

/** Closes the queue and wakes every waiter (takes no lock, like Queue.close in JS). */
export function queueClose(q: usize): void {
  atomic.store<i32>(q + Q_CLOSED, 1);
  atomic.add<i32>(q + Q_NOT_EMPTY, 1);
  atomic.add<i32>(q + Q_NOT_FULL, 1);
  atomic.notify(q + Q_NOT_EMPTY, -1);
  atomic.notify(q + Q_NOT_FULL, -1);
}

/** Records in the queue now. */
export function queueSize(q: usize): i32 {
  return atomic.load<i32>(q + Q_COUNT);
}

function toNanos(timeoutMs: f64): i64 {
  return timeoutMs < 0 ? -1 : <i64>(timeoutMs * 1e6);
}
