// π by the midpoint rule: plain JS vs the WASM kernels on one thread, the pool with 1..P
// workers at N = 4e9, the inline/worker crossover, and the pool's dispatch cost against raw
// tinypool's. Run: node bench/pi.bench.js  (after npm run build)
import { availableParallelism } from "node:os";
import Tinypool from "tinypool";
import { createPool, pi } from "../dist/index.js";
import { runReference } from "./reference.js";
import { add, suite } from "./suite.js";
const P = availableParallelism();
const pool = await createPool({ workers: P });

// --- one thread: JS vs WASM scalar vs WASM SIMD, N = 1e8 ---------------------------------
const instance = new WebAssembly.Instance(pool.module, { env: { memory: pool.memory } });
const { piMidpointScalar, piMidpointSimd } = instance.exports;
const N1 = 1e8;
const CHUNK = 1 << 22;
function jsPi(n) {
  const h = 1 / n;
  let s = 0;
  for (let i = 1; i <= n; i++) {
    const x = (i - 0.5) * h;
    s += 4 / (1 + x * x);
  }
  return s * h;
}
function chunked(kernel, n) {
  let s = 0;
  for (let start = 1; start <= n; start += CHUNK) s += kernel(start, Math.min(start + CHUNK, n + 1), n);
  return (4 / n) * s;
}
for (let i = 0; i < 3; i++) chunked(piMidpointSimd, 1e6), chunked(piMidpointScalar, 1e6);
await suite(
  "pi: one thread, N = 1e8",
  "pi-one-thread",
  add("plain JS", () => jsPi(N1), { minSamples: 3, maxTime: 3 }),
  add("WASM scalar", () => chunked(piMidpointScalar, N1), { minSamples: 3, maxTime: 3 }),
  add("WASM SIMD", () => chunked(piMidpointSimd, N1), { minSamples: 3, maxTime: 3 }),
);

// --- the pool, 1..P workers, N = 4e9 ------------------------------------------------------
const N = 4e9;
await suite(
  `pi: pool, N = 4e9, 1..${P} workers`,
  "pi-pool",
  ...Array.from({ length: P }, (_, i) =>
    add(`${i + 1} worker${i ? "s" : ""}`, async () => { await pi({ n: N, workers: i + 1, pool }); }, { minSamples: 3, maxTime: 6 })),
);

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

// --- dispatch: an empty task through our pool vs raw tinypool -----------------------------
const raw = new Tinypool({ filename: new URL("fixtures/empty-worker.js", import.meta.url).href, minThreads: P, maxThreads: P, isolateWorkers: false });
await Promise.all(Array.from({ length: P }, () => raw.run(null)));
await suite(
  "dispatch: empty task round trip",
  "pool-dispatch",
  add("raw tinypool", async () => { await raw.run(null); }),
  add("wasm-mp pool.ping()", async () => { await pool.ping(); }),
  add("wasm-mp pool.apply(nop)", async () => { await pool.apply("nop"); }),
);
await raw.destroy();

// --- the C baseline ----------------------------------------------------------------------
for (const threads of [1, 2]) {
  const out = runReference("pi", [N], { threads });
  if (out) console.log(`C OpenMP (gcc -O3 -march=native -fopenmp), ${threads} thread(s), N = 4e9: ${out}`);
}
await pool.close();
