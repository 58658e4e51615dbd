// A page for test/browser/faults.test.ts: a Web Worker of the pool dies while a call runs on it.
// The pool's backend is reached through its internal `backend` field, the one thing a page
// cannot do otherwise: end one worker as a crash would (terminate it, fire its error path).
import { createPool } from "wasm-mp";

window.crashDuringMap = async (workers) => {
  const pool = await createPool({ workers });
  try {
    const items = Array.from({ length: 20000 }, (_, i) => [i + 1, i + 2, 20000]);
    const expected = await pool.map("piMidpointScalar", items, { chunkSize: 100 });
    const call = pool.map("piMidpointScalar", items, { chunkSize: 100 });
    await new Promise((r) => setTimeout(r, 0));
    pool.backend.crash(0);
    const got = await call;
    const same = got.length === expected.length && got.every((v, i) => Object.is(v, expected[i]));
    const after = await pool.apply("piMidpointScalar", [1, 2, 1]);
    const stats = pool.stats();
    return { same, after, shares: pool.workersShareMemory, started: stats.workersStarted, replaced: stats.workersReplaced };
  } finally {
    await pool.close();
  }
};

window.crashDuringPi = async () => {
  const { pi } = await import("wasm-mp");
  const pool = await createPool({ workers: 2 });
  try {
    const expected = await pi({ n: 3e7, pool, chunkSize: 1 << 16 });
    const call = pi({ n: 3e7, pool, chunkSize: 1 << 16 });
    await new Promise((r) => setTimeout(r, 0));
    pool.backend.crash(1);
    const got = await call;
    return { same: Object.is(got.value, expected.value), shares: pool.workersShareMemory, backend: got.backend, replaced: pool.stats().workersReplaced };
  } finally {
    await pool.close();
  }
};
