/**
 * The benchmark report: what `wasm-mp bench --json` prints, `--out` saves, `--compare` reads and
 * `runBench` returns in Node and in browsers. docs/bench.md documents every field; bump
 * BENCH_SCHEMA when a field changes meaning.
 */

export const BENCH_SCHEMA = "wasm-mp-bench/1";

export const SUITE_NAMES = ["pi", "montecarlo", "primes", "leibniz", "heat", "map", "dispatch", "sync"] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

/** The machine (and browser) the run was made on. */
export interface MachineInfo {
  /** "node" or "browser". */
  runtime: "node" | "browser";
  /** The CPU's model name (Node: os.cpus()); null in browsers, which do not expose it. */
  cpuModel: string | null;
  /** Logical cores: availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
  cores: number;
  /** Node's version (process.versions.node); null in browsers. */
  node: string | null;
  /** V8's version in Node; null in browsers. */
  v8: string | null;
  /** The browser's user agent; null in Node. */
  userAgent: string | null;
  /** OS and architecture, e.g. "linux x64" (Node); navigator.platform in browsers. */
  platform: string;
  /** WebAssembly SIMD (fixed-width 128-bit) validates here. */
  simd: boolean;
  /** SharedArrayBuffer exists and workers can share one memory (in browsers: the page is cross-origin isolated). */
  sharedMemory: boolean;
  /** Browsers only: the page's crossOriginIsolated; null in Node. */
  crossOriginIsolated: boolean | null;
}

/** What a case measures, for the table's columns and the chart. */
export type CaseKind = "js" | "wasm-scalar" | "wasm-simd" | "pool" | "raw" | "latency";

/** One benchmark case, with benny's result fields and every sample. */
export interface CaseResult {
  /** Stable across runs: `<suite>/<kind>[-<workers>]`, e.g. "pi/pool-2"; --compare matches on it. */
  id: string;
  /** Human name, as in the table. */
  name: string;
  kind: CaseKind;
  /** Workers the case ran on; 0 for the calling thread. */
  workers: number;
  /** Items one operation processes (terms, samples, numbers, cell updates, tasks, lock pairs). */
  items: number;
  /** What an item is, e.g. "terms", "cell updates". */
  itemName: string;
  /** Set when the case could not run here (then the fields below are absent or empty). */
  skipped?: string;
  // --- benny's fields (benny's CaseResult; times in seconds per operation) ---------------
  /** Operations per second (benny's `ops`, not rounded). */
  ops: number;
  /** Relative margin of error, percent (benny's `margin`). */
  margin: number;
  /** Number of samples. */
  samples: number;
  /** benny's options of the case: delay, initCount, minTime, maxTime, minSamples. */
  options: Record<string, number>;
  details: {
    min: number;
    max: number;
    mean: number;
    median: number;
    standardDeviation: number;
    marginOfError: number;
    relativeMarginOfError: number;
    standardErrorOfMean: number;
    sampleVariance: number;
    /** Every sample: seconds per operation. */
    sampleResults: number[];
  };
  // --- derived, from the median -----------------------------------------------------------
  /** Median seconds per operation × 1000. */
  medianMs: number;
  /** Median nanoseconds per item. */
  nsPerItem: number;
  itemsPerSecond: number;
  /** Baseline's ns/item ÷ this case's (the baseline: plain JS, or raw tinypool for dispatch); null without one. */
  speedup: number | null;
  /** Pool cases: T(1 worker)/(P·T(P workers)); null otherwise. */
  efficiency: number | null;
}

export interface SuiteResult {
  name: SuiteName;
  /** One sentence: what the suite measures. */
  description: string;
  /** The id of the case speedups are relative to; null when the suite has none. */
  baseline: string | null;
  /** Whether the plain-JS and WASM answers were checked equal before timing (and what was checked). */
  checked: string | null;
  cases: CaseResult[];
  elapsedMs: number;
}

export interface BenchReport {
  schema: typeof BENCH_SCHEMA;
  /** wasm-mp's version (null in browsers, where the package's metadata is not at hand). */
  version: string | null;
  /** ISO 8601 time the run started. */
  date: string;
  quick: boolean;
  /** The largest pool size measured (P). */
  workers: number;
  machine: MachineInfo;
  suites: SuiteResult[];
  elapsedMs: number;
}
