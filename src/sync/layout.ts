/**
 * Word indices of the synchronization primitives' shared layouts. The layouts are declared once,
 * with their box diagrams, in assembly/sync-layout.ts (AssemblyScript @unmanaged classes, which
 * the kernels read through offsetof); each list below names the same fields in the same order,
 * and test/sync/layout.test.ts compiles the AssemblyScript declaration and checks that every
 * field here sits at offsetof<…>(field) = 4 × its index there.
 */

/** The fields of each layout, in order: field i is Int32 word i of the primitive's block. */
export const LAYOUTS = {
  Mutex: ["state"],
  RLock: ["state", "owner", "depth"],
  Semaphore: ["count", "max", "sleepers"],
  Event: ["state", "sleepers"],
  Condition: ["seq", "sleepers", "lockKind", "lockPtr"],
  Barrier: ["ticket", "state", "parties", "sleepers"],
  Queue: ["lock", "head", "count", "capacity", "record", "closed", "notEmpty", "notFull", "unfinished"],
  Connection: ["send", "recv"],
} as const;

type Words<L extends readonly string[]> = { readonly [K in L[number]]: number };

/** `{ field: index }` for a layout: the word index of each field. */
function words<L extends readonly string[]>(fields: L): Words<L> {
  return Object.fromEntries(fields.map((f, i) => [f, i])) as Words<L>;
}

export const MutexWord = words(LAYOUTS.Mutex);
export const RLockWord = words(LAYOUTS.RLock);
export const SemaphoreWord = words(LAYOUTS.Semaphore);
export const EventWord = words(LAYOUTS.Event);
export const ConditionWord = words(LAYOUTS.Condition);
export const BarrierWord = words(LAYOUTS.Barrier);
export const QueueWord = words(LAYOUTS.Queue);
export const ConnectionWord = words(LAYOUTS.Connection);

/** Int32 words of one primitive's block: a 64-byte cache line (BLOCK_BYTES in the declaration). */
export const BLOCK_WORDS = 16;
export const MUTEX_WORDS = BLOCK_WORDS;
export const SEMAPHORE_WORDS = BLOCK_WORDS;
export const QUEUE_HEADER_WORDS = BLOCK_WORDS;

/** Int32 words a queue of `capacity` records of `recordLength` numbers occupies. */
export function queueWords(capacity: number, recordLength: number): number {
  return QUEUE_HEADER_WORDS + capacity * recordLength * 2;
}

/** Spins (atomic loads) before a blocking wait sleeps: a futex wake costs 5–50 µs. */
export const SPINS = 100;
