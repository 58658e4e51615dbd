// Monte Carlo π: the package's montecarlo suite (plain JS vs the scalar and SIMD kernels, the
// pool on 1..P workers: src/bench/suites, as `wasm-mp bench` runs it), then the C OpenMP
// xoshiro256+ reference (bench/reference/montecarlo.c) at 2e9 samples beside the pool.
// Run: node bench/montecarlo.bench.js  (after npm run build)
import { availableParallelism } from "node:os";
import { createPool, monteCarloPi } from "../dist/index.js";
import { runReference } from "./reference.js";
import { formatMs, shared } from "./suite.js";

await shared("montecarlo");

const N = 2e9;
const P = availableParallelism();
const pool = await createPool({ workers: P });
for (const threads of [...new Set([1, Math.min(2, P)])]) {
  const ours = await monteCarloPi({ samples: N, workers: threads, pool });
  const out = runReference("montecarlo", [N], { threads });
  console.log(`2e9 samples, ${threads} thread(s): wasm-mp ${formatMs(ours.elapsedMs)}` +
    (out ? `; C OpenMP xoshiro256+ (gcc -O3 -march=native -fopenmp): ${out}` : "; C reference not built"));
}
await pool.close();
