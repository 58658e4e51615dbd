// π by the midpoint rule: the package's pi and dispatch suites (plain JS vs the WASM kernels,
// the pool on 1..P workers, the dispatch cost against raw tinypool's: src/bench/suites, as
// `wasm-mp bench` runs them), then the inline/worker crossover and the C OpenMP reference.
// Run: node bench/pi.bench.js  (after npm run build)
import { availableParallelism } from "node:os";
import { createPool, pi } from "../dist/index.js";
import { runReference } from "./reference.js";
import { add, shared, suite } from "./suite.js";
const P = availableParallelism();
const pool = await createPool({ workers: P });

await shared("pi", "dispatch");

const instance = new WebAssembly.Instance(pool.module, { env: { memory: pool.memory } });
const { piMidpointSimd } = instance.exports;
const N = 4e9;

// --- small N: the default path vs forced inline vs forced workers, N = 1e4 ----------------
await suite(
  "pi: N = 1e4, default path vs inline vs workers",
  "pi-small",
  add("default path", async () => { await pi({ n: 1e4, pool }); }),
  add("inline (forced)", async () => { await pi({ n: 1e4, pool, inlineThreshold: 2 ** 53 }); }),
  add("raw kernel call", () => { piMidpointSimd(1, 1e4 + 1, 1e4); }),
  add("workers (forced)", async () => { await pi({ n: 1e4, pool, inlineThreshold: 0, chunkSize: 5000 }); }),
);

// --- where workers start to pay: the default inline threshold (2^19) comes from here ---------
await suite(
  "pi: inline vs 2 workers around the threshold",
  "pi-crossover",
  ...[17, 18, 19, 20].flatMap((e) => [
    add(`2^${e} inline`, async () => { await pi({ n: 2 ** e, pool, inlineThreshold: 2 ** 53 }); }),
    add(`2^${e} workers`, async () => { await pi({ n: 2 ** e, pool, workers: 2, inlineThreshold: 0, chunkSize: 2 ** (e - 3) }); }),
  ]),
);

// --- the C baseline ----------------------------------------------------------------------
for (const threads of [1, 2]) {
  const out = runReference("pi", [N], { threads });
  if (out) console.log(`C OpenMP (gcc -O3 -march=native -fopenmp), ${threads} thread(s), N = 4e9: ${out}`);
}
await pool.close();
