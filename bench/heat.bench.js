// The heat plate: the package's heat suite (whole heat() calls against plain JS, 1..P workers);
// throughput of the solve alone (million cell updates per second) for 1 and P workers at
// N = 100, 1024, 4096 beside C; the per-sweep synchronization cost; the three methods (jacobi,
// sor, multigrid) to the steady state; and the targets against the C OpenMP reference
// (bench/reference/heat.c) and against 500 Jacobi sweeps.
// Run: node bench/heat.bench.js  (after npm run build)
import { availableParallelism } from "node:os";
import { createPool, heat } from "../dist/index.js";
import { runReference } from "./reference.js";
import { formatMs, shared } from "./suite.js";
import { cpuModel } from "./cpu.js";

const P = Math.max(2, availableParallelism());
const CPU = cpuModel();
console.log(`CPU: ${CPU}, ${availableParallelism()} cores`);
const pool = await createPool({ workers: P });
const SIZES = [[100, 2000], [1024, 100], [4096, 10]]; // [N, sweeps per run]
const WORKERS = [...new Set([1, P])];
const REPEAT = 5;

/** A run of exactly `sweeps` sweeps: a tolerance no sweep can get under before then. */
const sweepRun = (size, workers, sweeps) => heat({ size, top: 100, tolerance: Number.MIN_VALUE, maxIterations: sweeps, workers, pool });

async function best(run) {
  let fastest;
  for (let i = 0; i < REPEAT; i++) {
    const r = await run();
    if (!fastest || r.elapsedMs < fastest.elapsedMs) fastest = r;
  }
  return fastest;
}

function bestC(args, threads) {
  let fastest;
  for (let i = 0; i < REPEAT; i++) {
    const out = runReference("heat", args, { threads });
    if (out === null) return null;
    const r = JSON.parse(out);
    if (!fastest || r.elapsedMs < fastest.elapsedMs) fastest = r;
  }
  return fastest;
}

const mupdates = (r) => (r.size ?? r.n) ** 2 * r.iterations / (r.elapsedMs * 1e3);

// --- whole heat() calls against plain JS, on 1..P workers: the package's heat suite
// (src/bench/suites, as `wasm-mp bench` runs it) -----------------------------------------------
await shared("heat");

// --- the solve alone (elapsedMs), beside C with as many threads ----------------------------
console.log(`\nheat: the solve alone, best of ${REPEAT} (million cell updates per second = sweeps/s per million cells)`);
for (const [n, sweeps] of SIZES) {
  for (const w of WORKERS) {
    const r = await best(() => sweepRun(n, w, sweeps));
    const c = bestC([n, Number.MIN_VALUE, sweeps], w);
    const cText = c ? `   C ${formatMs(c.elapsedMs).padStart(10)} ${mupdates(c).toFixed(0).padStart(6)} M/s  wasm/C ${(r.elapsedMs / c.elapsedMs).toFixed(2)}` : "";
    console.log(`  N = ${String(n).padStart(4)}, ${w} worker${w > 1 ? "s" : " "}: ${formatMs(r.elapsedMs).padStart(10)} ` +
      `${mupdates(r).toFixed(0).padStart(6)} M/s, ${(r.elapsedMs * 1e3 / r.iterations).toFixed(2)} µs/sweep${cText}`);
  }
}

// --- synchronization: the heat plate's step kernel under pool.iterate on a plate of no rows
// (n = 0), so a sweep is only the JS→wasm call, the barrier and the max reduction. Per-sweep
// cost from the difference of two sweep counts, so the fixed cost of starting the lanes (a task
// round trip each) cancels out.
const SYNC_SWEEPS = 100_000;
const grid = pool.alloc(Float64Array, 64);
async function syncRun(lanes, sweeps) {
  const started = performance.now();
  await pool.iterate({ kernel: "heatJacobiStep", args: [0, grid, grid], lanes, maxIterations: sweeps });
  return performance.now() - started;
}
console.log(`\nheat: per-sweep synchronization (empty sweeps under pool.iterate; from ${SYNC_SWEEPS} and ${2 * SYNC_SWEEPS}, best of ${2 * REPEAT})`);
for (const lanes of [...new Set([1, 2, P])]) {
  let short = Infinity;
  let long = Infinity;
  for (let i = 0; i < 2 * REPEAT; i++) {
    short = Math.min(short, await syncRun(lanes, SYNC_SWEEPS));
    long = Math.min(long, await syncRun(lanes, 2 * SYNC_SWEEPS));
  }
  const us = (long - short) * 1e3 / SYNC_SWEEPS;
  console.log(`  ${lanes} worker${lanes > 1 ? "s" : " "}: ${us.toFixed(3)} µs per sweep${lanes > 1 ? " (barrier + max reduction)" : " (no wait at the barrier)"}`);
}
pool.free(grid);

