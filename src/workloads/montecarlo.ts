/**
 * Monte Carlo π: the fraction of points of the unit square inside the quarter disc, times 4.
 * Points come from Philox4x32-10 addressed by the sample index (assembly/montecarlo.ts), so a
 * part's hit count depends only on its range and the seed: the same total for any worker count,
 * chunk size or schedule. Hit counts are integers below 2⁵³, so every sum is exact.
 */
import { invalid } from "../errors.js";
import { MAX_BLOCK, partition } from "../plan/partition.js";
import * as check from "../validate.js";
import { defineWorkload, type CommonOptions, type CommonResult } from "./define.js";
import { MONTE_CARLO_DEFAULT_SEED, seedKey } from "./montecarlo-seed.js";

export { MONTE_CARLO_DEFAULT_SEED, seedKey };

export const MONTE_CARLO_MAX_SAMPLES = 1e12;
/** Samples per kernel call at most: a few ms of the SIMD kernel (~1.1 ns a sample on AMD EPYC, ~2.3 ms a call). */
export const MONTE_CARLO_MAX_CHUNK = 1 << 21;
/** Below this many samples the calling thread counts them itself (a worker round trip is ~60–100 µs). */
export const MONTE_CARLO_INLINE_BELOW = 1 << 15;
/** 97.5th percentile of the standard normal distribution: the half-width of a 95% interval in σ. */
const Z_95 = 1.959963984540054;
const MAX_SEED = (1n << 64n) - 1n;

/** "simd": several samples at once (default); "scalar": one at a time, for comparison. */
export type MonteCarloKernel = "simd" | "scalar";

export interface MonteCarloOptions extends CommonOptions {
  /** Points to draw, an integer from 1 to 1e12. */
  samples: number;
  /**
   * Key of the generator: a non-negative safe integer, or a bigint from 0 to 2^64 − 1.
   * Default MONTE_CARLO_DEFAULT_SEED (0x243F6A88).
   */
  seed?: number | bigint;
  /** Samples per part, at most 2^30. Default: automatic from `samples` (never from the worker count). */
  chunkSize?: number;
  /** "simd" (default) or "scalar", the one-sample-at-a-time reference. */
  kernel?: MonteCarloKernel;
  /** Samples below which the calling thread does the work. Default 2^15. */
  inlineThreshold?: number;
}

export interface MonteCarloResult extends CommonResult {
  /** 4 · hits / samples. */
  value: number;
  /** Points inside the quarter disc. */
  hits: number;
  /** Points drawn, as given. */
  samples: number;
  /** The seed used, as given (number or bigint). */
  seed: number | bigint;
  /** Standard error of value: 4·√(p(1 − p)/samples) with p = hits/samples. */
  stdError: number;
  /** value ± 1.96 standard errors. */
  interval95: [number, number];
  /** value − Math.PI. */
  error: number;
  /** The kernel that ran. */
  kernel: MonteCarloKernel;
}

const KERNELS: Record<MonteCarloKernel, string> = { simd: "monteCarloHits", scalar: "monteCarloHitsScalar" };

function validSeed(seed: unknown): number | bigint {
  if (seed === undefined) return MONTE_CARLO_DEFAULT_SEED;
  if ((typeof seed === "number" && Number.isSafeInteger(seed) && seed >= 0) ||
    (typeof seed === "bigint" && seed >= 0n && seed <= MAX_SEED)) return seed;
  throw invalid("seed", seed, "a non-negative safe integer (at most 2^53 − 1) or a bigint from 0n to 2n**64n − 1n");
}

/** π by Monte Carlo sampling on the pool's workers: the same hits for any worker count. */
export const monteCarloPi = defineWorkload<MonteCarloOptions, { samples: number; seed: number | bigint; chunkSize?: number; kernel: MonteCarloKernel; inlineBelow: number }, MonteCarloResult>({
  name: "monteCarloPi",
  example: "monteCarloPi({ samples: 1e9 })",
  keys: ["samples", "seed", "chunkSize", "kernel", "inlineThreshold"],
  ranges: true,
  check: (options) => ({
    samples: check.integer("samples", options.samples, 1, MONTE_CARLO_MAX_SAMPLES),
    seed: validSeed(options.seed),
    chunkSize: options.chunkSize === undefined ? undefined : check.integer("chunkSize", options.chunkSize, 1, MAX_BLOCK),
    kernel: options.kernel === undefined ? "simd" : check.oneOf("kernel", options.kernel, ["simd", "scalar"] as const),
    inlineBelow: check.optionalInteger("inlineThreshold", options.inlineThreshold, 0, MONTE_CARLO_MAX_SAMPLES + 1, MONTE_CARLO_INLINE_BELOW),
  }),
  async run(ctx, { samples, seed, chunkSize, kernel, inlineBelow }) {
    const spec = partition(0, samples, { chunkSize, maxChunk: MONTE_CARLO_MAX_CHUNK });
    // the kernel reads no memory: it runs on workers even where they cannot share memory
    const run = await ctx.runRange({ kernel: KERNELS[kernel], args: seedKey(seed), spec, inlineBelow, privateMemory: {} });
    // integers below 2⁵³: the sum is exact in any order
    let hits = 0;
    for (const h of run.partials) hits += h;
    const p = hits / samples;
    const value = 4 * p;
    const stdError = 4 * Math.sqrt((p * (1 - p)) / samples);
    return {
      value,
      hits,
      samples,
      seed,
      stdError,
      interval95: [value - Z_95 * stdError, value + Z_95 * stdError],
      error: value - Math.PI,
      workers: run.workers,
      backend: run.backend,
      kernel,
      parts: spec.parts,
      chunkSize: spec.blockSize,
    };
  },
});
