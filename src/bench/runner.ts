/**
 * Times a prepared suite's cases with benny: each case is made by benny's add() (its options, its
 * sync/async detection) and run by benchmark.js, benny's engine; each result has benny's
 * CaseResult fields with every sample, plus the per-item figures the table prints.
 *
 * benny's suite() is not used: it gets benchmark.js through a plain require("benchmark"), and
 * benchmark.js finds lodash through an indirect require that bundlers (Vite, webpack) cannot
 * see, so in a browser bundle it comes without Suite. Here benchmark.js is given lodash and
 * platform explicitly (its runInContext, the documented way for bundlers), so the same runner
 * works in Node and in browsers; and benny's index (whose save() needs node:fs) is not imported.
 */
import benchmark from "benchmark";
import lodash from "lodash";
import platform from "platform";
import { add } from "benny/lib/add.js";
import { AbortError } from "../errors.js";
import type { CaseResult, SuiteName } from "./schema.js";
import { caseId, type CaseDef } from "./suite-def.js";

/**
 * benny's case options (seconds): a quick run takes small operations, but at least 8 samples
 * of each, so that --compare's rank test can see a change through a loaded machine's noise
 * (with 5 against 5 it needs a complete separation to reach p < 0.01).
 */
export function caseOptions(quick: boolean) {
  return quick
    ? { minSamples: 8, maxTime: 0.25, minTime: 0.02, delay: 0, initCount: 1 }
    : { minSamples: 8, maxTime: 2, minTime: 0.05, delay: 0.005, initCount: 1 };
}

export interface CaseProgress {
  suite: SuiteName;
  /** Cases of this suite finished, and in all. */
  done: number;
  total: number;
  name: string;
  /** Median ms of the case just finished. */
  medianMs: number;
}

/**
 * Expected seconds to time a case whose one operation took `opSeconds` (benchmark.js takes at
 * least minSamples samples, each at least minTime, and stops adding samples after maxTime).
 */
export function expectedSeconds(opSeconds: number, quick: boolean): number {
  const o = caseOptions(quick);
  const sample = Math.max(opSeconds, o.minTime);
  return Math.max(o.minSamples * sample, Math.min(o.maxTime, 50 * sample)) + 2 * opSeconds;
}

/**
 * A case's operation in the shape benny wants. benny calls a test once to learn whether it is
 * async, without awaiting it; that first call does no work here (it answers with the shape of
 * the warm-up's result), so it cannot overlap the first sample. The body refers to a closure, so
 * benchmark.js calls the function rather than inlining its source. A failure is caught and
 * handed to `failed`: benny's async wrapper resolves benchmark.js's deferred only on success, so
 * an operation that rejects would leave the suite waiting for ever.
 */
function bennyTest(run: () => unknown, isAsync: boolean, failed: (e: unknown) => void): () => unknown {
  const state = { probed: false, run, isAsync, failed };
  return function test() {
    if (!state.probed) {
      state.probed = true;
      return state.isAsync ? Promise.resolve() : undefined;
    }
    try {
      const r = state.run();
      return r instanceof Promise ? r.catch(state.failed) : r;
    } catch (e) {
      state.failed(e);
      return undefined;
    }
  };
}

/**
 * Runs the cases (skipped ones pass through) and returns their results in order. The caller has
 * warmed each case up; `asyncCases` holds those whose operation returned a promise.
 */
