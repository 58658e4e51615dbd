import { describe, expect, it } from "vitest";
import { compensatedSum, createPool, pairwiseSum, partition, reduce } from "../../dist/index.js";

const BIG = 2 ** 53; // above it the f64 spacing is 2: BIG + 1 rounds back to BIG (ties to even)

/** Left to right, one addition at a time. */
function sequential(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/**
 * The documented grouping, written out here as the specification: up to 8 values are added left
 * to right; a longer run is split at ⌊n/2⌋ and the two halves' sums are added.
 */
function pairwiseSpec(values: readonly number[]): number {
  if (values.length <= 8) return sequential(values);
  const mid = Math.floor(values.length / 2);
  return pairwiseSpec(values.slice(0, mid)) + pairwiseSpec(values.slice(mid));
}

describe("pairwiseSum", () => {
  it("adds up to 8 values left to right (worked by hand: BIG + 1 + 1 = BIG, 1 + 1 + BIG = BIG + 2)", () => {
    expect(pairwiseSum([BIG, 1, 1])).toBe(BIG);
    expect(pairwiseSum([1, 1, BIG])).toBe(BIG + 2);
    expect(pairwiseSum([BIG, 1, 1, 1, 1, 1, 1, 1])).toBe(BIG); // 8 values: still one left-to-right run
  });

  it("splits 9 or more values at ⌊n/2⌋ and adds the halves (worked by hand)", () => {
    // [BIG,1,1,1] + [1,1,1,1,1] = BIG + 5, which rounds to BIG + 4; left to right loses every 1
    expect(pairwiseSum([BIG, 1, 1, 1, 1, 1, 1, 1, 1])).toBe(BIG + 4);
    expect(sequential([BIG, 1, 1, 1, 1, 1, 1, 1, 1])).toBe(BIG);
    // ⌊9/2⌋ = 4: [1,1,1,1] + [BIG,1,1,1,1] = 4 + BIG; a split at ⌈9/2⌉ = 5 would give
    // [1,1,1,1,BIG] + [1,1,1,1] = (BIG + 4) + 4 = BIG + 8
    expect(pairwiseSum([1, 1, 1, 1, BIG, 1, 1, 1, 1])).toBe(BIG + 4);
  });

  it("matches the documented grouping bit for bit where left-to-right and reversed sums differ", () => {
    // values of mixed magnitude and sign: a deterministic generator, not Math.random
    let x = 0x9e3779b9;
    const next = () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
    for (const n of [9, 10, 17, 64, 100, 1001, 4096]) {
      const values = Array.from({ length: n }, () => (next() - 0.5) * 10 ** Math.floor(next() * 12));
      const expected = pairwiseSpec(values);
      const reversed = sequential([...values].reverse());
      // the case is a real check only if the orders disagree; most of these do, all together must
      expect(Object.is(pairwiseSum(values), expected)).toBe(true);
      expect(Object.is(pairwiseSum(Float64Array.from(values)), expected)).toBe(true);
      if (n >= 64) expect(expected === sequential(values) && expected === reversed).toBe(false);
    }
  });

  it("sums a sub-range [from, to) when asked", () => {
    expect(pairwiseSum([100, 1, 2, 3, 100], 1, 4)).toBe(6);
    expect(pairwiseSum([BIG, 1, 1, 1, 1, 1, 1, 1, 1, 1, 7], 0, 9)).toBe(BIG + 4);
    expect(pairwiseSum([])).toBe(0);
  });

  it("is the reduction pi() applies to the parts' partials, in part order", async () => {
    const pool = await createPool({ workers: 2 });
    try {
      const n = 3_000_000;
      const chunkSize = 1 << 16; // 46 parts: three levels of splitting
      const spec = partition(1, n + 1, { chunkSize });
      const { partials } = await pool.runRange({ kernel: "piMidpointSimd", args: [n], spec, inlineBelow: 0 });
      const parts = [...partials];
      const { pi } = await import("../../dist/index.js");
      const r = await pi({ n, chunkSize, pool, inlineThreshold: 0 });
      expect(r.value).toBe((4 / n) * pairwiseSpec(parts));
      // the check can tell the orders apart only if they give other bits here
      expect((4 / n) * sequential(parts) === r.value && (4 / n) * sequential(parts.reverse()) === r.value).toBe(false);
    } finally {
      await pool.close();
    }
  });
});

describe("compensatedSum", () => {
  it("beats naive summation on ill-conditioned input", () => {
    const values = new Float64Array(100_001).fill(0.1);
    values[0] = 1e10;
    const exact = 1e10 + 100_000 * 0.1;
    expect(Math.abs(compensatedSum(values) - exact)).toBeLessThan(Math.abs(sequential(values) - exact));
    expect(compensatedSum([1, 1e100, 1, -1e100])).toBe(2);
    expect(compensatedSum([1e100, 1, -1e100, 1])).toBe(2);
  });

  it("is exact where left to right loses the ones (BIG + 1 + 1 = BIG + 2)", () => {
    expect(compensatedSum([BIG, 1, 1])).toBe(BIG + 2);
    expect(compensatedSum([1, BIG, 1])).toBe(BIG + 2);
    expect(compensatedSum([])).toBe(0);
  });
});

describe("reduce", () => {
  it("sums pairwise", () => {
    expect(reduce([BIG, 1, 1, 1, 1, 1, 1, 1, 1], "sum")).toBe(BIG + 4);
  });

  it("min, max and a custom reducer run in index order, starting from the first value", () => {
    expect(reduce([3, -1, 2], "min")).toBe(-1);
    expect(reduce([3, -1, 2], "max")).toBe(3);
    expect(reduce([-5], "max")).toBe(-5);
    expect(reduce([5], "min")).toBe(5);
    const order: number[] = [];
    expect(reduce([1, 2, 3], (acc, v, i) => (order.push(i), acc * 10 + v))).toBe(123);
    expect(order).toEqual([1, 2]);
  });

  it("reduces nothing to the identity of min and max, and to NaN for a custom reducer", () => {
    expect(reduce([], "min")).toBe(Infinity);
    expect(reduce([], "max")).toBe(-Infinity);
    expect(reduce([], () => 1)).toBeNaN();
    expect(reduce([], "sum")).toBe(0);
  });
});
