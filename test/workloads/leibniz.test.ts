import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, MemoryLimitError, createPool, leibniz, type Pool } from "../../dist/index.js";

/** Expected values printed by bc (test/fixtures/make-leibniz-fixtures.sh runs test/fixtures/leibniz.bc). */
const BC: Array<{ from: number; to: number; digits: number; bc: string }> =
  JSON.parse(readFileSync(new URL("../fixtures/leibniz-bc.json", import.meta.url), "utf8"));

/** Σ (−1)^i ⌊4·10^d / (2i+1)⌋ term by term in BigInt, printed the way bc prints a number. */
function reference(from: number, to: number, digits: number): string {
  const numerator = 4n * 10n ** BigInt(digits);
  let sum = 0n;
  for (let i = from; i < to; i++) {
    const term = numerator / BigInt(2 * i + 1);
    sum += i % 2 === 0 ? term : -term;
  }
  if (sum === 0n) return "0";
  const text = (sum < 0n ? -sum : sum).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, -digits).replace(/^0+/, "");
  return `${sum < 0n ? "-" : ""}${whole}.${text.slice(-digits)}`;
}

/** A small deterministic generator for the random cases. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("leibniz", () => {
  it("has bc fixtures for a dozen ranges and scales", () => {
    expect(BC.length).toBeGreaterThanOrEqual(12);
    expect(BC.some((c) => c.bc.startsWith("-."))).toBe(true);
    expect(BC.some((c) => c.digits === 1000)).toBe(true);
  });

  it.each(BC)("equals bc digit for digit on [$from, $to) at $digits digits", async ({ from, to, digits, bc }) => {
    const r = await leibniz({ from, to, digits, pool });
    expect(r.value).toBe(bc);
  });

  it("equals the plain BigInt sum for random ranges, chunk sizes and scales", async () => {
    const random = lcg(2024);
    for (let n = 0; n < 25; n++) {
      const from = Math.floor(random() * (n % 3 === 0 ? 1e9 : 5000));
      const to = from + Math.floor(random() * 3000);
      const digits = 1 + Math.floor(random() * (n % 5 === 0 ? 400 : 80));
      const chunkSize = 1 + Math.floor(random() * 700);
      const r = await leibniz({ from, to, digits, chunkSize, pool });
      expect(r.value, `[${from}, ${to}) at ${digits} digits, chunk ${chunkSize}`).toBe(reference(from, to, digits));
    }
  });

  it("gives the same digits for 1, 2, 3 workers and different chunk sizes", async () => {
    const expected = reference(1, 30_001, 50);
    for (const workers of [1, 2, 3]) {
      for (const chunkSize of [undefined, 1_000, 333, 4_096]) {
        const r = await leibniz({ from: 1, to: 30_001, digits: 50, workers, chunkSize, pool });
        expect(r.value).toBe(expected);
      }
    }
  });

  it("prints a negative sum like bc, with no 0 before the point", async () => {
    expect((await leibniz({ from: 3, to: 4, digits: 4, pool })).value).toBe("-.5714");
    expect((await leibniz({ from: 1, to: 4, digits: 10, pool })).value).toBe("-1.1047619047");
  });

  it("sums a range of one term", async () => {
    const r = await leibniz({ from: 10, to: 11, digits: 7, pool });
    expect(r.value).toBe(".1904761"); // 4/21 = 0.19047619…
    expect(r.terms).toBe(1);
  });

  it("gives 0 when from = to", async () => {
    const r = await leibniz({ from: 5, to: 5, digits: 10, pool });
    expect(r.value).toBe("0");
    expect(r.parts).toBe(0);
  });

  it("runs jobs of more parts than one wave of slots holds", async () => {
    const r = await leibniz({ from: 0, to: 9_001, digits: 30, chunkSize: 2, pool });
    expect(r.parts).toBe(4_501);
    expect(r.value).toBe(reference(0, 9_001, 30));
  });

  it("uses divisors above 2^34 exactly", async () => {
    const from = 2 ** 35 + 3;
    const r = await leibniz({ from, to: from + 2_001, digits: 80, chunkSize: 500, pool });
    expect(r.value).toBe(reference(from, from + 2_001, 80));
  });

  it("rejects bad input before any work, naming the parameter and the allowed range", async () => {
    const bad: Array<[object, RegExp]> = [
      [{ from: -1, to: 10, digits: 5 }, /^from must be an integer from 0 to 1e12; got -1/],
      [{ from: 0.5, to: 10, digits: 5 }, /^from must be an integer/],
      [{ from: NaN, to: 10, digits: 5 }, /^from must be .*; got NaN/],
      [{ from: 10, to: 9, digits: 5 }, /^to must be an integer from 10 \(from\) to 10000000010 .*; got 9/],
      [{ from: 0, to: 2e10, digits: 5 }, /^to must be an integer from 0 \(from\) to 10000000000 \(at most 1e10 terms past from/],
      [{ from: 0, to: 10.5, digits: 5 }, /^to must be an integer/],
      [{ from: 0, to: 10, digits: 0 }, /^digits must be an integer from 1 to 10000; got 0/],
      [{ from: 0, to: 10, digits: 10_001 }, /^digits must be an integer from 1 to 10000/],
      [{ from: 0, to: 10, digits: NaN }, /^digits must be .*; got NaN/],
      [{ from: 0, to: 1e6, digits: 5, chunkSize: 2 ** 40 }, /^chunkSize must be an integer from 1 to/],
      [{ from: 0, to: 10, digits: 5, scale: 5 }, /^leibniz option "scale" must be one of from, to, digits/],
    ];
    for (const [options, message] of bad) {
      await expect(leibniz({ pool, ...options } as never)).rejects.toThrow(InvalidArgumentError);
      await expect(leibniz({ pool, ...options } as never)).rejects.toThrow(message);
    }
  });

  it("stops promptly on abort and leaves the pool usable", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = leibniz({ from: 0, to: 1e10, digits: 1000, pool, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toThrow(AbortError);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await leibniz({ from: 0, to: 1_000, digits: 60, pool })).value).toBe(BC.find((c) => c.to === 1_000)!.bc);
  });

  it("reports where it ran: on the pool's workers for a long range, in the calling thread for a few terms", async () => {
    const long = await leibniz({ from: 0, to: 100_000, digits: 60, pool });
    expect([long.backend, long.workers]).toEqual(["workers", 3]);
    expect(long.value).toBe(reference(0, 100_000, 60));
    const short = await leibniz({ from: 0, to: 100, digits: 60, pool });
    expect([short.backend, short.workers]).toEqual(["inline", 1]);
    expect(short.value).toBe(reference(0, 100, 60));
    // a wave of parts after one that ran on the workers still reports "workers"
    const waves = await leibniz({ from: 0, to: 200_001, digits: 30, chunkSize: 16, pool });
    expect(waves.parts).toBe(12_501); // more than one wave of parts
    expect([waves.backend, waves.workers]).toEqual(["workers", 3]);
    expect(waves.value).toBe(reference(0, 200_001, 30));
  });

  it("plans parts from the range and digits: an automatic chunk of many terms, within the exact limit", async () => {
    const r = await leibniz({ from: 0, to: 1_000_000, digits: 60, pool });
    expect(r.chunkSize).toBeGreaterThanOrEqual(1024);
    expect(r.parts).toBe(Math.ceil(1_000_000 / r.chunkSize));
    expect(r.terms).toBe(1_000_000);
    // divisors up to 2·10⁶ − 1 (21 bits) leave 31-bit limbs, whose sums stay exact for 2^20 terms a call
    expect((await leibniz({ from: 0, to: 1_000_000, digits: 60, chunkSize: 2 ** 20, pool })).value).toBe(r.value);
    await expect(leibniz({ from: 0, to: 1_000_000, digits: 60, chunkSize: 2 ** 20 + 1, pool }))
      .rejects.toThrow(/^chunkSize must be an integer from 1 to 2\^20; got 1048577$/);
  });

  it("gives each part scratch of whole 128-byte blocks, so parts on two workers share no cache line", async () => {
    for (const limbs of [1, 2, 3, 7, 8, 13, 100, 1000]) {
      const bytes = await pool.apply("leibnizScratchBytes", [limbs]);
      expect(bytes % 128, `${limbs} limbs: ${bytes} bytes`).toBe(0);
      // per-limb sums (16 bytes each) and the sub-block's remainders, divisors and reciprocals fit
      expect(bytes).toBeGreaterThanOrEqual(16 * limbs + 3 * 256);
      expect(bytes).toBeLessThan(16 * limbs + 3 * 256 + 128);
    }
  });

  it("frees everything it allocated in the pool's memory", async () => {
    const before = pool.arena.allocatedBytes;
    await leibniz({ from: 0, to: 50_000, digits: 200, pool });
    await leibniz({ from: 0, to: 20_001, digits: 30, chunkSize: 2, pool });
    await expect(leibniz({ from: 0, to: 1e10, digits: 100, pool, signal: AbortSignal.timeout(20) })).rejects.toThrow();
    expect(pool.arena.allocatedBytes).toBe(before);
  });

  it("says before any work when its limb sums cannot fit, naming them", async () => {
    const small = await createPool({ workers: 1, maxMemory: 1 << 20 });
    try {
      const e = await leibniz({ from: 0, to: 1e6, digits: 10_000, pool: small }).catch((x) => x);
      expect(e).toBeInstanceOf(MemoryLimitError);
      expect(e.message).toMatch(/^leibniz's limb sums and scratch for \d+ parts of \d+ limbs needs /);
      expect(small.stats().tasksRun).toBeLessThanOrEqual(1); // at most the kernel's scratch-size query
    } finally {
      await small.close();
    }
  });

  it("reports progress up to the last part", async () => {
    const seen: number[] = [];
    await leibniz({ from: 0, to: 100_000, digits: 60, chunkSize: 1_000, pool, onProgress: (p) => seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
  });
});
