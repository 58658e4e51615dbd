import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, MONTE_CARLO_DEFAULT_SEED, createPool, monteCarloPi, seedKey, type Pool } from "../../dist/index.js";
import { KAT, keyOf, philox, referenceHit, referenceHits, referenceHitsFast, straddlingSamples } from "../helpers/philox.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

/** The kernel's hit count for samples [start, end), called directly on a worker. */
function kernelHits(kernel: "monteCarloHits" | "monteCarloHitsScalar", start: number, end: number, key: number[]): Promise<number> {
  return pool.apply(kernel, [start, end, key[0]!, key[1]!]);
}

describe("Philox4x32-10", () => {
  it.each(KAT)("the plain JS generator gives the published answer for counter %j, key %j", (ctr, key, expected) => {
    expect(philox(ctr, key)).toEqual(expected);
  });

  it.each(KAT)("the wasm generator gives the published answer for counter %j, key %j", async (ctr, key, expected) => {
    const out = pool.alloc(Uint32Array, 4);
    try {
      await pool.apply("philox4x32_10", [...ctr, ...key, out.byteOffset]);
      expect(Array.from(out)).toEqual(expected);
    } finally {
      pool.free(out);
    }
  });
});

describe("the seed's key", () => {
  it("is (seed mod 2^32, ⌊seed / 2^32⌋), low half first, for numbers and bigints", () => {
    expect(seedKey(0x0000000200000001n)).toEqual([1, 2]);
    expect(seedKey(2 ** 32 + 7)).toEqual([7, 1]);
    expect(seedKey(0xfedcba9876543210n)).toEqual([0x76543210, 0xfedcba98]);
    expect(seedKey(2n ** 64n - 1n)).toEqual([0xffffffff, 0xffffffff]);
    expect(seedKey(MONTE_CARLO_DEFAULT_SEED)).toEqual([0x243f6a88, 0]);
    for (const seed of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 123456789012345]) expect(seedKey(seed)).toEqual(keyOf(seed));
  });
});

