// Benchmarks of the primes workload: `node bench/primes.bench.js` (after `npm run build`).
//   - the package's primes suite: the kernel against a plain JS segmented sieve, the pool on
//     1..P workers (src/bench/suites, as `wasm-mp bench` runs it);
//   - counting to 1e10 and listing to 1e9 with P workers;
//   - the C reference (bench/reference/primes.c, when gcc is present) and primesieve (when
//     installed) on the same N and thread count, with the ratios the targets are stated in.
import b from "benny";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { countPrimes, createPool, primes } from "../dist/index.js";
import { shared } from "./suite.js";

const P = availableParallelism();
const COUNT_N = 1e10;
const LIST_N = 1e9;
const pool = await createPool({ workers: P });

// plain JS against the kernel, and the pool on 1..P workers: the package's primes suite
// (src/bench/suites, as `wasm-mp bench` runs it)
await shared("primes");

const options = { minSamples: 3, maxTime: 1, delay: 0 };
const timings = new Map();

await b.suite(
  "primes",
  b.add(`count 1e10: ${P} workers`, async () => { await countPrimes({ upTo: COUNT_N, workers: P, pool }); }, options),
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
