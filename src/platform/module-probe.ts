/**
 * Entry point of a throwaway worker thread that instantiates a user's compiled module once
 * over a memory of its own, filled with a pattern, and reports the bytes beyond the reserved
 * first 64 KiB that instantiation changed: a compiled WebAssembly.Module has no bytes to read
 * its data segments from, and every instantiation in a pool's worker (a replacement's too)
 * would write them over the regions the arena hands out. A start function that never returns
 * is ended from outside (the caller terminates this thread at its timeout).
 */
import { parentPort, workerData } from "node:worker_threads";
import { moduleImports } from "../kernels/host-imports.js";
import { PAGE_BYTES, RESERVED_BYTES } from "../memory/arena.js";

export interface ProbeData { module: WebAssembly.Module; maxPages: number; hostImports?: string }
export type ProbeReply = { changedFrom: number; changedTo: number } | { clean: true } | { error: string };

const PATTERN = 0xa5;

const data = workerData as ProbeData;
const memory = new WebAssembly.Memory({ initial: 2, maximum: data.maxPages, shared: true });
new Uint8Array(memory.buffer, RESERVED_BYTES).fill(PATTERN);
let reply: ProbeReply;
try {
  new WebAssembly.Instance(data.module, await moduleImports(memory, data.hostImports));
  const bytes = new Uint8Array(memory.buffer);
  let from = -1;
  let to = -1;
  const grownFrom = 2 * PAGE_BYTES; // pages the start function added are fresh zeros, not written data
  for (let i = RESERVED_BYTES; i < Math.min(bytes.length, grownFrom); i++) {
    if (bytes[i] !== PATTERN) {
      if (from < 0) from = i;
      to = i + 1;
    }
  }
  reply = from < 0 ? { clean: true } : { changedFrom: from, changedTo: to };
} catch (e) {
  reply = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
parentPort!.postMessage(reply);
