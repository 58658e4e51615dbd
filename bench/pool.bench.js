// The pool's call API: map throughput over many tiny items (target: 10^5 items at >= 10^6 items
// per second on 2 workers), and the round trip of one apply against raw tinypool's.
// Run: node bench/pool.bench.js  (after npm run build)
import Tinypool from "tinypool";
import { createPool } from "../dist/index.js";
import { add, formatMs, suite } from "./suite.js";

const WORKERS = 2;
const N = 100_000;
const pool = await createPool({ workers: WORKERS });

// --- map: 10^5 tiny calls on 2 workers ------------------------------------------------------
const terms = Array.from({ length: N }, (_, i) => [i + 1, i + 2, N]); // one midpoint term each
const numbers = Array.from({ length: N }, (_, i) => i);
const instance = new WebAssembly.Instance(pool.module, { env: { memory: pool.memory } });
const { piMidpointScalar } = instance.exports;
for (let i = 0; i < 5; i++) {
  await pool.map("piMidpointScalar", terms);
  await pool.map("nop", numbers);
}
const map = await suite(
  `map: ${N.toExponential(0)} tiny items, ${WORKERS} workers`,
  "pool-map",
  add("map(piMidpointScalar, 1e5 × [i, i+1, n])", async () => { await pool.map("piMidpointScalar", terms); }),
  add("map(nop, 1e5 numbers)", async () => { await pool.map("nop", numbers); }),
  add("starmap, chunkSize 10000", async () => { await pool.starmap("piMidpointScalar", terms, { chunkSize: 10_000 }); }),
  add("main thread, plain loop (no pool)", () => { for (const [a, b, n] of terms) piMidpointScalar(a, b, n); }),
);
console.log("\nitems per second (median):");
for (const r of map.results) {
  const s = median(r.details.sampleResults);
  console.log(`  ${r.name.padEnd(42)} ${(N / s).toExponential(2)} items/s  (${formatMs(s * 1000)} per call)`);
}

// --- apply: one call's round trip vs raw tinypool ------------------------------------------
const raw = new Tinypool({ filename: new URL("fixtures/empty-worker.js", import.meta.url).href, minThreads: WORKERS, maxThreads: WORKERS, isolateWorkers: false });
await Promise.all(Array.from({ length: WORKERS }, () => raw.run(null)));
await suite(
  "apply: one call's round trip",
  "pool-apply",
  add("raw tinypool, empty task", async () => { await raw.run(null); }),
  add("pool.apply(nop)", async () => { await pool.apply("nop"); }),
  add("pool.apply(piMidpointScalar, 3 args)", async () => { await pool.apply("piMidpointScalar", [1, 2, 1]); }),
  add("pool.map(nop, [1]) (one item)", async () => { await pool.map("nop", [1]); }),
);

await raw.destroy();
await pool.close();

function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
