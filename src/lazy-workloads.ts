/**
 * The workload functions of the browser entry, generated from one table: each loads its module
 * on its first call, so that bundlers (Vite/rollup, webpack, esbuild with splitting) put every
 * workload in a chunk of its own and a page downloads only the workloads it runs
 * (docs/browser.md). Each behaves exactly as the function it forwards to (same validation,
 * errors and results); the Node entry imports the workloads directly.
 */
import type * as Pi from "./workloads/pi.js";
import type * as MonteCarlo from "./workloads/montecarlo.js";
import type * as Leibniz from "./workloads/leibniz.js";
import type * as Primes from "./workloads/primes.js";
import type * as Heat from "./workloads/heat.js";

/** Every workload: its name, and how its module loads. */
const table = {
  pi: () => import("./workloads/pi.js").then((m) => m.pi),
  monteCarloPi: () => import("./workloads/montecarlo.js").then((m) => m.monteCarloPi),
  leibniz: () => import("./workloads/leibniz.js").then((m) => m.leibniz),
  countPrimes: () => import("./workloads/primes.js").then((m) => m.countPrimes),
  primes: () => import("./workloads/primes.js").then((m) => m.primes),
  heat: () => import("./workloads/heat.js").then((m) => m.heat),
};

type Workload = (options: never) => Promise<unknown>;

function lazy<F extends Workload>(load: () => Promise<F>): F {
  let loaded: F | undefined;
  return (async (options: never) => (loaded ??= await load())(options)) as F;
}

export const pi: typeof Pi.pi = lazy(table.pi);
export const monteCarloPi: typeof MonteCarlo.monteCarloPi = lazy(table.monteCarloPi);
export const leibniz: typeof Leibniz.leibniz = lazy(table.leibniz);
export const countPrimes: typeof Primes.countPrimes = lazy(table.countPrimes);
export const primes: typeof Primes.primes = lazy(table.primes);
export const heat: typeof Heat.heat = lazy(table.heat);
