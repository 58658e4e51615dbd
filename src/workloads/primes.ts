/**
 * Primes up to N by a segmented sieve of Eratosthenes on a mod-30 wheel (docs/algorithms.md,
 * "Primes"): base primes ≤ √N are sieved once into shared memory, then the parts of the range
 * are sieved in parallel.
 *   countPrimes: one pass; each part is sieved in a worker's scratch segments and popcounted.
 *   primes:      pass 1 sieves the parts in place into one wheel bitmap of the range (N/30
 *                bytes) and counts them; a prefix sum gives each part its offset; pass 2
 *                writes each part's primes at its offset in one shared output array. The list
 *                is in order with no sort and no copy.
 */
import { invalid } from "../errors.js";
import { COMMON_KEYS, type CommonOptions } from "../plan/run-workload.js";
import { defaultPool } from "../pool/default-pool.js";
import { MAX_WORKERS, type Pool } from "../pool/pool.js";
import * as check from "../validate.js";
import { PRIMES_MAX_UP_TO } from "./primes-limits.js";
import { ProgressPhase, Sieve, planSieve, primeCountUpperBound, sieveBytes, throwIfAborted } from "./primes-sieve.js";

export { PRIMES_MAX_UP_TO };

export interface CountPrimesOptions extends CommonOptions {
  /** Count the primes p ≤ upTo; an integer from 0 to 1e13. */
  upTo: number;
  /** Also compute the exact sum of the primes (about 10% more work). Default false. */
  sum?: boolean;
}

export interface PrimesOptions extends CommonOptions {
  /** List the primes p ≤ upTo; an integer from 0 to 1e13, as far as the pool's memory holds the list. */
  upTo: number;
}

interface SieveStats {
  /** π(upTo). */
  count: number;
  /** Largest prime ≤ upTo, or null when there is none (upTo < 2). */
  last: number | null;
  /** The bound, as given. */
  upTo: number;
  /** Workers the call ran on (1 when the calling thread did the work). */
  workers: number;
  /** "workers" when worker threads ran the kernel, "inline" when the calling thread did. */
  backend: "workers" | "inline";
  /** Parts of the range (each sieved by one kernel call). */
  parts: number;
  /** Wall time of the run in milliseconds, once the pool was ready (its start-up not included). */
  elapsedMs: number;
}

export interface CountPrimesResult extends SieveStats {
  /** Exact sum of the primes ≤ upTo, when `sum: true` was asked; else null. */
  sum: bigint | null;
}

export interface PrimesResult extends SieveStats {
  /**
   * Every prime ≤ upTo, ascending: a Uint32Array while upTo < 2^32, a Float64Array beyond.
   * It is a view on the shared memory of `pool`, written there once and never copied. It
   * stays valid until you free it with `pool.free(primes)` — also after the pool is closed.
   * Until freed, its bytes count against the pool's memory limit (with the default pool: until
   * close(), after which a new default pool starts with fresh memory).
   */
  primes: Uint32Array | Float64Array;
  /** Exact sum of the primes. */
  sum: bigint;
  /** The pool whose memory holds `primes`: call `pool.free(primes)` when done with the list. */
  pool: Pool;
}

const SMALL_SUM = [0n, 0n, 2n, 5n, 5n, 10n];

function validate(name: string, options: unknown, extra: readonly string[]): number {
  if (typeof options !== "object" || options === null) throw new TypeError(`${name}() takes an options object, e.g. ${name}({ upTo: 1e9 })`);
  const o = options as CountPrimesOptions;
  check.knownKeys(name, o, ["upTo", ...extra, ...COMMON_KEYS]);
  const n = check.integer("upTo", o.upTo, 0, PRIMES_MAX_UP_TO);
  check.optionalInteger("workers", o.workers, 1, MAX_WORKERS, 1);
  check.callback("onProgress", o.onProgress);
  check.signal(o.signal);
  return n;
}

function slotsFor(pool: Pool, workers?: number): number {
  return Math.min(workers ?? pool.size, pool.size);
}

/** π(upTo), the number of primes ≤ upTo, with the largest one and optionally their exact sum. */
export async function countPrimes(options: CountPrimesOptions): Promise<CountPrimesResult> {
  const n = validate("countPrimes", options, ["sum"]);
  if (options.sum !== undefined && typeof options.sum !== "boolean") throw invalid("sum", options.sum, "true or false");
  const wantSum = options.sum ?? false;
  const pool = options.pool ?? await defaultPool(options.workers);
  const started = performance.now();
  const plan = planSieve(n);
  const slots = slotsFor(pool, options.workers);
  pool.arena.ensureCanAllocate(sieveBytes(plan, slots, false), `counting the primes up to ${n}`);
  const sieve = new Sieve(pool, plan, slots, false);
  try {
    await sieve.setup();
    throwIfAborted(options.signal);
    const [phase] = ProgressPhase.passes(plan.spec.parts, 1);
    const tally = await sieve.count(wantSum, options, phase);
    const count = plan.small.length + tally.counts.reduce((a, b) => a + b, 0);
    return {
      count,
      last: tally.last || plan.small.at(-1) || null,
      sum: wantSum ? tally.sum + SMALL_SUM[Math.min(n, 5)]! : null,
      upTo: n,
      workers: tally.workers,
      backend: tally.backend,
      parts: plan.spec.parts,
      elapsedMs: performance.now() - started,
    };
  } finally {
    sieve.free();
  }
}

/**
 * Every prime ≤ upTo as a typed array on the pool's shared memory (see PrimesResult.primes
 * for its lifetime). Throws a MemoryLimitError before sieving when the list cannot fit.
 */
export async function primes(options: PrimesOptions): Promise<PrimesResult> {
  const n = validate("primes", options, []);
  const pool = options.pool ?? await defaultPool(options.workers);
  const started = performance.now();
  const plan = planSieve(n);
  const slots = slotsFor(pool, options.workers);
  const wide = n >= 2 ** 32;
  const elementBytes = wide ? 8 : 4;
  const listBound = primeCountUpperBound(n) * elementBytes;
  pool.arena.ensureCanAllocate(listBound + sieveBytes(plan, slots, true),
    `the list of primes up to ${n} (at most ${primeCountUpperBound(n)} primes × ${elementBytes} bytes, plus a ${plan.bytes}-byte sieve bitmap)`);
  const sieve = new Sieve(pool, plan, slots, true);
  let list: Uint32Array | Float64Array | undefined;
  try {
    await sieve.setup();
    throwIfAborted(options.signal);
    const [first, second] = ProgressPhase.passes(plan.spec.parts, 2);
    const tally = await sieve.count(true, options, first);
    const count = plan.small.length + tally.counts.reduce((a, b) => a + b, 0);
    throwIfAborted(options.signal);
    list = wide ? pool.arena.alloc(Float64Array, count, 64, false) : pool.arena.alloc(Uint32Array, count, 64, false);
    list.set(plan.small);
    await sieve.extract(list, tally.counts, options, second);
    const result: PrimesResult = {
      primes: list,
      count,
      last: count ? list[count - 1]! : null,
      sum: tally.sum + SMALL_SUM[Math.min(n, 5)]!,
      upTo: n,
      workers: tally.workers,
      backend: tally.backend,
      parts: plan.spec.parts,
      elapsedMs: performance.now() - started,
      pool,
    };
    list = undefined; // handed to the caller
    return result;
  } finally {
    sieve.free();
    if (list) pool.free(list);
  }
}
