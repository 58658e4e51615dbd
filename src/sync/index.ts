/** The synchronization primitives, as the entries (src/index.ts, src/browser.ts) export them. */
export { Mutex, type Hold } from "./mutex.js";
export { RLock } from "./rlock.js";
export { Semaphore, BoundedSemaphore } from "./semaphore.js";
export { Event } from "./event.js";
export { Condition } from "./condition.js";
export { Barrier, BARRIER_WORDS, BARRIER_BYTES, type BarrierOptions } from "./barrier.js";
export { BrokenBarrierError, type BarrierBreak } from "./errors.js";
export { Queue, JoinableQueue, type QueueOptions, type QueueItem } from "./queue.js";
export { Pipe, Connection, type PipeOptions } from "./pipe.js";
export { Value, SharedArray, type ValueOptions } from "./value.js";
export { recordType, type RecordType, type Fields, type FieldType, type RecordOf } from "./record.js";
export { ownerId } from "./owner.js";
export { MUTEX_WORDS, SEMAPHORE_WORDS, QUEUE_HEADER_WORDS, BLOCK_WORDS, queueWords, LAYOUTS } from "./layout.js";
