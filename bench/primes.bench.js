// Benchmarks of the primes workload: `node bench/primes.bench.js` (after `npm run build`).
//   - the wasm kernel (1 worker) against a plain JS segmented sieve (1 thread), counting to 1e8;
//   - counting to 1e10 with 1..P workers, and listing to 1e9 with P workers;
//   - the C reference (bench/reference/primes.c, when gcc is present) and primesieve (when
//     installed) on the same N and thread count, with the ratios the targets are stated in.
import b from "benny";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { countPrimes, createPool, primes } from "../dist/index.js";

const P = availableParallelism();
const COUNT_N = 1e10;
const LIST_N = 1e9;
const pool = await createPool({ workers: P });

/** π(n) by a plain odd-only segmented sieve of Eratosthenes in JS (one byte per odd number). */
function plainJsCount(n) {
  if (n < 2) return 0;
  const root = Math.floor(Math.sqrt(n));
  const small = new Uint8Array(root + 1);
  const base = [];
  for (let i = 3; i <= root; i += 2) {
    if (small[i]) continue;
    base.push(i);
    for (let j = i * i; j <= root; j += 2 * i) small[j] = 1;
  }
  const SEGMENT = 32768; // odd numbers per segment
  const seg = new Uint8Array(SEGMENT);
  const odds = Math.floor((n + 1) / 2);
  let count = 1; // 2
  for (let k0 = 0; k0 < odds; k0 += SEGMENT) {
    const len = Math.min(SEGMENT, odds - k0);
    const lo = 2 * k0 + 1, hi = 2 * (k0 + len - 1) + 1;
    seg.fill(1, 0, len);
    for (const p of base) {
      if (p * p > hi) break;
      let m = p * p;
      if (m < lo) { m = Math.ceil(lo / p) * p; if (m % 2 === 0) m += p; }
      for (let j = (m - 1) / 2 - k0; j < len; j += p) seg[j] = 0;
    }
    if (k0 === 0) seg[0] = 0; // 1
    for (let j = 0; j < len; j++) count += seg[j];
  }
  return count;
}

const options = { minSamples: 3, maxTime: 1, delay: 0 };
const timings = new Map();

await b.suite(
  "primes",
  b.add("count 1e8: wasm kernel, 1 worker", async () => { await countPrimes({ upTo: 1e8, workers: 1, pool }); }, options),
  b.add("count 1e8: plain JS segmented sieve, 1 thread", () => { plainJsCount(1e8); }, options),
  ...Array.from({ length: P }, (_, i) =>
    b.add(`count 1e10: ${i + 1} worker${i ? "s" : ""}`, async () => { await countPrimes({ upTo: COUNT_N, workers: i + 1, pool }); }, options)),
  b.add(`list 1e9: ${P} workers`, async () => {
    const r = await primes({ upTo: LIST_N, workers: P, pool });
    pool.free(r.primes);
  }, options),
  b.cycle(),
  // benny rounds ops/s; the fastest sample (seconds) is what the reference comparison uses
  b.complete((summary) => { for (const r of summary.results) timings.set(r.name, r.details.min * 1000); }),
  b.save({ file: "primes", folder: "bench/results", format: "json" }),
  b.save({ file: "primes", folder: "bench/results", format: "chart.html" }),
);
await pool.close();

/** Best of three runs of a command that prints "seconds S" (or primesieve's "Seconds: S"). */
function bestSeconds(command, args, env = {}) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(command, args, { env: { ...process.env, ...env }, encoding: "utf8" });
    const m = out.match(/[Ss]econds:? ([\d.]+)/);
    if (m) best = Math.min(best, Number(m[1]));
  }
  return best * 1000;
}

const rows = [];
const oursCount = timings.get(`count 1e10: ${P} workers`);
const oursList = timings.get(`list 1e9: ${P} workers`);
rows.push(["wasm-mp count 1e10", P, oursCount]);
rows.push(["wasm-mp list 1e9", P, oursList]);
if (spawnSync("gcc", ["--version"]).status === 0) {
  const exe = join(mkdtempSync(join(tmpdir(), "primes-ref-")), "primes");
  execFileSync("gcc", ["-O3", "-march=native", "-fopenmp", new URL("reference/primes.c", import.meta.url).pathname, "-o", exe, "-lm"]);
  const env = { OMP_NUM_THREADS: String(P) };
  const cList = bestSeconds(exe, [String(LIST_N)], env);
  rows.push(["C reference list 1e9 (bench/reference/primes.c)", P, cList, oursList / cList, "target ≤ 1.0"]);
} else {
  console.log("gcc not found: C reference skipped");
}
if (spawnSync("primesieve", ["--version"]).status === 0 || existsSync("/usr/bin/primesieve")) {
  const ps = bestSeconds("primesieve", [String(COUNT_N), `-t${P}`, "-q", "--time"]);
  rows.push(["primesieve count 1e10", P, ps, oursCount / ps, "target ≤ 1.0"]);
} else {
  console.log("primesieve not found (apt-get install primesieve): skipped");
}
console.log("\nthreads  best time   ratio (wasm-mp / reference), measured back to back on this machine");
for (const [name, threads, ms, ratio, target] of rows) {
  console.log(`${String(threads).padStart(7)}  ${(ms / 1000).toFixed(3).padStart(7)} s   ${ratio ? `${ratio.toFixed(2)} (${target})` : ""}  ${name}`);
}
