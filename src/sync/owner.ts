/**
 * The id an RLock records as its owner: one per JavaScript thread. In Node it is the thread's
 * worker_threads threadId + 1 (unique in the process); elsewhere a random 30-bit number (two
 * threads collide with probability about n²/2³¹ for n threads). Ids are positive; kernels name
 * themselves with negative ids of their choosing (assembly/sync.ts), so the two never meet.
 */
let id = 0;

export function ownerId(): number {
  if (id === 0) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => { threadId?: number } | undefined } }).process;
    const threadId = proc?.getBuiltinModule?.("node:worker_threads")?.threadId;
    id = typeof threadId === "number" ? threadId + 1 : 1 + (crypto.getRandomValues(new Uint32Array(1))[0]! >>> 2);
  }
  return id;
}
