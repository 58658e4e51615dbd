/**
 * The workload suites: for each workload, plain JS on the calling thread, the WASM kernel on one
 * worker (scalar and SIMD where the workload has both kernels), and the whole workload call on
 * 1..P workers. Sizes differ between cases (plain JS is slow), so cases compare per item.
 * Before timing, each suite checks that the plain-JS and WASM versions agree on a small input.
 */
import { heat } from "../../workloads/heat.js";
import { leibniz } from "../../workloads/leibniz.js";
import { monteCarloPi } from "../../workloads/montecarlo.js";
import { MONTE_CARLO_DEFAULT_SEED, seedKey } from "../../workloads/montecarlo-seed.js";
import { pi } from "../../workloads/pi.js";
import { countPrimes } from "../../workloads/primes.js";
import { jsCountPrimes, jsHeat, jsLeibniz, jsMonteCarloHits, jsPi } from "../reference-js.js";
import type { SuiteName } from "../schema.js";
import { repeated, repeatedAsync, size, workerCounts, type CaseDef, type SuiteContext, type SuiteDef } from "../suite-def.js";

interface WorkloadSpec {
  name: SuiteName;
  description: string;
  itemName: string;
  /** Items of the plain-JS case and its operation. */
  js(ctx: SuiteContext): { items: number; run: () => unknown };
  /** Where the workload has a scalar and a SIMD kernel: items of each one-worker case, and the call. */
  kernels?: { items(ctx: SuiteContext, kernel: "scalar" | "simd"): number; run(ctx: SuiteContext, kernel: "scalar" | "simd", items: number): Promise<unknown> };
  /** Items of the pool cases and the call on `workers` workers. */
  pool: { items(ctx: SuiteContext): number; run(ctx: SuiteContext, items: number, workers: number): Promise<unknown> };
  /** Throws unless plain JS and WASM agree; returns what was compared. */
  check(ctx: SuiteContext): Promise<string>;
}

function workloadSuite(spec: WorkloadSpec): SuiteDef {
  return {
    name: spec.name,
    description: spec.description,
    baseline: "js",
    async prepare(ctx) {
      const checked = await spec.check(ctx);
      const js = spec.js(ctx);
      const cases: CaseDef[] = [{ kind: "js", workers: 0, name: "plain JS, 1 thread", items: js.items, itemName: spec.itemName, run: repeated(js.run, ctx.repeat) }];
      // a workload with one kernel has no scalar/SIMD rows: its pool rows run that kernel
      for (const kernel of spec.kernels ? (["scalar", "simd"] as const) : []) {
        const kind = kernel === "scalar" ? "wasm-scalar" : "wasm-simd";
        const name = `WASM ${kernel === "scalar" ? "scalar" : "SIMD"}, 1 worker`;
        const items = spec.kernels!.items(ctx, kernel);
        cases.push({ kind, workers: 1, name, items, itemName: spec.itemName, run: repeatedAsync(() => spec.kernels!.run(ctx, kernel, items), ctx.repeat) });
      }
      const items = spec.pool.items(ctx);
      for (const w of workerCounts(ctx.workers)) {
        cases.push({ kind: "pool", workers: w, name: `pool, ${w} worker${w > 1 ? "s" : ""}`, items, itemName: spec.itemName, run: repeatedAsync(() => spec.pool.run(ctx, items, w), ctx.repeat) });
      }
      return { cases, checked };
    },
  };
}

function expectEqual(what: string, js: unknown, wasm: unknown): void {
  if (js !== wasm) throw new Error(`bench check failed: ${what}: plain JS gives ${String(js)}, WASM ${String(wasm)}`);
}

export const piSuite = workloadSuite({
  name: "pi",
  description: "π by the midpoint rule, Σ 4/(1+x²)/N",
  itemName: "terms",
  js: (ctx) => {
    const n = size(ctx, 5e6, 1e8);
    return { items: n, run: () => jsPi(n) };
  },
  kernels: {
    items: (ctx, kernel) => kernel === "scalar" ? size(ctx, 1e7, 1e8) : size(ctx, 2.5e7, 3e8),
    run: (ctx, kernel, n) => pi({ n, kernel, workers: 1, inlineThreshold: 0, pool: ctx.pool }),
  },
  pool: {
    items: (ctx) => size(ctx, 5e7, 1e9),
    run: (ctx, n, workers) => pi({ n, workers, pool: ctx.pool }),
  },
  async check(ctx) {
    const n = 1e6;
    const js = jsPi(n);
    for (const kernel of ["scalar", "simd"] as const) {
      const r = await pi({ n, kernel, workers: 1, inlineThreshold: 0, pool: ctx.pool });
      // the sums add in different orders: each rounds ~1e6 times, so equal to ~1e-13, not bit for bit
      if (!(Math.abs(r.value - js) <= 1e-11)) throw new Error(`bench check failed: π at N = 1e6: plain JS ${js}, WASM ${kernel} ${r.value}`);
    }
    return "π at N = 1e6 within 1e-11, the sums' rounding (plain JS, scalar and SIMD kernels)";
  },
});

const [keyLo, keyHi] = seedKey(MONTE_CARLO_DEFAULT_SEED);

