/**
 * Reductions over per-part partial results, always in part order, so the bits of a result do
 * not depend on which worker computed which part or when.
 */

/**
 * Pairwise (cascade) summation: error grows as O(log n · ε) instead of O(n · ε), and the
 * grouping depends only on n, which keeps the result deterministic.
 */
export function pairwiseSum(values: ArrayLike<number>, from = 0, to = values.length): number {
  const n = to - from;
  if (n <= 8) {
    let s = 0;
    for (let i = from; i < to; i++) s += values[i]!;
    return s;
  }
  const mid = from + Math.floor(n / 2);
  return pairwiseSum(values, from, mid) + pairwiseSum(values, mid, to);
}

/** Neumaier's compensated summation, in index order. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

export type Reducer = "sum" | "min" | "max" | ((acc: number, value: number, index: number) => number);

/** Reduces partials in part order with a named or custom reducer. */
export function reduce(values: ArrayLike<number>, reducer: Reducer): number {
  if (reducer === "sum") return pairwiseSum(values);
  if (values.length === 0) return reducer === "min" ? Infinity : reducer === "max" ? -Infinity : NaN;
  let acc = values[0]!;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    acc = reducer === "min" ? Math.min(acc, v) : reducer === "max" ? Math.max(acc, v) : reducer(acc, v, i);
  }
  return acc;
}
