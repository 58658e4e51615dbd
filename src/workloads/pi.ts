/**
 * π by the midpoint rule: π ≈ (1/N) Σ_{i=1..N} 4/(1 + x_i²), x_i = (i − 0.5)/N.
 * Parts are blocks of consecutive terms; each part's partial sum comes from one kernel call,
 * and the partials are added pairwise in part order.
 */
import { MAX_INDEX, partition } from "../plan/partition.js";
import { pairwiseSum } from "../plan/reduce.js";
import { COMMON_KEYS, runOnPool, type CommonOptions } from "../plan/run-workload.js";
import * as check from "../validate.js";
import { MAX_WORKERS } from "../pool/pool.js";

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
  /** Terms per part. Default: automatic from N (never from the worker count). */
  chunkSize?: number;
  /** "simd" (default) or "scalar", the one-division-per-term reference. */
  kernel?: PiKernel;
  /** Terms below which the calling thread does the work. Default 2^19. */
  inlineThreshold?: number;
}

export interface PiResult {
  /** π by the midpoint rule with n terms. */
  value: number;
  /** value − Math.PI. */
  error: number;
  /** Number of terms, as given. */
  n: number;
  /** Workers the call ran on (1 when the calling thread did the work). */
  workers: number;
  /** "workers" when worker threads ran the kernel, "inline" when the calling thread did. */
  backend: "workers" | "inline";
  /** The kernel that ran. */
  kernel: PiKernel;
  /** Parts the range was cut into (one kernel call each, reduced in part order). */
  parts: number;
  /** Indices per part, as used. */
  chunkSize: number;
  /** Wall time of the run in milliseconds, once the pool was ready (its start-up not included). */
  elapsedMs: number;
}

const KERNELS: Record<PiKernel, string> = { simd: "piMidpointSimd", scalar: "piMidpointScalar" };

/**
 * π ≈ (1/N) Σ 4/(1 + x²) at the N midpoints x = (i − 0.5)/N, on the pool's workers. The
 * result has the same bits for any worker count. Throws InvalidArgumentError for bad options,
 * AbortError when `signal` aborts.
 * @example const { value } = await pi({ n: 1e9 });
 */
export async function pi(options: PiOptions): Promise<PiResult> {
  if (typeof options !== "object" || options === null) throw new TypeError("pi() takes an options object, e.g. pi({ n: 1e9 })");
  check.knownKeys("pi", options, ["n", "chunkSize", "kernel", "inlineThreshold", ...COMMON_KEYS]);
  const n = check.integer("n", options.n, 1, PI_MAX_N);
  check.optionalInteger("workers", options.workers, 1, MAX_WORKERS, 1);
  const chunkSize = options.chunkSize === undefined ? undefined : check.integer("chunkSize", options.chunkSize, 1, PI_MAX_N);
  const kernel = options.kernel === undefined ? "simd" : check.oneOf("kernel", options.kernel, ["simd", "scalar"] as const);
  const inlineBelow = check.optionalInteger("inlineThreshold", options.inlineThreshold, 0, MAX_INDEX, PI_INLINE_BELOW);
  check.callback("onProgress", options.onProgress);
  check.signal(options.signal);

  const spec = partition(1, n + 1, { chunkSize, minChunk: PI_MIN_CHUNK, maxChunk: PI_MAX_CHUNK });
  // the kernel reads no memory: it runs on workers even where they cannot share memory
  const run = await runOnPool(options, { kernel: KERNELS[kernel], args: [n], spec, inlineBelow, privateMemory: {} });
  const value = (4 / n) * pairwiseSum(run.partials);
  return {
    value,
    error: value - Math.PI,
    n,
    workers: run.workers,
    backend: run.backend,
    kernel,
    parts: spec.parts,
    chunkSize: spec.blockSize,
    elapsedMs: run.elapsedMs,
  };
}
