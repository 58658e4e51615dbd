/**
 * The benchmark suite in Node (`wasm-mp/bench`, and `wasm-mp bench`): runBench with this
 * machine's header (os.cpus()) and raw tinypool as the dispatch baseline.
 */
import "../platform/node.js";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import Tinypool from "tinypool";
import { hasWasmSimd } from "./machine.js";
import { runBenchOn, type BenchPlatform, type RunBenchOptions } from "./run-bench.js";
import type { BenchReport, MachineInfo } from "./schema.js";
import type { RawWorker } from "./suite-def.js";

export { SUITE_NAMES, BENCH_SCHEMA, type BenchReport, type SuiteResult, type CaseResult, type MachineInfo, type SuiteName, type CaseKind } from "./schema.js";
export type { RunBenchOptions, BenchProgress } from "./run-bench.js";
export { compareReports, type Comparison, type CaseComparison, type CompareOptions } from "./compare.js";
export { formatReport, formatComparison } from "./table.js";
export { benchChartSvg } from "./chart.js";

export function nodeMachine(): MachineInfo {
  return {
    runtime: "node",
    cpuModel: cpus()[0]?.model.trim() ?? null,
    cores: availableParallelism(),
    node: process.versions.node,
    v8: process.versions.v8,
    userAgent: null,
    platform: `${process.platform} ${process.arch}`,
    simd: hasWasmSimd(),
    sharedMemory: typeof SharedArrayBuffer === "function",
    crossOriginIsolated: null,
  };
}

async function tinypoolWorker(): Promise<RawWorker> {
  const pool = new Tinypool({ filename: new URL("./empty-worker.js", import.meta.url).href, minThreads: 1, maxThreads: 1, isolateWorkers: false });
  return { name: "raw tinypool", roundTrip: () => pool.run(null), close: () => pool.destroy() };
}

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const platform: BenchPlatform = { machine: nodeMachine, rawWorker: tinypoolWorker, version };

/** Runs the benchmark suites here (docs/bench.md); every sample is in the report. */
export function runBench(options: RunBenchOptions = {}): Promise<BenchReport> {
  return runBenchOn(platform, options);
}
