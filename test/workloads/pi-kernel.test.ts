// The SIMD π kernel (assembly/pi.ts) sums groups of four terms pairwise about their centre, 32
// terms an iteration, and the terms left over one at a time. Parts that start at every offset
// modulo 32, tails of every length and N up to 1e12 are checked against a plain sum written here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, pi, type Pool } from "../../dist/index.js";

/** Σ_{i=from}^{to−1} 1/(1 + ((i − 0.5)/n)²), one term at a time, Kahan-compensated. */
function plainPart(from: number, to: number, n: number): number {
  let s = 0, c = 0;
  for (let i = from; i < to; i++) {
    const x = (i - 0.5) / n;
    const y = 1 / (1 + x * x) - c;
    const t = s + y;
    c = t - s - y;
    s = t;
  }
  return s;
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 2 }); });
afterAll(async () => { await pool.close(); });

describe("π SIMD kernel", () => {
  it("matches the plain sum for parts starting at every offset modulo 32", async () => {
    const n = 100_003;
    const reference = (4 / n) * plainPart(1, n + 1, n);
    for (let chunkSize = 33; chunkSize < 33 + 64; chunkSize += 5) {
      const r = await pi({ n, pool, chunkSize: chunkSize * 31, inlineThreshold: 0 });
      expect(Math.abs(r.value - reference)).toBeLessThan(1e-14);
    }
  });

  it("matches the plain sum of a slice far out, for N up to 1e12 (no overflow in the products)", async () => {
    const instance = new WebAssembly.Instance(pool.module, { env: { memory: pool.memory } });
    const kernel = instance.exports.piMidpointSimd as (start: number, end: number, n: number) => number;
    for (const n of [1e6, 4e9, 1e12]) {
      for (const from of [1, 12_345, Math.floor(n / 2) + 7, n - 999]) {
        const to = Math.min(n + 1, from + 1000 + (from % 31));
        const ours = kernel(from, to, n);
        const plain = plainPart(from, to, n);
        expect(Math.abs(ours - plain) / plain).toBeLessThan(1e-14);
      }
    }
  });
});
