import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError, InvalidArgumentError, MemoryLimitError, countPrimes, createPool, primes, type Pool,
} from "../../dist/index.js";
import { Sieve, planSieve } from "../../dist/workloads/primes-sieve.js";

/** Primes ≤ n by trial division by the primes found so far, written independently of the sieve. */
function trialDivisionPrimes(n: number): number[] {
  const found: number[] = [];
  for (let k = 2; k <= n; k++) {
    let prime = true;
    for (const p of found) {
      if (p * p > k) break;
      if (k % p === 0) { prime = false; break; }
    }
    if (prime) found.push(k);
  }
  return found;
}

/** Primes ≤ n by a plain byte-per-number sieve of Eratosthenes (for ranges too long for trial division). */
function plainSievePrimes(n: number): Uint32Array {
  const composite = new Uint8Array(n + 1);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  const out = new Uint32Array(count);
  let k = 0;
  for (let i = 2; i <= n; i++) if (!composite[i]) out[k++] = i;
  return out;
}

/** First index of a sorted list holding a value > n, i.e. π(n) for a list of primes. */
function countUpTo(list: ArrayLike<number>, n: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first difference of two lists (including a length difference), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function sumOf(list: ArrayLike<number>, count = list.length): bigint {
  let s = 0n;
  for (let i = 0; i < count; i++) s += BigInt(list[i]!);
  return s;
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("countPrimes", () => {
  // π(10^k), k = 1..10 (OEIS A006880). 10^10 takes a few seconds of sieving: kept, since it is
  // the largest value that exercises the parallel path with hundreds of parts in CI time.
  const PI_POWERS = [4, 25, 168, 1229, 9592, 78498, 664579, 5761455, 50847534, 455052511];
  for (let k = 1; k <= 10; k++) {
    it(`counts π(10^${k}) = ${PI_POWERS[k - 1]}`, async () => {
      const r = await countPrimes({ upTo: 10 ** k, pool });
      expect(r.count).toBe(PI_POWERS[k - 1]);
    });
  }

  it("sums the primes below 10^9 and 10^10 exactly, past 2^53 (OEIS A046731)", async () => {
    expect((await countPrimes({ upTo: 1e9, pool, sum: true })).sum).toBe(24739512092254535n);
    expect((await countPrimes({ upTo: 1e10, pool, sum: true })).sum).toBe(2220822432581729238n);
  });

  it("counts across 2^32: π(2^32) = 203280221 (OEIS A007053), and the next prime 2^32 + 15", async () => {
    expect((await countPrimes({ upTo: 2 ** 32, pool })).count).toBe(203280221);
    const next = await countPrimes({ upTo: 2 ** 32 + 15, pool });
    expect([next.count, next.last]).toEqual([203280222, 2 ** 32 + 15]);
  });

  it("reports the largest prime ≤ N", async () => {
    expect((await countPrimes({ upTo: 1e9, pool })).last).toBe(999999937);
    expect((await countPrimes({ upTo: 100, pool })).last).toBe(97);
  });
});

describe("primes and countPrimes against trial division", () => {
  it("agree with trial division for every N from 0 to 10^5 (list, count, sum, last)", async () => {
    const reference = trialDivisionPrimes(1e5);
    const mismatches: string[] = [];
    let count = 0;
    let sum = 0n;
    for (let n = 0; n <= 1e5 && mismatches.length < 5; n++) {
      if (reference[count] === n) sum += BigInt(reference[count++]!);
      const last = count ? reference[count - 1]! : null;
      const counted = await countPrimes({ upTo: n, pool, sum: true });
      const listed = await primes({ upTo: n, pool });
      const list = listed.primes;
      let same = listed.count === count && counted.count === count && firstDifference(list, reference.slice(0, count)) === -1;
      same &&= counted.last === last && listed.last === last && counted.sum === sum && listed.sum === sum;
      if (!same) mismatches.push(`N = ${n}: count ${counted.count}/${listed.count}, expected ${count}`);
      pool.free(list);
    }
    expect(mismatches).toEqual([]);
  });

  it("gives the empty list for N < 2, [2] for N = 2, and ends with N when N is prime", async () => {
    for (const n of [0, 1]) {
      const r = await primes({ upTo: n, pool });
      expect([r.count, r.primes.length, r.last, r.sum]).toEqual([0, 0, null, 0n]);
      pool.free(r.primes);
    }
    const two = await primes({ upTo: 2, pool });
    expect([...two.primes]).toEqual([2]);
    pool.free(two.primes);
    for (const p of [7, 31, 7919, 999983, 15485863]) {
      const r = await primes({ upTo: p, pool });
      expect(r.last).toBe(p);
      expect(r.primes[r.primes.length - 1]).toBe(p);
      pool.free(r.primes);
    }
  });
});

describe("segment and part edges", () => {
  // Chunk, segment and part sizes depend on N, so each edge is taken from the plan of the N
  // around it: the first chunk, segment and part boundaries and a later part boundary.
  const boundaries: Array<{ kind: string; edge: number }> = [];
  for (const n of [3e6, 2e7, 6e7]) {
    const plan = planSieve(n);
    boundaries.push({ kind: `chunk (plan for ${n})`, edge: 30 * plan.chunkBytes });
    boundaries.push({ kind: `segment (plan for ${n})`, edge: 30 * plan.segmentBytes });
    boundaries.push({ kind: `part (plan for ${n})`, edge: 30 * plan.spec.blockSize * Math.floor(plan.spec.parts / 2) });
  }
  const reference = plainSievePrimes(Math.max(...boundaries.map((b) => b.edge)) + 1000);
  for (const { kind, edge } of boundaries) {
    it(`matches a plain sieve for N just below, at and above a ${kind} boundary at ${edge}`, async () => {
      const near = [edge - 31, edge - 30, edge - 1, edge, edge + 1, edge + 29, edge + 30, edge + 31];
      // the edge is a chunk, segment or part boundary in the plan of every N tested
      for (const n of near) {
        const plan = planSieve(n);
        const sizes = [plan.chunkBytes, plan.segmentBytes, plan.spec.blockSize].map((s) => 30 * s);
        expect(sizes.some((s) => edge % s === 0)).toBe(true);
      }
      for (const n of near) {
        const count = countUpTo(reference, n);
        const r = await primes({ upTo: n, pool });
        expect(firstDifference(r.primes, reference.subarray(0, count))).toBe(-1);
        expect((await countPrimes({ upTo: n, pool })).count).toBe(count);
        pool.free(r.primes);
      }
    });
  }

  it("matches a plain sieve over many parts (N = 6·10^7)", async () => {
    const n = 6e7;
    const ref = plainSievePrimes(n);
    const r = await primes({ upTo: n, pool });
    expect(r.parts).toBeGreaterThan(4);
    expect(firstDifference(r.primes, ref)).toBe(-1);
    expect(r.sum).toBe(sumOf(ref));
    pool.free(r.primes);
  });
});

describe("determinism and output", () => {
  it("gives the same list, count and sum for 1, 2 and 3 workers", async () => {
    const runs = [];
    for (const workers of [1, 2, 3]) {
      const r = await primes({ upTo: 3e7, workers, pool });
      runs.push({ list: r.primes.slice(), count: r.count, sum: r.sum, workers: r.workers });
      pool.free(r.primes);
    }
    expect(runs.map((r) => r.workers)).toEqual([1, 2, 3]);
    expect(firstDifference(runs[1]!.list, runs[0]!.list)).toBe(-1);
    expect(firstDifference(runs[2]!.list, runs[0]!.list)).toBe(-1);
    expect(new Set(runs.map((r) => `${r.count} ${r.sum}`)).size).toBe(1);
    const counts = await Promise.all([1, 2, 3].map(async (workers) => (await countPrimes({ upTo: 2e9, workers, pool, sum: true })).sum));
    expect(new Set(counts).size).toBe(1);
  });

  it("returns a Uint32Array view on the pool's shared memory, freed with pool.free", async () => {
    const before = pool.arena.allocatedBytes;
    const r = await primes({ upTo: 1e6, pool });
    expect(r.primes).toBeInstanceOf(Uint32Array);
    expect(r.primes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(r.pool).toBe(pool);
    expect(pool.arena.allocatedBytes - before).toBe(r.primes.byteLength);
    pool.free(r.primes);
    expect(pool.arena.allocatedBytes).toBe(before);
  });

  it("writes f64 lists (the type used from 2^32 on) with the same primes", async () => {
    // a list to 2^32 needs ~1 GB: the f64 extraction kernel is checked on a small range instead
    const plan = planSieve(2e6);
    const sieve = new Sieve(pool, plan, 3, true);
    try {
      await sieve.setup();
      const tally = await sieve.count(true, {});
      const count = plan.small.length + tally.counts.reduce((a: number, b: number) => a + b, 0);
      const out = pool.alloc(Float64Array, count);
      out.set(plan.small);
      await sieve.extract(out, tally.counts, {});
      expect(firstDifference(out, plainSievePrimes(2e6))).toBe(-1);
      pool.free(out);
    } finally {
      sieve.free();
    }
  });
});

describe("bad input, memory, cancellation", () => {
  it("rejects bad upTo values, naming the parameter and the range", async () => {
    for (const upTo of [-1, 1.5, Number.NaN, 1e14, Infinity, "100", undefined]) {
      await expect(countPrimes({ upTo: upTo as number, pool })).rejects.toThrow(/^upTo must be an integer from 0 to 1e13/);
      await expect(primes({ upTo: upTo as number, pool })).rejects.toThrow(InvalidArgumentError);
    }
  });

  it("rejects unknown options, bad workers and a non-boolean sum", async () => {
    await expect(countPrimes({ upTo: 10, pool, upto: 5 } as never)).rejects.toThrow(/countPrimes option "upto"/);
    await expect(primes({ upTo: 10, pool, workers: 0 })).rejects.toThrow(/^workers must be an integer from 1 to 256/);
    await expect(countPrimes({ upTo: 10, pool, sum: 1 } as never)).rejects.toThrow(/^sum must be true or false/);
    await expect(primes(10 as never)).rejects.toThrow(TypeError);
  });

  it("says before sieving when the list cannot fit, with the bytes needed", async () => {
    const small = await createPool({ workers: 1, maxMemory: 64 * 1024 * 1024 });
    try {
      const before = small.arena.allocatedBytes; // the pool's own control words
      const error = await primes({ upTo: 1e9, pool: small }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MemoryLimitError);
      expect((error as MemoryLimitError).bytesNeeded).toBeGreaterThan(4 * 50847534);
      expect((error as Error).message).toMatch(/the list of primes up to 1000000000/);
      expect(small.arena.allocatedBytes).toBe(before);
    } finally {
      await small.close();
    }
  });

  it("stops on abort, frees its memory and leaves the pool usable", async () => {
    const before = pool.arena.allocatedBytes;
    const controller = new AbortController();
    const started = performance.now();
    const running = countPrimes({ upTo: 1e13, pool, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toThrow(AbortError);
    // counting to 1e13 takes hours; stopping takes at most one part per worker
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(pool.arena.allocatedBytes).toBe(before);
    expect((await countPrimes({ upTo: 1e6, pool })).count).toBe(78498);
    await expect(primes({ upTo: 10, pool, signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
  });

  it("reports progress up to done = total over both passes of a list", async () => {
    const seen: number[] = [];
    const r = await primes({ upTo: 2e8, pool, onProgress: (p) => seen.push(p.fraction) });
    pool.free(r.primes);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