describe("monteCarloPi", () => {
  it.each([
    [0, 300_001],
    [2 ** 32 + 7, 200_000],
    [0x0123456789abcdefn, 250_003],
  ])("counts the plain reference's hits for seed %s (%i samples), keyed as documented", async (seed, samples) => {
    const r = await monteCarloPi({ samples, seed, pool, inlineThreshold: 0, chunkSize: 65_536 });
    expect(r.hits).toBe(referenceHitsFast(0, samples, keyOf(seed)).hits);
  });

  it("counts exactly over ranges with hundreds of samples the refinement word decides", async () => {
    for (const seed of [5, 0xabcdef0123n]) {
      const samples = 4_000_000;
      const ref = referenceHitsFast(0, samples, keyOf(seed));
      expect(ref.straddling).toBeGreaterThan(150); // ~6·10⁻⁵ of the samples
      for (const kernel of ["simd", "scalar"] as const) {
        const r = await monteCarloPi({ samples, seed, pool, kernel, inlineThreshold: 0 });
        expect(r.hits, `${kernel}, seed ${seed}`).toBe(ref.hits);
      }
    }
  });

  it("derives value, stdError and the 95% interval (z = 1.959963984540054, the normal's 97.5th percentile) from the hits", async () => {
    const samples = 1_000_003;
    const r = await monteCarloPi({ samples, seed: 77, pool });
    const p = r.hits / samples;
    expect(r.value).toBe(4 * p);
    expect(r.stdError).toBeCloseTo(4 * Math.sqrt((p * (1 - p)) / samples), 15);
    const z = 1.959963984540054; // Φ⁻¹(0.975) = 1.95996398454005423552…
    expect(r.interval95[0]).toBeCloseTo(r.value - z * r.stdError, 14);
    expect(r.interval95[1]).toBeCloseTo(r.value + z * r.stdError, 14);
    expect(r.error).toBe(r.value - Math.PI);
    expect([r.samples, r.seed, r.kernel]).toEqual([samples, 77, "simd"]);
  });

  it("counts in the calling thread below 2^15 samples and on workers from 2^15 (the default threshold)", async () => {
    const below = await monteCarloPi({ samples: 2 ** 15 - 1, pool });
    const at = await monteCarloPi({ samples: 2 ** 15, pool });
    expect(below.backend).toBe("inline");
    expect(below.parts).toBeGreaterThan(1); // inline by the threshold, not for want of parts
    expect(at.backend).toBe("workers");
    expect(at.hits).toBe(referenceHitsFast(0, 2 ** 15, keyOf(MONTE_CARLO_DEFAULT_SEED)).hits);
    expect((await monteCarloPi({ samples: 1000, pool, chunkSize: 100, inlineThreshold: 1000 })).backend).toBe("workers");
    expect((await monteCarloPi({ samples: 1000, pool, chunkSize: 100, inlineThreshold: 1001 })).backend).toBe("inline");
  });

  it("reports its plan: parts and chunk size from the sample count alone", async () => {
    const r = await monteCarloPi({ samples: 10_000_000, pool, inlineThreshold: 0 });
    // chunk: a power of two from 1024, doubled while 64 chunks do not cover the samples, at most 2^21
    expect(r.chunkSize).toBe(262_144);
    expect(r.parts).toBe(Math.ceil(10_000_000 / 262_144));
    const big = await monteCarloPi({ samples: 1e9, pool, chunkSize: 2 ** 21, workers: 1, signal: AbortSignal.timeout(1) }).catch((e) => e);
    expect(big).toBeInstanceOf(AbortError);
    const one = await monteCarloPi({ samples: 7, pool, chunkSize: 3 });
    expect([one.parts, one.chunkSize]).toEqual([3, 3]);
  });

  it("counts exactly the hits of the plain reference for 1e5 samples (default seed)", async () => {
    const r = await monteCarloPi({ samples: 1e5, pool });
    expect(r.seed).toBe(MONTE_CARLO_DEFAULT_SEED);
    expect(r.hits).toBe(referenceHits(0, 1e5, keyOf(MONTE_CARLO_DEFAULT_SEED)));
  });

  it("counts exactly the hits of the plain reference for a 64-bit seed, on workers", async () => {
    const seed = 0xfedcba9876543210n;
    const r = await monteCarloPi({ samples: 100_003, seed, pool, inlineThreshold: 0, chunkSize: 9_999 });
    expect(r.backend).toBe("workers");
    expect(r.hits).toBe(referenceHits(0, 100_003, keyOf(seed)));
  });

  it("decides every straddling sample of the first 2e6 as the reference does, in both kernels", async () => {
    const key = keyOf(12345);
    const samples = straddlingSamples(2e6, key);
    expect(samples.length).toBeGreaterThan(60); // ~6.1e-5 of the samples
    const expected = samples.map((i) => (referenceHit(i, key) ? 1 : 0));
    expect(new Set(expected).size).toBe(2); // both outcomes occur
    for (const kernel of ["monteCarloHits", "monteCarloHitsScalar"] as const) {
      const got = await Promise.all(samples.map((i) => kernelHits(kernel, i, i + 1, key)));
      expect(got).toEqual(expected);
    }
    // the SIMD path recounts a whole step around a straddling sample
    for (const i of samples.slice(0, 20)) {
      const start = Math.max(0, i - 45);
      expect(await kernelHits("monteCarloHits", start, i + 50, key)).toBe(referenceHits(start, i + 50, key));
    }
  });

  it("counts across a counter's 2^32 boundary as the reference does", async () => {
    const key = keyOf(7);
    const start = 4 * 2 ** 32 - 37; // counters 2^32 − 10 .. 2^32 + 9
    expect(await kernelHits("monteCarloHits", start, start + 77, key)).toBe(referenceHits(start, start + 77, key));
  });

  it("gives the same count from the SIMD and scalar kernels", async () => {
    const [simd, scalar] = await Promise.all([
      monteCarloPi({ samples: 1_000_001, seed: 99, pool }),
      monteCarloPi({ samples: 1_000_001, seed: 99, pool, kernel: "scalar" }),
    ]);
    expect(simd.hits).toBe(scalar.hits);
  });

  it("gives identical hits for 1, 2, 3 workers and different chunk sizes", async () => {
    const runs = [];
    for (const workers of [1, 2, 3]) {
      for (const chunkSize of [undefined, 100_001, 12_345, 1 << 20]) {
        runs.push(await monteCarloPi({ samples: 3_000_007, seed: 42, workers, chunkSize, pool, inlineThreshold: 0 }));
      }
    }
    expect(new Set(runs.map((r) => r.hits)).size).toBe(1);
    expect(new Set(runs.map((r) => r.workers))).toEqual(new Set([1, 2, 3]));
  });

  it("counts a single kernel call over more than 2^29 samples (a fold of its lane counters) like small calls", async () => {
    const samples = 2 ** 29 + 2 ** 20 + 13;
    const [whole, chunked] = await Promise.all([
      monteCarloPi({ samples, seed: 3, chunkSize: samples, pool }),
      monteCarloPi({ samples, seed: 3, pool }),
    ]);
    expect(whole.parts).toBe(1);
    expect(whole.hits).toBe(chunked.hits);
  });

  it("gives different counts for different seeds", async () => {
    const seeds = [0, 1, 2, 2 ** 32, 2n ** 64n - 1n];
    const hits = await Promise.all(seeds.map(async (seed) => (await monteCarloPi({ samples: 1e6, seed, pool })).hits));
    expect(new Set(hits).size).toBe(seeds.length);
  });

  it("gives the same count for a seed as a number and as a bigint", async () => {
    const [a, b] = await Promise.all([monteCarloPi({ samples: 1e5, seed: 2 ** 40 + 5, pool }), monteCarloPi({ samples: 1e5, seed: 2n ** 40n + 5n, pool })]);
    expect(a.hits).toBe(b.hits);
  });

  it("estimates π within 5 standard errors for several seeds", async () => {
    for (const seed of [1, 2, 3, 0xdeadbeefn]) {
      const r = await monteCarloPi({ samples: 2e7, seed, pool });
      expect(Math.abs(r.value - Math.PI)).toBeLessThan(5 * r.stdError);
      expect(r.stdError).toBeCloseTo(4 * Math.sqrt((Math.PI / 4) * (1 - Math.PI / 4) / 2e7), 6);
      expect(r.interval95[0]).toBeLessThan(r.value);
      expect(r.interval95[1]).toBeGreaterThan(r.value);
      expect(r.value).toBe((4 * r.hits) / r.samples);
    }
  });

  it("rejects bad input before any work, naming the parameter and the allowed range", async () => {
    const bad: Array<[object, RegExp]> = [
      [{ samples: 0 }, /^samples must be an integer from 1 to 1e12; got 0/],
      [{ samples: -5 }, /^samples must be an integer from 1 to 1e12/],
      [{ samples: 1.5 }, /^samples must be an integer/],
      [{ samples: NaN }, /^samples must be .*; got NaN/],
      [{ samples: 2e12 }, /^samples must be an integer from 1 to 1e12/],
      [{ samples: 10, seed: -1 }, /^seed must be a non-negative safe integer .* or a bigint from 0n to 2n\*\*64n − 1n/],
      [{ samples: 10, seed: 0.5 }, /^seed must be/],
      [{ samples: 10, seed: 2 ** 53 }, /^seed must be/],
      [{ samples: 10, seed: 2n ** 64n }, /^seed must be .*; got 18446744073709551616n/],
      [{ samples: 10, seed: -1n }, /^seed must be .*; got -1n$/],
      [{ samples: 10, seed: "7" }, /^seed must be/],
      [{ samples: 10, kernel: "avx" }, /^kernel must be one of "simd", "scalar"/],
      [{ samples: 10, chunkSize: 0 }, /^chunkSize must be an integer from 1/],
      [{ samples: 10, sample: 5 }, /^monteCarloPi option "sample" must be one of samples, seed/],
      [{ samples: 10, chunkSize: 2 ** 30 + 1 }, /^chunkSize must be an integer from 1 to 2\^30/],
      [{ samples: 10, workers: 0 }, /^workers must be an integer from 1 to 256/],
      [{ samples: 10, inlineThreshold: -1 }, /^inlineThreshold must be an integer from 0 to/],
      [{ samples: 10, inlineThreshold: 1e12 + 2 }, /^inlineThreshold must be an integer from 0 to 1000000000001/],
      [{ samples: 10, onProgress: 1 }, /^onProgress must be a function/],
      [{ samples: 10, signal: 1 }, /^signal must be an AbortSignal/],
    ];
    for (const [options, message] of bad) {
      const run = monteCarloPi({ pool, ...options } as never);
      await expect(run).rejects.toThrow(InvalidArgumentError);
      await expect(monteCarloPi({ pool, ...options } as never)).rejects.toThrow(message);
    }
  });

  it("accepts the bounds: seed 2^53 − 1 as a number and 2^64 − 1 as a bigint, inlineThreshold 1e12 + 1", async () => {
    const r = await monteCarloPi({ samples: 1000, seed: 2 ** 53 - 1, pool });
    expect(r.hits).toBe(referenceHits(0, 1000, keyOf(2 ** 53 - 1)));
    expect(r.seed).toBe(2 ** 53 - 1);
    const big = await monteCarloPi({ samples: 1000, seed: 2n ** 64n - 1n, pool });
    expect(big.hits).toBe(referenceHits(0, 1000, [0xffffffff, 0xffffffff]));
    expect(big.seed).toBe(2n ** 64n - 1n);
    expect((await monteCarloPi({ samples: 1000, seed: 0n, pool })).hits).toBe(referenceHits(0, 1000, [0, 0]));
    expect((await monteCarloPi({ samples: 1000, pool, chunkSize: 10, inlineThreshold: 1e12 + 1 })).backend).toBe("inline");
    await expect(monteCarloPi(null as never)).rejects.toThrow(/^monteCarloPi\(\) takes an options object/);
  });

  it("stops promptly on abort and leaves the pool usable", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = monteCarloPi({ samples: 1e12, pool, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toThrow(AbortError);
    expect(performance.now() - started).toBeLessThan(5_000);
    const after = await monteCarloPi({ samples: 1e5, pool, inlineThreshold: 0 });
    expect(after.hits).toBe(referenceHits(0, 1e5, keyOf(MONTE_CARLO_DEFAULT_SEED)));
  });

  it("reports progress up to the last part", async () => {
    const seen: number[] = [];
    await monteCarloPi({ samples: 4e6, chunkSize: 1e5, pool, onProgress: (p) => seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
  });
});
