import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, pi, InvalidArgumentError, type Pool } from "../../dist/index.js";

/** Plain midpoint rule, one term at a time with Kahan summation, written independently of the kernels. */
function referencePi(n: number): number {
  let s = 0;
  let c = 0;
  for (let i = 1; i <= n; i++) {
    const x = (i - 0.5) / n;
    const y = 4 / (1 + x * x) - c;
    const t = s + y;
    c = t - s - y;
    s = t;
  }
  return s / n;
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("pi", () => {
  it("matches a plain serial midpoint sum to 1e-13 for N = 1e6", async () => {
    const r = await pi({ n: 1e6, pool });
    expect(Math.abs(r.value - referencePi(1e6))).toBeLessThan(1e-13);
  });

  it("gives the same bits for 1, 2, 3 workers", async () => {
    const values = await Promise.all([1, 2, 3].map(async (workers) => (await pi({ n: 5e7, workers, pool })).value));
    expect(new Set(values).size).toBe(1);
  });

  it("rejects a fractional n, naming the parameter", async () => {
    await expect(pi({ n: 1.5, pool })).rejects.toThrow(InvalidArgumentError);
    await expect(pi({ n: 1.5, pool })).rejects.toThrow(/^n must be an integer from 1 to 1e12/);
  });
});
