import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, AbortError, type Pool } from "../../dist/index.js";
import { compileExample } from "../helpers/asc.js";

const pools = new Map<number, Pool>();
beforeAll(async () => {
  const wasm = compileExample();
  for (const workers of [1, 2, 3]) pools.set(workers, await createPool({ workers, module: wasm }));
});
afterAll(async () => { for (const p of pools.values()) await p.close(); });
const pool = (workers = 2): Pool => pools.get(workers)!;

describe("mapReduce", () => {
  it("sums a range kernel exactly where the sum is an exact integer", async () => {
    // Σ i² for i < n is (n−1)n(2n−1)/6 = 2 666 646 666 700 000 for n = 2·10^5, below 2^53
    const n = 200_000;
    const expected = ((n - 1) * n * (2 * n - 1)) / 6;
    expect(await pool().mapReduce("sumSquares", [0, n], { chunkSize: 1000 })).toBe(expected);
    expect(await pool().mapReduce("sumSquares", { start: 0, end: n })).toBe(expected);
  });

  it("gives the same bits for 1, 2, 3 workers with every partition scheme", async () => {
    for (const partition of ["block", "cyclic", "block-cyclic"] as const) {
      const options = { partition, chunkSize: partition === "cyclic" ? undefined : 3001, parts: partition === "block" ? undefined : 16 };
      const range: [number, number] = partition === "cyclic" ? [0, 50_000] : [0, 3_000_000];
      const values = await Promise.all([1, 2, 3].map((w) => pool(w).mapReduce("sumSquares", range, options)));
      expect(new Set(values).size).toBe(1);
      const n = range[1];
      expect(Math.abs(values[0]! / (((n - 1) * n * (2 * n - 1)) / 6) - 1)).toBeLessThan(1e-12);
    }
  });

  it("reduces with min and max over a kernel of a shared array", async () => {
    const x = pool().alloc(Float64Array, 10_000);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i) * (i % 97);
    let max = 0;
    for (const v of x) max = Math.max(max, Math.abs(v));
    expect(await pool().mapReduce("maxAbs", [0, x.length], { reduce: "max", args: [x], chunkSize: 512 })).toBe(max);
    expect(await pool().mapReduce("maxAbs", [0, x.length], { reduce: "min", args: [x], chunkSize: 1 })).toBe(0);
    pool().free(x);
  });

  it("applies a function reducer to the parts in part order", async () => {
    const order: number[] = [];
    const value = await pool(3).mapReduce("sumSquares", [0, 10], {
      chunkSize: 3,
      reduce: (acc, v, i) => { order.push(i); return acc * 1000 + v; },
    });
    // parts [0,3) [3,6) [6,9) [9,10): 5, 50, 149, 81
    expect(value).toBe(((5 * 1000 + 50) * 1000 + 149) * 1000 + 81);
    expect(order).toEqual([1, 2, 3]);
  });

  it("gives the neutral element of an empty range", async () => {
    expect(await pool().mapReduce("sumSquares", [5, 5])).toBe(0);
    expect(await pool().mapReduce("sumSquares", [5, 5], { reduce: "min" })).toBe(Infinity);
  });

  it("rejects with an AbortError when aborted", async () => {
    const c = new AbortController();
    const call = pool().mapReduce("sumSquares", [0, 4e8], { chunkSize: 1e6, signal: c.signal, progressIntervalMs: 0, onProgress: () => c.abort() });
    await expect(call).rejects.toThrow(AbortError);
  });

  it("rejects bad input, naming the parameter", async () => {
    await expect(pool().mapReduce("sumSquares", [10, 0])).rejects.toThrow(/^range must be \[start, end\]/);
    await expect(pool().mapReduce("sumSquares", [0, 1.5])).rejects.toThrow(/^range must be/);
    await expect(pool().mapReduce("sumSquares", [0, 10], { reduce: "avg" as never })).rejects.toThrow(/^reduce must be one of "sum", "min", "max"/);
    await expect(pool().mapReduce("sumSquares", [0, 10], { reduce: (a, b) => a + b, partition: "cyclic" })).rejects.toThrow(/a function reducer needs partition "block"/);
    await expect(pool().mapReduce("sumSquares", [0, 10], { partition: "diagonal" as never })).rejects.toThrow(/^partition must be one of/);
    await expect(pool().mapReduce("sumSquares", [0, 10], { args: ["x"] as never })).rejects.toThrow(/^args\[0\] must be a number/);
  });
});
