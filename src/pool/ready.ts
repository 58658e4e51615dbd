/**
 * Worker start-up handshake: each worker adds one to a counter in shared memory once its
 * kernels are instantiated and warm; the pool waits for the counter to reach its size, so the
 * first job's timing does not include thread start-up.
 */
import { WorkerError } from "../errors.js";

export function signalReady(memory: WebAssembly.Memory, counterOffset: number): void {
  const counter = new Int32Array(memory.buffer, counterOffset, 1);
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
