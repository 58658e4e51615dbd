/**
 * The id an RLock records as its owner: one per JavaScript thread, positive. Kernels name
 * themselves with negative ids of their choosing (assembly/sync.ts), so the two never meet.
 *
 * By default a thread draws a random 30-bit id (two of n threads collide with probability
 * about n²/2³¹). A platform that knows its threads sets a unique one with setOwnerId (Node:
 * worker_threads' threadId + 1, in every thread that loads the package).
 */
let id = 0;

export function ownerId(): number {
  if (id === 0) id = 1 + (crypto.getRandomValues(new Uint32Array(1))[0]! >>> 2);
  return id;
}

/** Sets this thread's owner id (a positive integer). Before any RLock is taken in this thread. */
export function setOwnerId(threadId: number): void {
  id = threadId;
}