export const monteCarloSuite = workloadSuite({
  name: "montecarlo",
  description: "π by Monte Carlo sampling, Philox4x32-10 counter-based random numbers",
  itemName: "samples",
  js: (ctx) => {
    const n = size(ctx, 2 ** 16, 2 ** 20);
    return { items: n, run: () => jsMonteCarloHits(n, keyLo, keyHi) };
  },
  kernels: {
    items: (ctx, kernel) => kernel === "scalar" ? size(ctx, 2 ** 20, 2 ** 23) : size(ctx, 2 ** 21, 2 ** 26),
    run: (ctx, kernel, samples) => monteCarloPi({ samples, kernel, workers: 1, inlineThreshold: 0, pool: ctx.pool }),
  },
  pool: {
    items: (ctx) => size(ctx, 2 ** 23, 2 ** 27),
    run: (ctx, samples, workers) => monteCarloPi({ samples, workers, pool: ctx.pool }),
  },
  async check(ctx) {
    const n = 2 ** 16;
    const js = jsMonteCarloHits(n, keyLo, keyHi);
    for (const kernel of ["scalar", "simd"] as const) {
      const r = await monteCarloPi({ samples: n, kernel, workers: 1, inlineThreshold: 0, pool: ctx.pool });
      expectEqual(`hits among 2^16 samples (${kernel})`, js, r.hits);
    }
    return `hits among 2^16 samples equal (${js}; plain JS, scalar and SIMD kernels)`;
  },
});

export const primesSuite = workloadSuite({
  name: "primes",
  description: "counting primes up to N: segmented sieve of Eratosthenes",
  itemName: "numbers",
  js: (ctx) => {
    const n = size(ctx, 5e6, 1e8);
    return { items: n, run: () => jsCountPrimes(n) };
  },
  pool: {
    items: (ctx) => size(ctx, 1e8, 2e9),
    run: (ctx, upTo, workers) => countPrimes({ upTo, workers, pool: ctx.pool }),
  },
  async check(ctx) {
    const n = 1e7;
    const js = jsCountPrimes(n);
    expectEqual("π(1e7)", 664_579, js);
    expectEqual("π(1e7)", js, (await countPrimes({ upTo: n, workers: 1, pool: ctx.pool })).count);
    return "π(1e7) = 664579 (plain JS and the kernel)";
  },
});

const DIGITS = 60;

export const leibnizSuite = workloadSuite({
  name: "leibniz",
  description: `the Gregory–Leibniz series to ${DIGITS} exact digits (BigInt in JS, multi-limb integers in WASM)`,
  itemName: "terms",
  js: (ctx) => {
    const n = size(ctx, 1e4, 1e5);
    return { items: n, run: () => jsLeibniz(n, DIGITS) };
  },
  pool: {
    items: (ctx) => size(ctx, 5e5, 1e7),
    run: (ctx, to, workers) => leibniz({ from: 0, to, digits: DIGITS, workers, pool: ctx.pool }),
  },
  async check(ctx) {
    const n = 20_000;
    const r = await leibniz({ from: 0, to: n, digits: DIGITS, workers: 1, pool: ctx.pool });
    expectEqual(`the sum of 2e4 terms at ${DIGITS} digits`, jsLeibniz(n, DIGITS), BigInt(r.value.replace(".", "")));
    return `the sum of 2e4 terms at ${DIGITS} digits, every digit (plain JS BigInt and the kernel)`;
  },
});

/** A run of exactly `sweeps` sweeps: a tolerance no sweep gets under. */
const sweepRun = (ctx: SuiteContext, n: number, sweeps: number, workers: number) =>
  heat({ size: n, top: 100, tolerance: Number.MIN_VALUE, maxIterations: sweeps, workers, pool: ctx.pool });

const HEAT: Record<"quick" | "full", { js: [number, number]; pool: [number, number] }> = { quick: { js: [256, 20], pool: [1024, 15] }, full: { js: [512, 50], pool: [1024, 100] } };

export const heatSuite = workloadSuite({
  name: "heat",
  description: "the heat plate by Jacobi iteration: fixed numbers of sweeps (whole heat() calls on the pool)",
  itemName: "cell updates",
  js: (ctx) => {
    const [n, sweeps] = size(ctx, HEAT.quick.js, HEAT.full.js);
    return { items: n * n * sweeps, run: () => jsHeat(n, 100, sweeps) };
  },
  pool: {
    items: (ctx) => {
      const [n, sweeps] = size(ctx, HEAT.quick.pool, HEAT.full.pool);
      return n * n * sweeps;
    },
    run: (ctx, _items, workers) => {
      const [n, sweeps] = size(ctx, HEAT.quick.pool, HEAT.full.pool);
      return sweepRun(ctx, n, sweeps, workers);
    },
  },
  async check(ctx) {
    const js = jsHeat(64, 100, 25);
    const r = await sweepRun(ctx, 64, 25, Math.min(2, ctx.workers));
    for (let i = 0; i < js.length; i++) {
      if (!Object.is(js[i], r.grid[i])) throw new Error(`bench check failed: heat N = 64, 25 sweeps: cell ${i} is ${js[i]} in plain JS, ${r.grid[i]} in WASM`);
    }
    return "every cell's bits of N = 64 after 25 sweeps (plain JS and the kernel)";
  },
});
