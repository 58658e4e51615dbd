/**
 * Memory layouts of the synchronization primitives, written down once. Each primitive lives in
 * a region of the pool's shared memory (pool.alloc(Int32Array, …): 64-byte aligned, so it has
 * its cache line to itself) and is used through the same words, with the same protocol, from
 * the main thread (src/sync/*.ts, async waits), from JS in worker threads (src/sync/*.ts,
 * blocking waits), and from AssemblyScript kernels (assembly/sync.ts, whose byte offsets are
 * these word indices × 4). Every access to these words is atomic (sequentially consistent).
 *
 * Mutex — MUTEX_WORDS Int32 words
 *   word 0  state   0 unlocked; 1 locked, nobody sleeping; 2 locked, sleepers possible.
 *           Drepper's futex mutex ("Futexes are tricky", mutex 3): lock = CAS 0→1, else
 *           exchange to 2 and sleep on the word while it is 2; unlock = sub 1, and if the old
 *           value was 2, store 0 and wake one sleeper. Uncontended: one CAS and one sub.
 *
 * Semaphore — SEMAPHORE_WORDS Int32 words
 *   word 0  count    permits free now (0 ≤ count ≤ max); acquire = CAS count→count−1 when
 *                    count > 0, else sleep on the word while it is 0
 *   word 1  max      the bound set by init; a release past it is an error (a release without
 *                    an acquire)
 *   word 2  sleepers acquirers inside wait; release wakes only when non-zero (a sleeper adds
 *                    itself before it reads the count, release adds to the count before it
 *                    reads sleepers: with sequentially consistent atomics one sees the other)
 *
 * Queue — QUEUE_HEADER_WORDS Int32 words of header, then the ring of records
 *   word 0  lock       a Mutex (layout above) guarding every word below and the ring
 *   word 1  head       slot of the oldest record
 *   word 2  count      records in the ring
 *   word 3  capacity   slots (records), set by init
 *   word 4  record     Float64 values per record, set by init
 *   word 5  closed     1 once closed: put fails, get drains what is left, then reports closed
 *   word 6  notEmpty   condition sequence: bumped (and woken) by put and close; get sleeps on it
 *   word 7  notFull    condition sequence: bumped (and woken) by get and close; put sleeps on it
 *   words 8–15 unused
 *   byte 64 onwards    the ring: capacity × record Float64 values; record k of the ring at
 *                      Float64 index ((head + k) mod capacity) × record
 *   A waiter reads the sequence word under the lock, unlocks, and sleeps while the word still
 *   holds that value, so a put or close between its unlock and its sleep is never missed.
 *   close does not take the lock: it sets closed, then bumps both sequences; a waiter checks
 *   closed under the lock after each wake.
 *
 * Barrier — see assembly/barrier.ts and src/sync/barrier.ts (BARRIER_WORDS), which keep their
 * layout next to their code.
 */

export const MUTEX_WORDS = 16;
export const MutexWord = { STATE: 0 } as const;

export const SEMAPHORE_WORDS = 16;
export const SemaphoreWord = { COUNT: 0, MAX: 1, SLEEPERS: 2 } as const;

export const QUEUE_HEADER_WORDS = 16;
export const QueueWord = { LOCK: 0, HEAD: 1, COUNT: 2, CAPACITY: 3, RECORD: 4, CLOSED: 5, NOT_EMPTY: 6, NOT_FULL: 7 } as const;

/** Int32 words a queue of `capacity` records of `recordLength` numbers occupies. */
export function queueWords(capacity: number, recordLength: number): number {
  return QUEUE_HEADER_WORDS + capacity * recordLength * 2;
}

/** Spins (atomic loads) before a blocking wait sleeps: a futex wake costs 5–50 µs. */
export const SPINS = 100;
