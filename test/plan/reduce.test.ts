import { describe, expect, it } from "vitest";
import { compensatedSum, pairwiseSum, reduce } from "../../dist/index.js";

describe("reductions", () => {
  it("pairwise sum groups by index only: the same input gives the same bits", () => {
    const values = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 1e3);
    expect(Object.is(pairwiseSum(values), pairwiseSum(Float64Array.from(values)))).toBe(true);
  });

  it("pairwise and compensated sums beat naive summation on ill-conditioned input", () => {
    const values = new Float64Array(100_001).fill(0.1);
    values[0] = 1e10;
    let naive = 0;
    for (const v of values) naive += v;
    const exact = 1e10 + 100_000 * 0.1;
    expect(Math.abs(compensatedSum(values) - exact)).toBeLessThan(Math.abs(naive - exact));
    expect(Math.abs(pairwiseSum(values) - exact)).toBeLessThanOrEqual(Math.abs(naive - exact));
    expect(compensatedSum([1, 1e100, 1, -1e100])).toBe(2);
  });

  it("min, max and a custom reducer run in index order", () => {
    expect(reduce([3, -1, 2], "min")).toBe(-1);
    expect(reduce([3, -1, 2], "max")).toBe(3);
    const order: number[] = [];
    expect(reduce([1, 2, 3], (acc, v, i) => (order.push(i), acc * 10 + v))).toBe(123);
    expect(order).toEqual([1, 2]);
  });
});
