/**
 * The sieve's shared block (src/workloads/primes-sieve.ts, class Sieve): where each region lies
 * and what the context tells the kernels, read back from the context words the kernels read
 * (assembly/sieve-context.ts says what each region must hold); a block on memory an earlier user
 * left dirty; and the guards that report a kernel's wrong answer. Counts and lists are compared
 * with a plain sieve of Eratosthenes written here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerError, countPrimes, createPool, primes, type Pool } from "../../dist/index.js";
import {
  Ctx, N_BYTE_OFFSET, RUN_BOUNDARIES, SLOT_ACTIVE_BYTES, SMALL_MAX, Sieve, planSieve, sieveBytes, type SievePlan,
} from "../../dist/workloads/primes-sieve.js";

/** isPrime[k] for k ≤ n, by a plain sieve of Eratosthenes. */
function plainSieve(n: number): Uint8Array {
  const isPrime = new Uint8Array(n + 1).fill(1);
  isPrime[0] = 0;
  if (n >= 1) isPrime[1] = 0;
  for (let i = 2; i * i <= n; i++) {
    if (!isPrime[i]) continue;
    for (let j = i * i; j <= n; j += i) isPrime[j] = 0;
  }
  return isPrime;
}

const IS_PRIME = plainSieve(17_000_000);
/** The primes from 7 on, ascending: the sieve's base prime list. */
const FROM_7: number[] = [];
for (let k = 7; k <= 3_200_000; k++) if (IS_PRIME[k]) FROM_7.push(k);
/** π(x) − 3: the base primes from 7 up to x. */
const basePrimesUpTo = (x: number): number => {
  let lo = 0, hi = FROM_7.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (FROM_7[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
const primesUpTo = (n: number): number[] => {
  const out: number[] = [];
  for (let k = 2; k <= n; k++) if (IS_PRIME[k]) out.push(k);
  return out;
};
const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/** The sieve's context words (private: the kernels read them from shared memory, not through an API). */
const contextOf = (sieve: Sieve): Uint32Array => (sieve as unknown as { ctx: Uint32Array }).ctx;

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

/** Builds a sieve, hands its context to `check`, and frees it. */
function withSieve(plan: SievePlan, slots: number, bitmap: boolean, check: (ctx: Uint32Array, sieve: Sieve) => void): void {
  const sieve = new Sieve(pool, plan, slots, bitmap);
  try {
    check(contextOf(sieve), sieve);
  } finally {
    sieve.free();
  }
}

describe("the sieve's shared block", () => {
  // N from one byte to 10^13 (only the block is laid out: nothing is sieved), 1 to 20 slots
  const cases: Array<[number, number, boolean]> = [
    [0, 1, true], [100, 1, false], [510_480, 3, true], [1e6, 20, false], [3e7, 3, true], [3e7, 20, false], [1e13, 2, false],
  ];

  for (const [n, slots, bitmap] of cases) {
    it(`lays out N = ${n}, ${slots} slots${bitmap ? ", bitmap" : ""}: aligned regions that hold what the kernels need, inside the block, apart`, () => {
      const plan = planSieve(n);
      const before = pool.arena.allocatedBytes;
      withSieve(plan, slots, bitmap, (ctx) => {
        const base = ctx.byteOffset;
        const bytes = sieveBytes(plan, slots, bitmap);
        expect(pool.arena.allocatedBytes - before).toBe(bytes);
        const crossing = basePrimesUpTo(plan.root) - basePrimesUpTo(plan.presieveMax);
        const stride = ctx[Ctx.SLOT_STRIDE]!;
        expect(stride % 64).toBe(0);
        // a slot: segment, active counts and states, then its own copy of every pattern
        const patternBytes = ctx[Ctx.PATTERN_BYTES]!;
        expect(ctx[Ctx.SLOT_PATTERNS]! % 64).toBe(0);
        expect(ctx[Ctx.SLOT_PATTERNS]).toBeGreaterThanOrEqual(plan.segmentBytes + SLOT_ACTIVE_BYTES + 4 * crossing);
        expect(stride).toBeGreaterThanOrEqual(ctx[Ctx.SLOT_PATTERNS]! + patternBytes);
        const regions: Array<{ name: string; at: number; needs: number }> = [
          { name: "context", at: base, needs: 4 * (Ctx.SLOT_PATTERNS + 1) },
          { name: "locks", at: ctx[Ctx.LOCKS]!, needs: 4 * slots },
          { name: "runs", at: ctx[Ctx.RUNS]!, needs: 4 * RUN_BOUNDARIES },
          { name: "groups", at: ctx[Ctx.GROUPS]!, needs: 16 * plan.groups },
          { name: "primes", at: ctx[Ctx.PRIMES]!, needs: 4 * basePrimesUpTo(plan.baseLimit) },
          { name: "cross", at: ctx[Ctx.CROSS]!, needs: 4 * crossing },
          { name: "base scratch", at: ctx[Ctx.BASE_SCRATCH]!, needs: Math.floor(plan.baseLimit / 2) + 64 },
          { name: "records", at: ctx[Ctx.RECORDS]!, needs: 32 * plan.spec.parts },
          { name: "offsets", at: ctx[Ctx.OFFSETS]!, needs: 8 * plan.spec.parts },
          { name: "slots", at: ctx[Ctx.SLOTS]!, needs: stride * slots },
        ];
        const table = new Uint32Array(ctx.buffer, ctx[Ctx.GROUPS]!, 4 * plan.groups);
        for (let g = 0; g < plan.groups; g++) regions.push({ name: `pattern ${g}`, at: table[4 * g]!, needs: table[4 * g + 1]! + plan.chunkBytes });
        // the patterns lie in one block of PATTERN_BYTES from PATTERNS, which one copy moves whole;
        // a single slot makes no copy (it shares the patterns with nobody)
        if (plan.groups === 0) expect([ctx[Ctx.PATTERNS], patternBytes]).toEqual([0, 0]);
        if (slots === 1) expect(patternBytes).toBe(0);
        for (let g = 0; g < (slots > 1 ? plan.groups : 0); g++) {
          expect(table[4 * g]! - ctx[Ctx.PATTERNS]!, `pattern ${g} in the block`).toBeGreaterThanOrEqual(0);
          expect(ctx[Ctx.PATTERNS]! + patternBytes - table[4 * g]!, `pattern ${g} in the block`).toBeGreaterThanOrEqual(table[4 * g + 1]! + plan.chunkBytes);
        }
        if (bitmap) regions.push({ name: "bitmap", at: ctx[Ctx.BITMAP]!, needs: plan.bytes + 64 });
        else expect(ctx[Ctx.BITMAP]).toBe(0);
        regions.sort((a, b) => a.at - b.at);
        expect(regions[0]!.name).toBe("context");
        for (const [i, r] of regions.entries()) {
          expect(r.at % 64, `${r.name} aligned`).toBe(0);
          const next = regions[i + 1]?.at ?? base + bytes;
          expect(next - r.at, `${r.name} holds ${r.needs} bytes`).toBeGreaterThanOrEqual(r.needs);
        }
        // crossing computes addresses up to one prime ≤ √N past the end of the last region
        const last = regions.at(-1)!;
        expect(base + bytes - (last.at + last.needs), "room past the last region").toBeGreaterThanOrEqual(plan.root);
      });
    });
  }

  it("tells the kernels the plan: N, sizes, slots and the pre-sieve groups over the base primes", () => {
    for (const [n, slots] of [[0, 1], [1e5, 2], [510_480, 3], [3e7, 5], [1e13, 2]] as const) {
      const plan = planSieve(n);
      withSieve(plan, slots, false, (ctx) => {
        expect(new Float64Array(ctx.buffer, ctx.byteOffset + N_BYTE_OFFSET, 1)[0]).toBe(n);
        const words = [Ctx.SEGMENT_BYTES, Ctx.CHUNK_BYTES, Ctx.SMALL_MAX, Ctx.PART_BYTES, Ctx.ROOT, Ctx.BASE_LIMIT, Ctx.SLOT_COUNT, Ctx.GROUP_COUNT, Ctx.PRESIEVE_MAX];
        expect(words.map((w) => ctx[w]), `N = ${n}`).toEqual([
          plan.segmentBytes, plan.chunkBytes, SMALL_MAX, plan.spec.blockSize, plan.root, plan.baseLimit, slots, plan.groups, plan.presieveMax,
        ]);
        // group g holds base primes [first, end) (7 is index 0), consecutive from the first on,
        // and its period is their product; crossing off starts after the last pre-sieved prime
        const table = new Uint32Array(ctx.buffer, ctx[Ctx.GROUPS]!, 4 * plan.groups);
        let next = 0;
        for (let g = 0; g < plan.groups; g++) {
          const [, period, first, end] = table.subarray(4 * g, 4 * g + 4);
          expect(first, `group ${g}`).toBe(next);
          expect(end! > first!).toBe(true);
          expect(period, `group ${g}`).toBe(FROM_7.slice(first, end).reduce((a, b) => a * b, 1));
          next = end!;
        }
        expect(ctx[Ctx.SIEVE_FROM]).toBe(next);
        expect(ctx[Ctx.SIEVE_FROM]).toBe(basePrimesUpTo(plan.presieveMax));
      });
    }
  });

  it("starts with a zero header, bitmap tail, locks and records on memory an earlier user left dirty", () => {
    const plan = planSieve(1_000_003);
    const dirty = pool.alloc(Uint8Array, sieveBytes(plan, 3, true) + (1 << 20));
    dirty.fill(0xff);
    const from = dirty.byteOffset;
    const to = from + dirty.byteLength;
    pool.free(dirty);
    withSieve(plan, 3, true, (ctx) => {
      const bytes = new Uint8Array(ctx.buffer);
      expect(ctx.byteOffset >= from && ctx.byteOffset < to, "the block reuses the dirty memory").toBe(true);
      const zero = (name: string, at: number, length: number): void => {
        expect(bytes.subarray(at, at + length).every((b) => b === 0), `${name} is zero`).toBe(true);
      };
      for (const w of [Ctx.PRIME_COUNT, Ctx.SIEVE_TO, Ctx.FLAGS, Ctx.OUT, Ctx.OUT_BYTES]) expect(ctx[w], `context word ${w}`).toBe(0);
      zero("locks", ctx[Ctx.LOCKS]!, 4 * 3);
      zero("runs", ctx[Ctx.RUNS]!, 4 * RUN_BOUNDARIES);
      zero("records", ctx[Ctx.RECORDS]!, 32 * plan.spec.parts);
      zero("offsets", ctx[Ctx.OFFSETS]!, 8 * plan.spec.parts);
      // extraction reads whole words past the range's last byte
      zero("bitmap tail", ctx[Ctx.BITMAP]! + plan.bytes, align64(plan.bytes) + 64 - plan.bytes);
    });
  });
});

describe("each part's own copy of the patterns", () => {
  it("is made in the slot the part sieves in, byte for byte, and the count is a plain sieve's", async () => {
    const n = 16_999_999; // within IS_PRIME
    const plan = planSieve(n);
    expect(plan.groups).toBeGreaterThan(4);
    expect(plan.spec.parts).toBeGreaterThan(3);
    const sieve = new Sieve(pool, plan, 3, false);
    try {
      const ctx = contextOf(sieve);
      const bytes = new Uint8Array(ctx.buffer);
      const shared = bytes.subarray(ctx[Ctx.PATTERNS]!, ctx[Ctx.PATTERNS]! + ctx[Ctx.PATTERN_BYTES]!);
      const copyIn = (slot: number): Uint8Array => {
        const at = ctx[Ctx.SLOTS]! + slot * ctx[Ctx.SLOT_STRIDE]! + ctx[Ctx.SLOT_PATTERNS]!;
        return bytes.subarray(at, at + shared.length);
      };
      for (let slot = 0; slot < 3; slot++) copyIn(slot).fill(0xaa);
      await sieve.setup();
      const tally = await sieve.count(false, { workers: 3 });
      expect(tally.counts.reduce((a, b) => a + b, 0)).toBe(primesUpTo(n).length - 3); // the kernels count from 7
      // a slot no part ran in still holds the filler; every other one a copy of the patterns
      const copies = [0, 1, 2].filter((slot) => !copyIn(slot).every((b) => b === 0xaa));
      expect(copies.length).toBeGreaterThan(0);
      for (const slot of copies) expect(Buffer.compare(copyIn(slot), shared), `slot ${slot}`).toBe(0);
    } finally {
      sieve.free();
    }
  });
});

/**
 * Fills every free byte of the pool's memory with 0xff (the holes earlier tests left, down to 64
 * bytes) and 16 MiB past them; returns the ranges it filled, all free again.
 */
function dirtyFreeMemory(): Array<[number, number]> {
  const held: Uint8Array[] = [];
  const length = pool.arena.byteLength;
  for (const size of [1 << 24, 1 << 20, 1 << 16, 1 << 12, 1 << 6]) {
    for (;;) {
      const block = pool.alloc(Uint8Array, size);
      held.push(block);
      if (block.byteOffset + size > length) break; // past the holes: the memory grew for it
    }
  }
  for (const block of held) block.fill(0xff);
  const ranges = held.map((b): [number, number] => [b.byteOffset, b.byteOffset + b.byteLength]);
  for (const block of held) pool.free(block);
  return ranges;
}

describe("sieving on dirty memory", () => {
  it("lists and counts as a plain sieve does when the pool's memory held 0xff bytes before", async () => {
    for (const n of [99_989, 3_000_017]) {
      const dirty = dirtyFreeMemory();
      const expected = primesUpTo(n);
      const r = await primes({ upTo: n, pool });
      try {
        const at = r.primes.byteOffset;
        expect(dirty.some(([from, to]) => at >= from && at < to), "the list reuses the dirty memory").toBe(true);
        expect([...r.primes]).toEqual(expected);
      } finally {
        pool.free(r.primes);
      }
      dirtyFreeMemory();
      expect((await countPrimes({ upTo: n, pool, sum: true })).count).toBe(expected.length);
    }
  });
});

describe("where a sieve runs", () => {
  it("runs a range of one part in the calling thread and a longer one on the workers", async () => {
    expect(planSieve(1e5).spec.parts).toBe(1);
    expect([(await countPrimes({ upTo: 1e5, pool })).backend, (await countPrimes({ upTo: 1e5, pool })).parts]).toEqual(["inline", 1]);
    const listed = await primes({ upTo: 1e5, pool });
    pool.free(listed.primes);
    expect(listed.backend).toBe("inline");
    const long = await countPrimes({ upTo: 3e7, pool });
    expect(long.parts).toBeGreaterThan(1);
    expect(long.backend).toBe("workers");
  });
});

describe("squares of primes", () => {
  it("counts and lists N = p² − 1, p², p² + 1 as a plain sieve does, for p around the pre-sieve and small-prime limits", async () => {
    const wrong: string[] = [];
    for (const p of [163, 167, 173, 4093, 4099]) {
      for (const n of [p * p - 1, p * p, p * p + 1]) {
        let count = 0;
        for (let k = 2; k <= n; k++) count += IS_PRIME[k]!;
        const counted = await countPrimes({ upTo: n, pool });
        const listed = await primes({ upTo: n, pool });
        const tail = [...listed.primes.subarray(-3)];
        pool.free(listed.primes);
        const lastThree: number[] = [];
        for (let k = n; lastThree.length < 3; k--) if (IS_PRIME[k]) lastThree.unshift(k);
        if (counted.count !== count || listed.count !== count || tail.join() !== lastThree.join()) {
          wrong.push(`N = ${n}: counted ${counted.count}, listed ${listed.count} ending ${tail}, expected ${count} ending ${lastThree}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("the guards on a kernel's answer", () => {
  it("count() reports a WorkerError when a part's kernel found no free scratch slot", async () => {
    // a block with no slots: every sieveCount call finds none (a planning error in real use)
    const sieve = new Sieve(pool, planSieve(1000), 0, false);
    try {
      await sieve.setup();
      const e = await sieve.count(false, {}).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as Error).message).toBe("sieveCount found no free scratch slot: more kernel calls ran at once than the job has workers");
    } finally {
      sieve.free();
    }
  });

  it("extract() reports a WorkerError naming a part whose listed primes differ from its count", async () => {
    // π(10^5) = 9592: the one part holds the 9589 primes from 7 on
    const plan = planSieve(1e5);
    const sieve = new Sieve(pool, plan, 1, true);
    const out = pool.alloc(Uint32Array, 9593);
    try {
      await sieve.setup();
      const tally = await sieve.count(true, {});
      expect([...tally.counts]).toEqual([9589]);
      const e = await sieve.extract(out, Float64Array.of(9590), {}).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as Error).message).toBe("part 0 listed 9589 primes but counted 9590");
    } finally {
      pool.free(out);
      sieve.free();
    }
  });
});

/** What a slot's copy of the patterns needs: each pattern's period and CHUNK_BYTES more. */
function patternsNeed(plan: SievePlan, table: Uint32Array): number {
  let bytes = 0;
  for (let g = 0; g < plan.groups; g++) bytes += table[4 * g + 1]! + plan.chunkBytes;
  return bytes;
}

/** Bytes from each region's start to the next region's (or the block's end), with what each is sized for. */
function regionsOf(ctx: Uint32Array, plan: SievePlan, slots: number, bitmap: boolean): Array<{ name: string; size: number; needs: number }> {
  // sized for every base prime ≤ √N, by the prime-count bound (the pre-sieved ones are not crossed, but counted in)
  const crossing = basePrimesUpTo(plan.root);
  const stride = ctx[Ctx.SLOT_STRIDE]!;
  const table = new Uint32Array(ctx.buffer, ctx[Ctx.GROUPS]!, 4 * plan.groups);
  const regions = [
    { name: "context", at: ctx.byteOffset, needs: 4 * (Ctx.SLOT_PATTERNS + 1) },
    { name: "locks", at: ctx[Ctx.LOCKS]!, needs: 4 * slots },
    { name: "runs", at: ctx[Ctx.RUNS]!, needs: 4 * RUN_BOUNDARIES },
    { name: "groups", at: ctx[Ctx.GROUPS]!, needs: 16 * plan.groups },
    { name: "primes", at: ctx[Ctx.PRIMES]!, needs: 4 * basePrimesUpTo(plan.baseLimit) },
    { name: "cross", at: ctx[Ctx.CROSS]!, needs: 4 * crossing },
    { name: "base scratch", at: ctx[Ctx.BASE_SCRATCH]!, needs: Math.floor(plan.baseLimit / 2) + 64 },
    { name: "records", at: ctx[Ctx.RECORDS]!, needs: 32 * plan.spec.parts },
    { name: "offsets", at: ctx[Ctx.OFFSETS]!, needs: 8 * plan.spec.parts },
    {
      name: "slots", at: ctx[Ctx.SLOTS]!,
      needs: (plan.segmentBytes + SLOT_ACTIVE_BYTES + 4 * crossing + (slots > 1 ? patternsNeed(plan, table) : 0)) * slots,
    },
    ...Array.from({ length: plan.groups }, (_, g) => ({ name: `pattern ${g}`, at: table[4 * g]!, needs: table[4 * g + 1]! + plan.chunkBytes })),
    ...(bitmap ? [{ name: "bitmap", at: ctx[Ctx.BITMAP]!, needs: plan.bytes + 64 }] : []),
  ].sort((a, b) => a.at - b.at);
  const end = ctx.byteOffset + sieveBytes(plan, slots, bitmap);
  return regions.map((r, i) => ({ name: r.name, needs: r.needs, size: (regions[i + 1]?.at ?? end) - r.at }));
}

describe("the sieve's shared block, tightly", () => {
  it("wastes no more than a cache line and the prime-count bound's 15 % slack per region, besides √N past the last", () => {
    for (const [n, slots, bitmap] of [[0, 1, true], [1e6, 20, false], [3e7, 3, true], [1e13, 2, false]] as const) {
      const plan = planSieve(n);
      withSieve(plan, slots, bitmap, (ctx) => {
        const regions = regionsOf(ctx, plan, slots, bitmap);
        const last = regions.pop()!;
        for (const r of regions) expect(r.size, `N = ${n}: ${r.name} for ${r.needs} bytes`).toBeLessThanOrEqual(Math.ceil(1.15 * r.needs) + 128);
        expect(last.size, `N = ${n}: ${last.name} for ${last.needs} bytes, then √N`).toBeLessThanOrEqual(Math.ceil(1.15 * last.needs) + 128 + plan.root + 128);
      });
    }
  });

  it("zeroes the bitmap's tail on dirty memory also when the bitmap is longer than all that precedes it", () => {
    // (3 slots of a segment and a copy of the patterns each precede it: ~3 MB)
    const plan = planSieve(3e8);
    const dirty = pool.alloc(Uint8Array, sieveBytes(plan, 3, true) + (1 << 20));
    dirty.fill(0xff);
    pool.free(dirty);
    withSieve(plan, 3, true, (ctx) => {
      expect(ctx[Ctx.BITMAP]! - ctx.byteOffset).toBeLessThan(plan.bytes);
      const tail = new Uint8Array(ctx.buffer, ctx[Ctx.BITMAP]! + plan.bytes, align64(plan.bytes) + 64 - plan.bytes);
      expect(tail.every((b) => b === 0)).toBe(true);
    });
  });
});

const IS_PRIME_30M = plainSieve(30_000_001);

describe("the tally over parts", () => {
  it("sums the primes and finds the largest one over many parts as a plain sieve does, and frees its block", async () => {
    // 3·10^7: 16 parts, so each part's sum is offset by its own start
    const n = 30_000_001;
    expect(planSieve(n).spec.parts).toBeGreaterThan(8);
    let sum = 0n;
    let last = 0;
    for (let k = 2; k <= n; k++) if (IS_PRIME_30M[k]) { sum += BigInt(k); last = k; }
    const r = await countPrimes({ upTo: n, pool, sum: true });
    expect([r.sum, r.last]).toEqual([sum, last]);
    // (the pool's first job on its workers keeps a few words for the pool's life: measured after it)
    const before = pool.arena.allocatedBytes;
    await countPrimes({ upTo: n, pool });
    expect(pool.arena.allocatedBytes).toBe(before);
  });

  it("counts 0, 1, 2, 3 primes for N = 0 … 6 (no prime from 7 on in the one part)", async () => {
    const counts = [];
    for (let n = 0; n <= 6; n++) counts.push((await countPrimes({ upTo: n, pool })).count);
    expect(counts).toEqual([0, 0, 1, 2, 2, 3, 3]);
  });
});
