/** Runs test/sync/fixtures/js-worker.mjs in a plain worker thread over the pool's memory. */
import { Worker } from "node:worker_threads";

export function runJsWorker(memory: WebAssembly.Memory, op: string, data: Record<string, number>): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./fixtures/js-worker.mjs", import.meta.url), { workerData: { memory, op, ...data } });
    worker.once("message", (v: number) => { resolve(v); void worker.terminate(); });
    worker.once("error", reject);
    worker.once("exit", (code) => { if (code !== 0 && code !== 1) reject(new Error(`js worker exited with ${code}`)); });
  });
}
