/**
 * runBench: the suites on one pool, one after another, into a BenchReport. Platform-neutral; the
 * Node and browser entries (bench/node.ts, bench/browser.ts) supply the machine header and the
 * raw worker the dispatch suite compares against.
 */
import { AbortError, InvalidArgumentError } from "../errors.js";
import { MAX_WORKERS, createPool } from "../pool/pool.js";
import * as check from "../validate.js";
import { derive, expectedSeconds, timeCases, type CaseProgress } from "./runner.js";
import { BENCH_SCHEMA, SUITE_NAMES, type BenchReport, type MachineInfo, type SuiteName, type SuiteResult } from "./schema.js";
import type { CaseDef, RawWorker, SuiteContext } from "./suite-def.js";
import { suiteByName } from "./suites/index.js";

export interface RunBenchOptions {
  /** Suites to run, in any order (they run in the table's order). Default: all of SUITE_NAMES. */
  suites?: readonly SuiteName[];
  /** Small sizes and few samples: about 30 s on 2 cores. Default false. */
  quick?: boolean;
  /** P: pool cases run on 1..P workers. Default: the machine's cores. */
  workers?: number;
  /** Called as suites start and cases finish. */
  onProgress?: (event: BenchProgress) => void;
  /** Stops the run: the case being timed ends at once and runBench rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * Testing hook: each operation of a named suite does its work this many times (an integer ≥ 1),
   * i.e. the suite is made that many times slower on purpose. How the tests check that a
   * comparison catches a regression (docs/bench.md).
   */
  slowdown?: Partial<Record<SuiteName, number>>;
}

export type BenchProgress =
  | { type: "suite"; suite: SuiteName; index: number; suites: number; cases: number; expectedSeconds: number }
  | ({ type: "case" } & CaseProgress);

export interface BenchPlatform {
  machine(): MachineInfo;
  rawWorker(): Promise<RawWorker>;
  /** The package's version, where the platform can read it. */
  version: string | null;
}

export async function runBenchOn(platform: BenchPlatform, options: RunBenchOptions = {}): Promise<BenchReport> {
  if (typeof options !== "object" || options === null) throw new TypeError("runBench() takes an options object, e.g. runBench({ quick: true })");
  check.knownKeys("runBench", options, ["suites", "quick", "workers", "onProgress", "slowdown", "signal"]);
  const machine = platform.machine();
  const names = validSuites(options.suites);
  if (options.quick !== undefined && typeof options.quick !== "boolean") throw new InvalidArgumentError("quick", options.quick, "true or false");
  const quick = options.quick ?? false;
  const workers = check.optionalInteger("workers", options.workers, 1, MAX_WORKERS, Math.max(1, machine.cores));
  const onProgress = check.callback("onProgress", options.onProgress) as RunBenchOptions["onProgress"];
  const slowdown = validSlowdown(options.slowdown);
  const signal = check.signal(options.signal);
  const stopIfAborted = () => { if (signal?.aborted) throw new AbortError(signal.reason); };

  const started = performance.now();
  const date = new Date().toISOString();
  const pool = await createPool({ workers });
  const suites: SuiteResult[] = [];
  try {
    machine.sharedMemory = pool.workersShareMemory;
    for (const [index, name] of names.entries()) {
      stopIfAborted();
      const def = suiteByName(name);
      const suiteStarted = performance.now();
      const ctx: SuiteContext = { pool, workers, quick, repeat: slowdown[name] ?? 1, rawWorker: () => platform.rawWorker() };
      const prepared = await def.prepare(ctx);
      try {
        // one operation of each case before timing: compiles the code (V8 runs a first long
        // WASM call in its baseline compiler) and gives the suite's expected duration
        const asyncCases = new Set<CaseDef>();
        let expected = 0;
        for (const c of prepared.cases) {
          if (!c.run) continue;
          stopIfAborted();
          const t0 = performance.now();
          const r = c.run();
          if (r instanceof Promise) {
            asyncCases.add(c);
            await r;
          }
          expected += expectedSeconds((performance.now() - t0) / 1000, quick);
        }
        onProgress?.({ type: "suite", suite: name, index, suites: names.length, cases: prepared.cases.filter((c) => c.run).length, expectedSeconds: expected });
        const cases = await timeCases(name, prepared.cases, asyncCases, quick, (p) => onProgress?.({ type: "case", ...p }), signal);
        const baseline = cases.find((c) => c.kind === def.baseline && !c.skipped)?.id ?? null;
        derive(cases, baseline);
        suites.push({ name, description: def.description, baseline, checked: prepared.checked, cases, elapsedMs: performance.now() - suiteStarted });
      } finally {
        await prepared.teardown?.();
      }
    }
  } finally {
    await pool.close();
  }
  return { schema: BENCH_SCHEMA, version: platform.version, date, quick, workers, machine, suites, elapsedMs: performance.now() - started };
}

function validSuites(value: unknown): SuiteName[] {
  if (value === undefined) return [...SUITE_NAMES];
  const allowed = `an array of suite names from ${SUITE_NAMES.join(", ")}`;
  if (!Array.isArray(value) || value.length === 0) throw new InvalidArgumentError("suites", value, allowed);
  for (const s of value) if (!(SUITE_NAMES as readonly unknown[]).includes(s)) throw new InvalidArgumentError("suites", s, `one of ${SUITE_NAMES.join(", ")}`);
  return SUITE_NAMES.filter((s) => value.includes(s));
}

function validSlowdown(value: unknown): Partial<Record<SuiteName, number>> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) throw new InvalidArgumentError("slowdown", value, "an object of suite name → integer factor ≥ 1");
  const out: Partial<Record<SuiteName, number>> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!(SUITE_NAMES as readonly string[]).includes(k)) throw new InvalidArgumentError("slowdown", k, `keyed by suite names (${SUITE_NAMES.join(", ")})`);
    out[k as SuiteName] = check.integer(`slowdown.${k}`, v, 1, 1000);
  }
  return out;
}
