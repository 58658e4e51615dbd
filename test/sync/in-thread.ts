/** Runs `body` in a new worker thread with wasm-mp as `m`, `at(offset, words)` and `data` in scope; resolves with what it returns. */
import { Worker } from "node:worker_threads";

const DIST = new URL("../../dist/sync-entry.js", import.meta.url).href; // the primitives (wasm-mp/sync)

export function inThread(memory: WebAssembly.Memory, body: string, data: Record<string, unknown> = {}): Promise<unknown> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(${JSON.stringify(DIST)}).then(async (m) => {
      const { buffer, data } = workerData;
      const at = (offset, words = 16) => new Int32Array(buffer, offset, words);
      ${body}
    }).then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e && e.message || e) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { buffer: memory.buffer, data } });
    worker.once("message", (m) => { resolve(m); void worker.terminate(); });
    worker.once("error", reject);
  });
}
