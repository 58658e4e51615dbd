// An Event as a start signal for N workers, as Python's `start = Event()`: every worker (an
// AssemblyScript kernel, start-signal.ts) waits for it; the main thread waits until all are
// ready, checks that none has started, then sets it and all start.
//
//   node examples/classics/start-signal.mjs
import { pathToFileURL } from "node:url";
import { createPool } from "wasm-mp";
import { Event } from "wasm-mp/sync";
import { buildKernel } from "./build-kernel.mjs";

/**
 * Runs `workers` kernels that wait for one Event; sets it `holdMs` after they are all ready.
 * Returns how many had started just before the set, what each saw of the flag written before
 * the set (1 for all: none started before it), how many started, and each wait's answer.
 */
export async function startSignal({ workers = 4, holdMs = 50 } = {}) {
  const pool = await createPool({ module: await buildKernel("start-signal"), workers });
  try {
    const start = Event.create(pool);
    const ready = pool.alloc(Int32Array, 1);
    const flag = pool.alloc(Int32Array, 1);
    const started = pool.alloc(Int32Array, 1);
    const starts = pool.alloc(Int32Array, workers).fill(-1);
    const calls = Array.from({ length: workers }, (_, me) =>
      pool.apply("worker", [start, ready, flag, started, starts, me, 30_000]));
    // the main thread may not block: it sleeps on the ready counter asynchronously
    for (let r = Atomics.load(ready, 0); r < workers; r = Atomics.load(ready, 0)) {
      await Atomics.waitAsync(ready, 0, r, 1000).value;
    }
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    const startedBeforeSet = Atomics.load(started, 0);
    const isSetBefore = start.isSet();
    Atomics.store(flag, 0, 1);
    start.set();
    const answers = await Promise.all(calls);
    return { startedBeforeSet, isSetBefore, starts: [...starts], started: Atomics.load(started, 0), answers };
  } finally {
    await pool.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const workers = 4;
  const r = await startSignal({ workers });
  console.log(`${workers} kernel workers waiting for one Event:`);
  console.log(`  started before the set: ${r.startedBeforeSet} (event set: ${r.isSetBefore})`);
  console.log(`  started after the set:  ${r.started}, each saw the flag written before set(): [${r.starts.join(", ")}]`);
  const ok = r.startedBeforeSet === 0 && r.started === workers && r.starts.every((s) => s === 1) && r.answers.every((a) => a === 1);
  console.log(ok ? "none started before the signal; all started after it" : "WRONG");
  process.exitCode = ok ? 0 : 1;
}