// --- the targets, 2 workers: wasm-mp and C runs interleaved, so that a change in the
// machine's load (it is shared) hits both alike; best of TARGET_REPEAT each -----------------
const TARGET_REPEAT = 10;
console.log(`\nheat: targets (2 workers / 2 OpenMP threads, interleaved, best of ${TARGET_REPEAT})`);
const targets = [
  { name: "N = 1024, 500 sweeps", bound: 1.2, run: () => sweepRun(1024, 2, 500), c: [1024, Number.MIN_VALUE, 500] },
  { name: "N = 100, tolerance 1e-4", bound: 1.7, run: () => heat({ size: 100, top: 100, tolerance: 1e-4, workers: 2, pool }), c: [100, 1e-4, 1_000_000] },
];
for (const t of targets) {
  let r;
  let c;
  for (let i = 0; i < TARGET_REPEAT; i++) {
    const ri = await t.run();
    if (!r || ri.elapsedMs < r.elapsedMs) r = ri;
    const out = runReference("heat", t.c, { threads: 2 });
    const ci = out === null ? null : JSON.parse(out);
    if (ci && (!c || ci.elapsedMs < c.elapsedMs)) c = ci;
  }
  const ratio = c ? r.elapsedMs / c.elapsedMs : NaN;
  console.log(`  ${t.name}: wasm-mp ${formatMs(r.elapsedMs)} (${r.iterations} sweeps)` +
    (c ? `, C OpenMP ${formatMs(c.elapsedMs)} (${c.iterations} sweeps): ${ratio.toFixed(2)}× C, target ≤ ${t.bound}× — ${ratio <= t.bound ? "met" : "MISSED"}` : ", C reference not built"));
}

// --- the three methods to the steady state: top 100, the other edges 0, so the exact discrete
// solution's centre is 25. sor and multigrid stop at residual 8e-4, which bounds every cell's
// error by 1e-4 (residual / 8); Jacobi, whose error shrinks by cos(π/(N+1)) per sweep, needs
// ~N² sweeps per digit and only runs where it finishes (its stop is on the change per sweep).
const METHOD_REPEAT = 3;
console.log(`\nheat: to |centre − 25| ≤ 1e-4 by method, 2 workers, best of ${METHOD_REPEAT} (sor at N = 1024: 1), each run interleaved ` +
  "with Jacobi sweeps of the same N; \"Jacobi sweeps' time\": the solve's time over one Jacobi sweep's");
const methodRuns = [
  { n: 100, method: "jacobi", tolerance: 4e-8 },
  { n: 100, method: "sor", tolerance: 8e-4 },
  { n: 100, method: "multigrid", tolerance: 8e-4 },
  { n: 1024, method: "sor", tolerance: 8e-4, repeat: 1 },
  { n: 1024, method: "multigrid", tolerance: 8e-4 },
  { n: 4096, method: "multigrid", tolerance: 8e-4 },
];
for (const { n, method, tolerance, repeat = METHOD_REPEAT } of methodRuns) {
  const sweeps = n === 4096 ? 10 : 100;
  let r;
  let sweep = Infinity;
  for (let i = 0; i < repeat; i++) {
    const ri = await heat({ size: n, top: 100, tolerance, method, workers: 2, pool });
    if (!r || ri.elapsedMs < r.elapsedMs) r = ri;
    sweep = Math.min(sweep, (await sweepRun(n, 2, sweeps)).elapsedMs / sweeps);
  }
  const unit = method === "multigrid" ? "V-cycles" : "sweeps";
  console.log(`  N = ${String(n).padStart(4)} ${method.padEnd(9)}: ${formatMs(r.elapsedMs).padStart(10)}, ${r.iterations} ${unit}, ` +
    `|centre − 25| = ${Math.abs(r.centre - 25).toExponential(1)}, residual ${r.residual.toExponential(2)}, ${(r.elapsedMs / sweep).toFixed(0)} Jacobi sweeps' time`);
}

// --- issue 15's targets for multigrid, 2 workers, interleaved with 500 Jacobi sweeps of the same N
console.log(`\nheat: multigrid targets (2 workers, interleaved, best of ${TARGET_REPEAT / 2})`);
let mg;
let jacobi500;
for (let i = 0; i < TARGET_REPEAT / 2; i++) {
  const m = await heat({ size: 1024, top: 100, tolerance: 8e-4, method: "multigrid", workers: 2, pool });
  if (!mg || m.elapsedMs < mg.elapsedMs) mg = m;
  const j = await sweepRun(1024, 2, 500);
  if (!jacobi500 || j.elapsedMs < jacobi500.elapsedMs) jacobi500 = j;
}
const mgRatio = mg.elapsedMs / jacobi500.elapsedMs;
console.log(`  N = 1024 to |centre − 25| ≤ 1e-4: multigrid ${formatMs(mg.elapsedMs)} (${mg.iterations} V-cycles, error ${Math.abs(mg.centre - 25).toExponential(1)}), ` +
  `500 Jacobi sweeps ${formatMs(jacobi500.elapsedMs)}: ${mgRatio.toFixed(2)}×, target ≤ 0.5× — ${mgRatio <= 0.5 ? "met" : "MISSED"}`);
let big;
for (let i = 0; i < 2; i++) {
  const b = await heat({ size: 4096, top: 100, tolerance: 8e-4, method: "multigrid", workers: 2, pool });
  if (!big || b.elapsedMs < big.elapsedMs) big = b;
}
console.log(`  N = 4096 to |centre − 25| ≤ 1e-4: multigrid ${formatMs(big.elapsedMs)} (${big.iterations} V-cycles, error ${Math.abs(big.centre - 25).toExponential(1)}), ` +
  `target a few seconds — ${big.elapsedMs <= 5000 ? "met" : "MISSED"} (${CPU})`);
await pool.close();
