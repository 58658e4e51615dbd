/**
 * The benchmark suite in browsers (`wasm-mp/bench` under the "browser" condition): runBench on
 * Web Workers, with the page's header (browsers do not expose the CPU's model) and a bare Web
 * Worker as the dispatch baseline. Load it with a dynamic import() so that a page pays for
 * benny only when it benchmarks (examples/browser/bench.html does).
 */
import { installBrowserPlatform } from "../platform/browser.js";
import { hasWasmSimd } from "./machine.js";
import { runBenchOn, type BenchPlatform, type RunBenchOptions } from "./run-bench.js";
import type { BenchReport, MachineInfo } from "./schema.js";
import type { RawWorker } from "./suite-def.js";

// the browser platform, with the package's files (or their embedded copies), as the browser entry installs it
installBrowserPlatform(async () => (await import("../platform/browser-files.js")).loadBrowserFiles());

export { SUITE_NAMES, BENCH_SCHEMA, type BenchReport, type SuiteResult, type CaseResult, type MachineInfo, type SuiteName, type CaseKind } from "./schema.js";
export type { RunBenchOptions, BenchProgress } from "./run-bench.js";
export { compareReports, type Comparison, type CaseComparison, type CompareOptions } from "./compare.js";
export { formatReport, formatComparison } from "./table.js";
export { benchChartSvg } from "./chart.js";

export function browserMachine(): MachineInfo {
  const isolated = typeof crossOriginIsolated === "boolean" ? crossOriginIsolated : false;
  return {
    runtime: "browser",
    cpuModel: null,
    cores: navigator.hardwareConcurrency || 1,
    node: null,
    v8: null,
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    simd: hasWasmSimd(),
    sharedMemory: isolated && typeof SharedArrayBuffer === "function",
    crossOriginIsolated: isolated,
  };
}

/** A Web Worker that echoes: its source is inline (a blob: URL), so it needs no file of its own. */
async function echoWorker(): Promise<RawWorker> {
  const url = URL.createObjectURL(new Blob(["onmessage = (e) => postMessage(e.data);"], { type: "text/javascript" }));
  const worker = new Worker(url);
  let pending: ((v: unknown) => void) | undefined;
  worker.onmessage = (e) => { const p = pending; pending = undefined; p?.(e.data); };
  return {
    name: "raw Web Worker",
    roundTrip: () => new Promise((resolve) => { pending = resolve; worker.postMessage(null); }),
    async close() { worker.terminate(); URL.revokeObjectURL(url); },
  };
}

const platform: BenchPlatform = { machine: browserMachine, rawWorker: echoWorker, version: null };

/** Runs the benchmark suites in this page (docs/bench.md); the report has the schema `wasm-mp bench --json` prints. */
export function runBench(options: RunBenchOptions = {}): Promise<BenchReport> {
  return runBenchOn(platform, options);
}
