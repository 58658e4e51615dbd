/**
 * Worker start-up handshake: each worker adds one to a counter in shared memory once its
 * kernels are instantiated and warm; the pool waits for the counter to reach its size, so the
 * first job's timing does not include thread start-up.
 */
import { WorkerError } from "../errors.js";
import { sleepAsyncOn } from "../sync/wait.js";

/** Words of the ready block: word 0 the workers ready, word 1 the next worker id. */
export const READY_WORDS = 2;

/**
 * A worker's id: its start order, replacements of dead workers included. Taken before the
 * worker is ready, so that it can record itself (stats.ts) before the pool sees it ready.
 */
export function takeWorkerId(memory: WebAssembly.Memory, counterOffset: number): number {
  return Atomics.add(new Int32Array(memory.buffer, counterOffset, READY_WORDS), 1, 1);
}

export function signalReady(memory: WebAssembly.Memory, counterOffset: number): void {
  const counter = new Int32Array(memory.buffer, counterOffset, READY_WORDS);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

/**
 * Resolves once `workers` workers are ready. The timer is a real one: Atomics.waitAsync alone
 * does not keep Node's event loop alive, and a script whose only pending work is starting a
 * pool must not exit before it has one.
 */
export async function waitUntilReady(counter: Int32Array, workers: number, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkerError(`only ${Atomics.load(counter, 0)} of ${workers} workers started within ${timeoutMs} ms`)), timeoutMs);
  });
  timedOut.catch(() => {});
  try {
    for (;;) {
      const seen = Atomics.load(counter, 0);
      if (seen >= workers) return;
      await Promise.race([sleepAsyncOn(counter, 0, seen, timeoutMs), timedOut]);
    }
  } finally {
    clearTimeout(timer);
  }
}
