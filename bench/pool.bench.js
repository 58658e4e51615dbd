// The pool's call API: the package's map and dispatch suites (map over many tiny items against a
// plain JS loop, on 1..P workers; an empty task's round trip against raw tinypool's:
// src/bench/suites, as `wasm-mp bench` runs them), then the target of the pool issue (10^5 tiny
// items at >= 10^6 items per second on 2 workers) and the other shapes of one call.
// Run: node bench/pool.bench.js  (after npm run build)
import { createPool } from "../dist/index.js";
import { add, formatMs, shared, suite } from "./suite.js";

await shared("map", "dispatch");

const WORKERS = 2;
const N = 100_000;
const pool = await createPool({ workers: WORKERS });
const terms = Array.from({ length: N }, (_, i) => [i + 1, i + 2, N]); // one midpoint term each
// nop takes no arguments (a call's arity is checked): 10^5 empty argument lists
const empties = Array.from({ length: N }, () => []);
for (let i = 0; i < 5; i++) {
  await pool.map("piMidpointScalar", terms);
  await pool.map("nop", empties);
}
const map = await suite(
  `map: ${N.toExponential(0)} tiny items, ${WORKERS} workers`,
  "pool-map",
  add("map(nop, 1e5 empty argument lists)", async () => { await pool.map("nop", empties); }),
  add("starmap, chunkSize 10000", async () => { await pool.starmap("piMidpointScalar", terms, { chunkSize: 10_000 }); }),
);
console.log("\nitems per second (median; target >= 1e6 on 2 workers):");
for (const r of map.results) {
  const s = r.details.median;
  console.log(`  ${r.name.padEnd(42)} ${(N / s).toExponential(2)} items/s  (${formatMs(s * 1000)} per call)`);
}

await suite(
  "apply: one call's round trip, by shape",
  "pool-apply",
  add("pool.apply(piMidpointScalar, 3 args)", async () => { await pool.apply("piMidpointScalar", [1, 2, 1]); }),
  add("pool.map(nop, [[]]) (one item)", async () => { await pool.map("nop", [[]]); }),
);
await pool.close();
