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
import type { Pool } from "../pool/pool.js";
import * as check from "../validate.js";
import { defineWorkload, type CommonOptions, type CommonResult } from "./define.js";
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

interface SieveStats extends CommonResult {
  /** π(upTo). */
  count: number;
  /** Largest prime ≤ upTo, or null when there is none (upTo < 2). */
  last: number | null;
  /** The bound, as given. */
  upTo: number;
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

const upTo = (options: { upTo?: unknown }): number => check.integer("upTo", options.upTo, 0, PRIMES_MAX_UP_TO);

/** π(upTo), the number of primes ≤ upTo, with the largest one and optionally their exact sum. */
export const countPrimes = defineWorkload<CountPrimesOptions, { n: number; wantSum: boolean }, CountPrimesResult>({
  name: "countPrimes",
  example: "countPrimes({ upTo: 1e9 })",
  keys: ["upTo", "sum"],
  // on a cluster the tables its kernel reads and the per-part slots it writes travel as privateMemory regions (src/cluster/)
  ranges: true,
  check(options) {
    const n = upTo(options);
    if (options.sum !== undefined && typeof options.sum !== "boolean") throw invalid("sum", options.sum, "true or false");
    return { n, wantSum: options.sum ?? false };
  },
  async run(ctx, { n, wantSum }) {
    const { pool } = ctx;
    const plan = planSieve(n);
    pool.arena.ensureCanAllocate(sieveBytes(plan, ctx.workers, false), `counting the primes up to ${n}`);
    const sieve = new Sieve(pool, plan, ctx.workers, false);
    try {
      await sieve.setup();
      throwIfAborted(ctx.signal);
      const [phase] = ProgressPhase.passes(plan.spec.parts, 1);
      const tally = await sieve.count(wantSum, ctx, phase);
      const count = plan.small.length + tally.counts.reduce((a, b) => a + b, 0);
      return {
        count,
        last: tally.last || plan.small.at(-1) || null,
        sum: wantSum ? tally.sum + SMALL_SUM[Math.min(n, 5)]! : null,
        upTo: n,
        workers: tally.workers,
        backend: tally.backend,
        parts: plan.spec.parts,
        chunkSize: plan.spec.blockSize,
      };
    } finally {
      sieve.free();
    }
  },
});

/**
 * Every prime ≤ upTo as a typed array on the pool's shared memory (see PrimesResult.primes
 * for its lifetime). Throws a MemoryLimitError before sieving when the list cannot fit.
 */
export const primes = defineWorkload<PrimesOptions, { n: number }, PrimesResult>({
  name: "primes",
  example: "primes({ upTo: 1e6 })",
  keys: ["upTo"],
  ranges: { why: "the list is written into the pool's shared memory" },
  check: (options) => ({ n: upTo(options) }),
  async run(ctx, { n }) {
    const { pool } = ctx;
    const plan = planSieve(n);
    const wide = n >= 2 ** 32;
    const elementBytes = wide ? 8 : 4;
    const listBound = primeCountUpperBound(n) * elementBytes;
    pool.arena.ensureCanAllocate(listBound + sieveBytes(plan, ctx.workers, true),
      `the list of primes up to ${n} (at most ${primeCountUpperBound(n)} primes × ${elementBytes} bytes, plus a ${plan.bytes}-byte sieve bitmap)`);
    const sieve = new Sieve(pool, plan, ctx.workers, true);
    let list: Uint32Array | Float64Array | undefined;
    try {
      await sieve.setup();
      throwIfAborted(ctx.signal);
      const [first, second] = ProgressPhase.passes(plan.spec.parts, 2);
      const tally = await sieve.count(true, ctx, first);
      const count = plan.small.length + tally.counts.reduce((a, b) => a + b, 0);
      throwIfAborted(ctx.signal);
      list = wide ? pool.arena.alloc(Float64Array, count, 64, false) : pool.arena.alloc(Uint32Array, count, 64, false);
      list.set(plan.small);
      await sieve.extract(list, tally.counts, ctx, second);
      const result = {
        primes: list,
        count,
        last: count ? list[count - 1]! : null,
        sum: tally.sum + SMALL_SUM[Math.min(n, 5)]!,
        upTo: n,
        workers: tally.workers,
        backend: tally.backend,
        parts: plan.spec.parts,
        chunkSize: plan.spec.blockSize,
        pool,
      };
      list = undefined; // handed to the caller
      return result;
    } finally {
      sieve.free();
      if (list) pool.free(list);
    }
  },
});
