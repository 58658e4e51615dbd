/**
 * Worker start-up handshake: each worker adds one to a counter in shared memory once its
 * kernels are instantiated and warm; the pool waits for the counter to reach its size, so the
 * first job's timing does not include thread start-up.
 */
import { WorkerError } from "../errors.js";

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

export async function waitUntilReady(counter: Int32Array, workers: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(counter, 0);
    if (seen >= workers) return;
    const left = deadline - performance.now();
    if (left <= 0) throw new WorkerError(`only ${seen} of ${workers} workers started within ${timeoutMs} ms`);
    // never Atomics.wait here: this may be the main thread
    if (typeof Atomics.waitAsync !== "function") {
      await new Promise((resolve) => setTimeout(resolve, 5)); // browsers without waitAsync
      continue;
    }
    const { async, value } = Atomics.waitAsync(counter, 0, seen, left);
    if (async) await value;
  }
}
