// Monte Carlo π: plain JS vs the WASM kernels on one thread, the pool with 1..P workers at
// 2e9 samples, and the C OpenMP xoshiro256+ reference (bench/reference/montecarlo.c).
// Run: node bench/montecarlo.bench.js  (after npm run build)
import { availableParallelism } from "node:os";
import { MONTE_CARLO_DEFAULT_SEED, createPool, monteCarloPi, seedKey } from "../dist/index.js";
import { runReference } from "./reference.js";
import { add, suite } from "./suite.js";

const P = availableParallelism();
const pool = await createPool({ workers: P });
const [keyLo, keyHi] = seedKey(MONTE_CARLO_DEFAULT_SEED);

// --- one thread: the same sample definition in plain JS, the scalar and the SIMD kernels ---
const instance = new WebAssembly.Instance(pool.module, { env: { memory: pool.memory } });
const { monteCarloHits, monteCarloHitsScalar } = instance.exports;

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;
const words = new Uint32Array(4);
/** Philox4x32-10 into `words`; 32×32→64-bit products through 16-bit halves (exact in f64). */
function philox(c0, c1, c2, c3, k0, k1) {
  for (let r = 0; r < 10; r++) {
    const hi0 = Math.floor(((c0 >>> 16) * M0 + Math.floor(((c0 & 0xffff) * M0) / 65536)) / 65536);
    const hi1 = Math.floor(((c2 >>> 16) * M1 + Math.floor(((c2 & 0xffff) * M1) / 65536)) / 65536);
    const lo0 = Math.imul(c0, M0), lo1 = Math.imul(c2, M1);
    c0 = (hi1 ^ c1 ^ k0) >>> 0; c1 = lo1 >>> 0; c2 = (hi0 ^ c3 ^ k1) >>> 0; c3 = lo0 >>> 0;
    k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0;
  }
  words[0] = c0; words[1] = c1; words[2] = c2; words[3] = c3;
}
/** Hits among samples [0, n), n a multiple of 4: four samples per Philox call, refined when needed. */
function jsHits(n) {
  let hits = 0;
  for (let c = 0; c < n / 4; c++) {
    philox(c >>> 0, Math.floor(c / 2 ** 32), 0, 0, keyLo, keyHi);
    for (let k = 0; k < 4; k++) {
      const w = words[k], a = w >>> 17, b = (w & 0xffff) >>> 1;
      if (a * a + b * b >= 2 ** 30) continue;
      if ((a + 1) ** 2 + (b + 1) ** 2 <= 2 ** 30) { hits++; continue; }
      const w2 = words.slice();
      philox(c >>> 0, Math.floor(c / 2 ** 32), 1, 0, keyLo, keyHi);
      const r = words[k];
      const x = BigInt(2 * (a * 2 ** 15 + (r >>> 17)) + 1), y = BigInt(2 * (b * 2 ** 15 + ((r & 0xffff) >>> 1)) + 1);
      if (x * x + y * y < 2n ** 62n) hits++;
      words.set(w2);
    }
  }
  return hits;
}
const N1 = 2 ** 22;
const CHUNK = 1 << 21;
function chunked(kernel, n) {
  let hits = 0;
  for (let start = 0; start < n; start += CHUNK) hits += kernel(start, Math.min(start + CHUNK, n), keyLo, keyHi);
  return hits;
}
const expected = chunked(monteCarloHits, N1);
if (jsHits(N1) !== expected || chunked(monteCarloHitsScalar, N1) !== expected) throw new Error("the JS and kernel counts differ");
await suite(
  "montecarlo: one thread, 2^22 samples",
  "montecarlo-one-thread",
  add("plain JS", () => jsHits(N1), { minSamples: 3, maxTime: 3 }),
  add("WASM scalar", () => chunked(monteCarloHitsScalar, N1), { minSamples: 3, maxTime: 3 }),
  add("WASM SIMD", () => chunked(monteCarloHits, N1), { minSamples: 5, maxTime: 3 }),
);

// --- the pool, 1..P workers, 2e9 samples -----------------------------------------------------
const N = 2e9;
await suite(
  `montecarlo: pool, 2e9 samples, 1..${P} workers`,
  "montecarlo-pool",
  ...Array.from({ length: P }, (_, i) =>
    add(`${i + 1} worker${i ? "s" : ""}`, async () => { await monteCarloPi({ samples: N, workers: i + 1, pool }); }, { minSamples: 3, maxTime: 10 })),
);

// --- the C baseline: xoshiro256+ per OpenMP thread ---------------------------------------
for (const threads of [1, 2]) {
  const out = runReference("montecarlo", [N], { threads });
  if (out) console.log(`C OpenMP xoshiro256+ (gcc -O3 -march=native -fopenmp), ${threads} thread(s), 2e9 samples: ${out}`);
}
await pool.close();
