/**
 * π by the midpoint rule: π ≈ (1/N) Σ_{i=1..N} 4/(1 + x_i²), x_i = (i − 0.5)/N.
 * Parts are blocks of consecutive terms; each part's partial sum comes from one kernel call,
 * and the partials are added pairwise in part order.
 */
import { MAX_BLOCK, MAX_INDEX, partition } from "../plan/partition.js";
import { pairwiseSum } from "../plan/reduce.js";
import * as check from "../validate.js";
import { defineWorkload, type CommonOptions, type CommonResult } from "./define.js";

export const PI_MAX_N = 1e12;
/** Terms per kernel call at most: about 3 ms of the SIMD kernel. */
export const PI_MAX_CHUNK = 1 << 22;
/** Terms per part at least (~45 µs): smaller parts cost more in calls than they return. */
export const PI_MIN_CHUNK = 1 << 16;
/**
 * Below this many terms the calling thread computes π itself: two workers start to win between
 * 2¹⁸ and 2¹⁹ terms on this 2-core machine (a worker round trip costs ~60–100 µs, the SIMD
 * kernel ~0.7 ns per term; bench/pi.bench.js, "pi: inline vs workers").
 */
export const PI_INLINE_BELOW = 1 << 19;

/** "simd": 8 terms per division (default); "scalar": one division per term, for comparison. */
export type PiKernel = "simd" | "scalar";

export interface PiOptions extends CommonOptions {
  /** Number of terms N, an integer from 1 to 1e12. */
  n: number;
  /** Terms per part, at most 2^30. Default: automatic from N (never from the worker count). */
  chunkSize?: number;
  /** "simd" (default) or "scalar", the one-division-per-term reference. */
  kernel?: PiKernel;
  /** Terms below which the calling thread does the work. Default 2^19. */
  inlineThreshold?: number;
}

export interface PiResult extends CommonResult {
  /** The midpoint-rule estimate of π. */
  value: number;
  /** value − Math.PI. */
  error: number;
  /** Terms summed. */
  n: number;
  /** The kernel that ran. */
  kernel: PiKernel;
}

const KERNELS: Record<PiKernel, string> = { simd: "piMidpointSimd", scalar: "piMidpointScalar" };

/** π by the midpoint rule over N terms, on the pool's workers. */
export const pi = defineWorkload<PiOptions, { n: number; chunkSize?: number; kernel: PiKernel; inlineBelow: number }, PiResult>({
  name: "pi",
  example: "pi({ n: 1e9 })",
  keys: ["n", "chunkSize", "kernel", "inlineThreshold"],
  ranges: true,
  check: (options) => ({
    n: check.integer("n", options.n, 1, PI_MAX_N),
    chunkSize: options.chunkSize === undefined ? undefined : check.integer("chunkSize", options.chunkSize, 1, MAX_BLOCK),
    kernel: options.kernel === undefined ? "simd" : check.oneOf("kernel", options.kernel, ["simd", "scalar"] as const),
    inlineBelow: check.optionalInteger("inlineThreshold", options.inlineThreshold, 0, MAX_INDEX, PI_INLINE_BELOW),
  }),
  async run(ctx, { n, chunkSize, kernel, inlineBelow }) {
    const spec = partition(1, n + 1, { chunkSize, minChunk: PI_MIN_CHUNK, maxChunk: PI_MAX_CHUNK });
    // the kernel reads no memory: it runs on workers even where they cannot share memory
    const run = await ctx.runRange({ kernel: KERNELS[kernel], args: [n], spec, inlineBelow, privateMemory: {} });
    const value = (4 / n) * pairwiseSum(run.partials);
    return { value, error: value - Math.PI, n, workers: run.workers, backend: run.backend, kernel, parts: spec.parts, chunkSize: spec.blockSize };
  },
});
