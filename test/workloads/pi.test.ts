import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, createPool, pi, type Pool } from "../../dist/index.js";

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
beforeAll(async () => { pool = await createPool({ workers: 7 }); });
afterAll(async () => { await pool.close(); });

describe("pi", () => {
  it("matches a plain serial midpoint sum for N = 1e6 (SIMD and scalar kernels)", async () => {
    const ref = referencePi(1e6);
    for (const kernel of ["simd", "scalar"] as const) {
      const r = await pi({ n: 1e6, pool, kernel, inlineThreshold: 0 });
      expect(Math.abs(r.value - ref)).toBeLessThan(1e-14);
      expect(r.kernel).toBe(kernel);
    }
  });

  it("matches the serial sum for small and odd N, where tails are not a multiple of 8", async () => {
    for (const n of [1, 2, 3, 7, 8, 9, 15, 17, 1001, 4099]) {
      const r = await pi({ n, pool });
      expect(Math.abs(r.value - referencePi(n))).toBeLessThan(1e-14);
    }
  });

  it("is within 1e-12 of π at N = 4e9", async () => {
    const r = await pi({ n: 4e9, pool, workers: 2 });
    expect(Math.abs(r.value - Math.PI)).toBeLessThanOrEqual(1e-12);
    expect(r.error).toBe(r.value - Math.PI);
  });

  it("gives the same bits for 1, 2, 3 and 7 workers", async () => {
    const values: number[] = [];
    for (const workers of [1, 2, 3, 7]) values.push((await pi({ n: 3e8 + 12345, workers, pool })).value);
    expect(new Set(values).size).toBe(1);
  });

  it("gives the same bits when the parts are scheduled concurrently with other jobs", async () => {
    const alone = (await pi({ n: 1e8, pool, chunkSize: 1 << 20 })).value;
    const together = await Promise.all([1, 2, 3].map((workers) => pi({ n: 1e8, workers, pool, chunkSize: 1 << 20 })));
    for (const r of together) expect(Object.is(r.value, alone)).toBe(true);
  });

  it("runs small N inline in the calling thread and large N on the workers", async () => {
    expect((await pi({ n: 1e4, pool })).backend).toBe("inline");
    expect((await pi({ n: 1e8, pool, workers: 2 })).backend).toBe("workers");
    expect((await pi({ n: 1e6, pool, inlineThreshold: 2e6 })).backend).toBe("inline");
  });

  it("inline and worker paths give the same bits", async () => {
    const a = await pi({ n: 200_000, pool, inlineThreshold: 1e6 });
    const b = await pi({ n: 200_000, pool, inlineThreshold: 0 });
    expect(a.backend).toBe("inline");
    expect(b.backend).toBe("workers");
    expect(Object.is(a.value, b.value)).toBe(true);
  });

  it("reports progress that rises to 1", async () => {
    const seen: number[] = [];
    await pi({ n: 2e9, pool, workers: 2, onProgress: (p) => seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
  });

  it("stops promptly on abort, rejects with AbortError, and leaves the pool usable", async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    await expect(pi({ n: 1e12, pool, signal: controller.signal })).rejects.toThrow(AbortError);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await pi({ n: 1e6, pool, inlineThreshold: 0 })).value).toBeCloseTo(Math.PI, 12);
  });

  it("rejects an already aborted signal before any work", async () => {
    await expect(pi({ n: 1e6, pool, signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
  });

  describe("bad input names the parameter and the allowed range", () => {
    const cases: Array<[string, object, RegExp]> = [
      ["n negative", { n: -1 }, /^n must be an integer from 1 to 1e12; got -1$/],
      ["n zero", { n: 0 }, /^n must be an integer from 1 to 1e12; got 0$/],
      ["n fractional", { n: 1.5 }, /^n must be an integer from 1 to 1e12; got 1.5$/],
      ["n NaN", { n: NaN }, /^n must be an integer from 1 to 1e12; got NaN$/],
      ["n too large", { n: 2e12 }, /^n must be an integer from 1 to 1e12; got 2000000000000$/],
      ["n a string", { n: "1000" }, /^n must be an integer from 1 to 1e12; got "1000"$/],
      ["n missing", {}, /^n must be an integer from 1 to 1e12; got undefined$/],
      ["workers zero", { n: 10, workers: 0 }, /^workers must be an integer from 1 to 256/],
      ["workers fractional", { n: 10, workers: 1.5 }, /^workers must be an integer from 1 to 256/],
      ["chunkSize zero", { n: 10, chunkSize: 0 }, /^chunkSize must be an integer from 1 to 2\^30/],
      ["unknown kernel", { n: 10, kernel: "avx" }, /^kernel must be one of "simd", "scalar"; got "avx"$/],
      ["unknown option", { n: 10, chunksize: 5 }, /pi option "chunksize" must be one of n, chunkSize/],
      ["onProgress not a function", { n: 10, onProgress: 5 }, /^onProgress must be a function/],
      ["signal not a signal", { n: 10, signal: {} }, /^signal must be an AbortSignal/],
    ];
    for (const [name, options, message] of cases) {
      it(name, async () => {
        const p = pi({ ...options, pool } as never);
        await expect(p).rejects.toThrow(InvalidArgumentError);
        await expect(pi({ ...options, pool } as never)).rejects.toThrow(message);
      });
    }
  });
});
