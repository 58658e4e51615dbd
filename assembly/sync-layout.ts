/**
 * The shared-memory layouts of every synchronization primitive, declared once. Kernels use them
 * through offsetof<T>("field") (assembly/sync*.ts); the JavaScript side (src/sync/layout.ts)
 * lists the same fields in the same order, and test/sync/layout.test.ts compiles this file and
 * checks every offset and size against that list. Every field is an i32 word, read and written
 * only with atomics (sequentially consistent). Each primitive gets a block of BLOCK_BYTES (one
 * 64-byte cache line) from pool.alloc, so that two primitives never share a line.
 *
 * A class here is never instantiated (kernels may not allocate): it only names the words.
 */

/** Bytes of one primitive's block (a queue's ring, a value's data follow at this offset). */
export const BLOCK_BYTES: usize = 64;

/**
 * Mutex: Drepper's futex mutex ("Futexes are tricky", mutex 3).
 *   ┌───────┐
 *   │ state │  0 free · 1 held, nobody asleep · 2 held, sleepers possible (sleep on it while 2)
 *   └───────┘
 */
@unmanaged export class MutexLayout {
  state: i32;
}

/**
 * RLock: a Mutex (state first, so the mutex functions work on it) that records its owner.
 *   ┌───────┬───────┬───────┐
 *   │ state │ owner │ depth │  owner: the holder's id (0 none); depth: its nested holds
 *   └───────┴───────┴───────┘
 */
@unmanaged export class RLockLayout {
  state: i32;
  owner: i32;
  depth: i32;
}

/**
 * Semaphore (and BoundedSemaphore).
 *   ┌───────┬─────┬──────────┐
 *   │ count │ max │ sleepers │  count: free permits (sleep on it while 0); max: the bound a
 *   └───────┴─────┴──────────┘  release may not pass (2³¹−1: unbounded); sleepers: acquirers
 *                               asleep, so that release wakes only when someone sleeps
 */
@unmanaged export class SemaphoreLayout {
  count: i32;
  max: i32;
  sleepers: i32;
}

/**
 * Event.
 *   ┌───────┬──────────┐
 *   │ state │ sleepers │  state = 2·sets + flag: set() bumps the sets and raises the flag, clear()
 *   └───────┴──────────┘  drops the flag; a waiter sleeps while state is what it read, and was
 *                         set if the flag is up or the sets moved on (set then clear still wakes)
 */
@unmanaged export class EventLayout {
  state: i32;
  sleepers: i32;
}

/**
 * Condition, over a Mutex or an RLock elsewhere in the same memory.
 *   ┌─────┬──────────┬──────────┬──────────┐
 *   │ seq │ sleepers │ lockKind │ lockPtr  │  seq: bumped by every notify; a waiter reads it
 *   └─────┴──────────┴──────────┴──────────┘  holding the lock, lets go, sleeps while it is
 *                                              unchanged: a notify in between is never lost.
 *   lockKind 1 Mutex, 2 RLock; lockPtr: the lock's byte offset
 */
@unmanaged export class ConditionLayout {
  seq: i32;
  sleepers: i32;
  lockKind: i32;
  lockPtr: i32;
}

/**
 * Barrier (Python's threading.Barrier on shared words).
 *   ┌────────┬───────┬─────────┬──────────┐
 *   │ ticket │ state │ parties │ sleepers │
 *   └────────┴───────┴─────────┴──────────┘
 *   ticket = round·2¹⁶ + arrived: one word, so an arrival (CAS) is counted in exactly one round;
 *            arrived is the arrival index. The last party runs the action, then moves ticket to
 *            (round + 1, 0): the release. Waiters sleep on ticket while it is what they read.
 *   state    0 intact · 1 broken by a timeout · 2 aborted · 3 resetting (the waiters of the
 *            reset round leave broken; the last to leave sets 0). Parties ≤ 65535.
 */
@unmanaged export class BarrierLayout {
  ticket: i32;
  state: i32;
  parties: i32;
  sleepers: i32;
}

/**
 * Queue (and JoinableQueue), then its ring of f64 records from byte BLOCK_BYTES.
 *   ┌──────┬──────┬───────┬──────────┬────────┬────────┬──────────┬─────────┬────────────┐
 *   │ lock │ head │ count │ capacity │ record │ closed │ notEmpty │ notFull │ unfinished │
 *   └──────┴──────┴───────┴──────────┴────────┴────────┴──────────┴─────────┴────────────┘
 *   lock: a Mutex guarding head, count and the ring; record: f64 values per record;
 *   notEmpty / notFull: condition sequences bumped by put / get (and close), slept on by get /
 *   put; unfinished: puts not yet matched by taskDone (join sleeps on it while non-zero).
 *   ring: record k of the queue at f64 index ((head + k) mod capacity) · record.
 */
@unmanaged export class QueueLayout {
  lock: i32;
  head: i32;
  count: i32;
  capacity: i32;
  record: i32;
  closed: i32;
  notEmpty: i32;
  notFull: i32;
  unfinished: i32;
}

/**
 * One end of a Pipe: the byte offsets of the queue it sends on and the queue it receives from
 * (the other end has them swapped; a one-way pipe's ends have 0 for the missing one).
 *   ┌──────┬──────┐
 *   │ send │ recv │
 *   └──────┴──────┘
 */
@unmanaged export class ConnectionLayout {
  send: i32;
  recv: i32;
}
