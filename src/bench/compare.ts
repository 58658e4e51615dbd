/**
 * Comparing two benchmark reports case by case: is a case slower or faster beyond the noise?
 * The test is Mann–Whitney U on the two runs' samples (per item, so a quick run compares with a
 * quick one and a full with a full): it assumes no distribution (benchmark times are skewed, with
 * a long tail from a loaded machine) and, for small samples, its p-value is exact. A change counts
 * when p < alpha AND the medians differ by more than `threshold`: the samples of one run are
 * taken within seconds, so the test sees every shift between two runs as significant, including
 * a machine's load drifting between them (by up to ~35% on the shared 2-core machine this was
 * built on), and that is not a regression of the code.
 */
import type { BenchReport, CaseResult } from "./schema.js";

export interface CompareOptions {
  /** Significance level of the two-sided test. Default 0.01. */
  alpha?: number;
  /** Smallest relative change of the median that counts (0.2 = 20%). Default 0.2. */
  threshold?: number;
}

export interface CaseComparison {
  id: string;
  name: string;
  /** Median ns per item before and now. */
  beforeNsPerItem: number;
  afterNsPerItem: number;
  /** after/before − 1: +0.25 is 25% slower. */
  change: number;
  /** Two-sided Mann–Whitney p-value. */
  p: number;
  verdict: "slower" | "faster" | "unchanged";
}

export interface Comparison {
  alpha: number;
  threshold: number;
  cases: CaseComparison[];
  /** Ids in only one of the reports (or skipped in one). */
  unmatched: string[];
  /** Cases slower beyond the noise. */
  regressions: CaseComparison[];
  /** Set when the runs are not alike (quick against full, another machine): their comparison means less. */
  warnings: string[];
}

export function compareReports(before: BenchReport, after: BenchReport, options: CompareOptions = {}): Comparison {
  const alpha = options.alpha ?? 0.01;
  const threshold = options.threshold ?? 0.2;
  const warnings: string[] = [];
  if (before.quick !== after.quick) warnings.push(`one run is --quick and the other is not: their sizes differ`);
  if (before.machine.cpuModel !== after.machine.cpuModel) warnings.push(`the runs were made on different CPUs (${before.machine.cpuModel} and ${after.machine.cpuModel})`);
  const old = new Map<string, CaseResult>();
  for (const s of before.suites) for (const c of s.cases) if (!c.skipped) old.set(c.id, c);
  const cases: CaseComparison[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const s of after.suites) {
    for (const c of s.cases) {
      if (c.skipped) continue;
      const b = old.get(c.id);
      if (!b) { unmatched.push(c.id); continue; }
      seen.add(c.id);
      const x = b.details.sampleResults.map((t) => (t * 1e9) / b.items);
      const y = c.details.sampleResults.map((t) => (t * 1e9) / c.items);
      const beforeNs = median(x), afterNs = median(y);
      const change = afterNs / beforeNs - 1;
      const { p } = mannWhitneyU(x, y);
      const beyond = p < alpha && Math.abs(change) > threshold;
      cases.push({ id: c.id, name: c.name, beforeNsPerItem: beforeNs, afterNsPerItem: afterNs, change, p, verdict: beyond ? (change > 0 ? "slower" : "faster") : "unchanged" });
    }
  }
  for (const id of old.keys()) if (!seen.has(id) && after.suites.some((s) => id.startsWith(`${s.name}/`))) unmatched.push(id);
  return { alpha, threshold, cases, unmatched, regressions: cases.filter((c) => c.verdict === "slower"), warnings };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * The Mann–Whitney U test, two-sided: U of `a` and its p-value. Exact (the distribution of U by
 * the Gaussian binomial coefficient's coefficients) without ties and for up to 60 samples in
 * all; otherwise the normal approximation with the tie correction and a continuity correction.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): { u: number; p: number } {
  const m = a.length, n = b.length;
  if (m === 0 || n === 0) return { u: NaN, p: 1 };
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  let ties = false;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const t = j - i + 1;
    if (t > 1) { ties = true; tieTerm += t ** 3 - t; }
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let rankSumA = 0;
  for (let k = 0; k < all.length; k++) if (all[k]!.g === 0) rankSumA += ranks[k]!;
  const u = rankSumA - (m * (m + 1)) / 2;
  if (!ties && m + n <= 60) {
    const counts = uDistribution(m, n);
    const total = counts.reduce((s, c) => s + c, 0);
    let below = 0, above = 0;
    for (let k = 0; k < counts.length; k++) {
      if (k <= u) below += counts[k]!;
      if (k >= u) above += counts[k]!;
    }
    return { u, p: Math.min(1, (2 * Math.min(below, above)) / total) };
  }
  const N = m + n;
  const mean = (m * n) / 2;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1 };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(z))) };
}

/**
 * How many of the C(m+n, m) orderings give U = 0, 1, …, m·n: the coefficients of the Gaussian
 * binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i), built one factor at a time
 * (each partial product is itself a Gaussian binomial, so every division is exact).
 */
function uDistribution(m: number, n: number): number[] {
  const c = new Array<number>(m * n + 1).fill(0);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const k = n + i;
    for (let u = c.length - 1; u >= k; u--) c[u]! -= c[u - k]!;
    for (let u = i; u < c.length; u++) c[u]! += c[u - i]!;
  }
  return c;
}

/** Φ(z) from erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
