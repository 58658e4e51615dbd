/**
 * Worker start-up handshake: each worker adds one to a counter in shared memory once its
 * kernels are instantiated and warm; the pool waits for the counter to reach its size, so the
 * first job's timing does not include thread start-up.
 */
import { WorkerError } from "../errors.js";

/** Returns the worker's id: its start order, replacements of dead workers included. */
export function signalReady(memory: WebAssembly.Memory, counterOffset: number): number {
  const counter = new Int32Array(memory.buffer, counterOffset, 1);
  const id = Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  return id;
}

export async function waitUntilReady(counter: Int32Array, workers: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(counter, 0);
    if (seen >= workers) return;
    const left = deadline - performance.now();
    if (left <= 0) throw new WorkerError(`only ${seen} of ${workers} workers started within ${timeoutMs} ms`);
    // never Atomics.wait here: this may be the main thread
    const { async, value } = Atomics.waitAsync(counter, 0, seen, left);
    if (async) await value;
  }
}
