/**
 * The workload functions of the browser entry: each loads its module on its first call, so that
 * bundlers (Vite/rollup, webpack, esbuild with splitting) put every workload in a chunk of its
 * own and a page downloads only the workloads it runs (docs/browser.md). Each behaves exactly as
 * the function it forwards to (same validation, errors and results); the Node entry imports the
 * workloads directly.
 */
import type { PiOptions, PiResult } from "./workloads/pi.js";
import type { MonteCarloOptions, MonteCarloResult } from "./workloads/montecarlo.js";
import type { LeibnizOptions, LeibnizResult } from "./workloads/leibniz.js";
import type { CountPrimesOptions, CountPrimesResult, PrimesOptions, PrimesResult } from "./workloads/primes.js";
import type { HeatOptions, HeatResult } from "./workloads/heat.js";

/** π by the midpoint rule (workloads/pi.ts). */
export async function pi(options: PiOptions): Promise<PiResult> {
  return (await import("./workloads/pi.js")).pi(options);
}

/** π by Monte Carlo sampling (workloads/montecarlo.ts). */
export async function monteCarloPi(options: MonteCarloOptions): Promise<MonteCarloResult> {
  return (await import("./workloads/montecarlo.js")).monteCarloPi(options);
}

/** The Gregory–Leibniz series to exact digits (workloads/leibniz.ts). */
export async function leibniz(options: LeibnizOptions): Promise<LeibnizResult> {
  return (await import("./workloads/leibniz.js")).leibniz(options);
}

/** The number of primes up to N (workloads/primes.ts). */
export async function countPrimes(options: CountPrimesOptions): Promise<CountPrimesResult> {
  return (await import("./workloads/primes.js")).countPrimes(options);
}

/** The primes up to N (workloads/primes.ts). */
export async function primes(options: PrimesOptions): Promise<PrimesResult> {
  return (await import("./workloads/primes.js")).primes(options);
}

/** The heat plate by Jacobi iteration (workloads/heat.ts). */
export async function heat(options: HeatOptions): Promise<HeatResult> {
  return (await import("./workloads/heat.js")).heat(options);
}