export async function timeCases(suiteName: SuiteName, cases: CaseDef[], asyncCases: ReadonlySet<CaseDef>, quick: boolean, onCase?: (p: CaseProgress) => void, signal?: AbortSignal): Promise<CaseResult[]> {
  const runnable = cases.filter((c) => c.run);
  const options = caseOptions(quick);
  let done = 0;
  const timed: BennyResult[] = [];
  if (runnable.length) {
    // the first failure of each case; the suite runs on (a failing operation returns at once,
    // so its case ends at maxTime) and the failure is thrown when it completes
    const failures = new Map<CaseDef, unknown>();
    const adders = await Promise.all(runnable.map((c) => {
      const failed = (e: unknown) => { if (!failures.has(c)) failures.set(c, e); };
      return add(c.name, bennyTest(c.run!, asyncCases.has(c), failed), options)({});
    }));
    const suiteObj = new (Benchmark().Suite)(suiteName);
    for (const addTo of adders) addTo(suiteObj);
    suiteObj.on("cycle", (event: any) => {
      const t = event.target;
      done++;
      const sorted = [...t.stats.sample].sort((a: number, b: number) => a - b);
      onCase?.({ suite: suiteName, done, total: runnable.length, name: t.name, medianMs: medianOf(sorted) * 1000 });
    });
    let onAbort = () => {};
    await new Promise<void>((resolve, reject) => {
      // benchmark.js's abort() stops the case being timed (after its operation in flight) and the suite
      onAbort = () => { suiteObj.abort(); reject(new AbortError(signal!.reason)); };
      signal?.addEventListener("abort", onAbort, { once: true });
      suiteObj.on("complete", () => resolve()).on("error", (e: any) => reject(e.target?.error ?? new Error(`benchmark case "${e.target?.name}" failed`))).run();
    }).finally(() => signal?.removeEventListener("abort", onAbort));
    for (const [c, e] of failures) throw new Error(`benchmark case "${c.name}" of suite ${suiteName} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    for (let i = 0; i < suiteObj.length; i++) timed.push(caseResult(suiteObj[i]));
  }
  const results: CaseResult[] = [];
  let k = 0;
  for (const c of cases) {
    const base = { id: caseId(suiteName, c), name: c.name, kind: c.kind, workers: c.workers, items: c.items, itemName: c.itemName };
    if (!c.run) {
      results.push({ ...base, skipped: c.skipped ?? "not run", ops: 0, margin: 0, samples: 0, options: {}, details: emptyDetails(), medianMs: NaN, nsPerItem: NaN, itemsPerSecond: NaN, speedup: null, efficiency: null });
      continue;
    }
    const r = timed[k++]!;
    if (r.name !== c.name || !r.completed) throw new Error(`benchmark case "${c.name}" did not complete`);
    const median = r.details.median;
    results.push({
      ...base,
      ops: 1 / r.details.mean,
      margin: r.margin,
      samples: r.samples,
      options: { ...(r.options as Record<string, number>) },
      details: { ...r.details, sampleResults: [...r.details.sampleResults] },
      medianMs: median * 1000,
      nsPerItem: (median * 1e9) / c.items,
      itemsPerSecond: c.items / median,
      speedup: null,
      efficiency: null,
    });
  }
  return results;
}

let benchmarkJs: any;
/** benchmark.js, with lodash and platform given explicitly (see the top of this file). */
function Benchmark(): any {
  if (!benchmarkJs) {
    const b = (benchmark as any).Suite ? benchmark : (benchmark as any).runInContext({ _: lodash, platform });
    // In a page, benchmark.js compiles each test's loop through an inline <script> that refers
    // to a global Benchmark (else it falls back to Function(), after a ReferenceError on the page)
    if (typeof document !== "undefined") (globalThis as any).Benchmark ??= b;
    benchmarkJs = b;
  }
  return benchmarkJs;
}

/** benny's CaseResult (lib/internal/getCaseResult.js) of a finished benchmark.js Benchmark; ops not rounded. */
interface BennyResult {
  name: string;
  ops: number;
  margin: number;
  options: Record<string, number>;
  samples: number;
  promise: boolean;
  details: CaseResult["details"];
  completed: boolean;
}

function caseResult(target: any): BennyResult {
  const sample: number[] = [...target.stats.sample];
  const sorted = [...sample].sort((a, b) => a - b);
  return {
    name: target.name,
    ops: target.hz,
    margin: Number(target.stats.rme.toFixed(2)),
    options: { delay: target.delay, initCount: target.initCount, minTime: target.minTime, maxTime: target.maxTime, minSamples: target.minSamples },
    samples: sample.length,
    promise: target.defer,
    details: {
      min: sorted[0]!, max: sorted[sorted.length - 1]!, mean: target.stats.mean, median: medianOf(sorted),
      standardDeviation: target.stats.deviation, marginOfError: target.stats.moe, relativeMarginOfError: target.stats.rme,
      standardErrorOfMean: target.stats.sem, sampleVariance: target.stats.variance, sampleResults: sample,
    },
    completed: sample.length > 0,
  };
}

function emptyDetails(): CaseResult["details"] {
  return { min: NaN, max: NaN, mean: NaN, median: NaN, standardDeviation: NaN, marginOfError: NaN, relativeMarginOfError: NaN, standardErrorOfMean: NaN, sampleVariance: NaN, sampleResults: [] };
}

export function medianOf(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** Fills speedup (against the suite's baseline case) and parallel efficiency (pool cases, against 1 worker). */
export function derive(cases: CaseResult[], baselineId: string | null): void {
  const base = baselineId ? cases.find((c) => c.id === baselineId && !c.skipped) : undefined;
  const pool1 = cases.find((c) => c.kind === "pool" && c.workers === 1 && !c.skipped);
  for (const c of cases) {
    if (c.skipped) continue;
    c.speedup = base ? base.nsPerItem / c.nsPerItem : null;
    c.efficiency = c.kind === "pool" && pool1 ? pool1.nsPerItem / (c.workers * c.nsPerItem) : null;
  }
}
