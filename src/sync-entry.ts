/**
 * wasm-mp/sync: every synchronization primitive (Python's multiprocessing toolbox on shared
 * memory: Mutex, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Queue,
 * JoinableQueue, Pipe, Value, SharedArray, records). A subpath of its own, so that pages which
 * do not use them do not load them up front; the package's main entry keeps the first four
 * (Mutex, Semaphore, Queue, Barrier).
 */
export * from "./sync/index.js";
