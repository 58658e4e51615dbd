/**
 * `wasm-mp bench`: the benchmark suites (src/bench/) on this machine: one table, the report as
 * JSON, a chart, and a comparison with a saved run that can fail a CI job.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { compareReports, formatComparison, formatReport, benchChartSvg, runBench, SUITE_NAMES, BENCH_SCHEMA, type BenchProgress, type BenchReport, type SuiteName } from "../../bench/node.js";
import { UsageError, type FlagSpec, type ParsedFlags } from "../args.js";
import { JSON_FLAG, WORKERS_FLAG, cliSignal, type Command } from "../command.js";

const FLAGS: FlagSpec[] = [
  { name: "suites", type: "string", metavar: "LIST", description: `comma-separated suites to run, from ${SUITE_NAMES.join(",")} (default: all)` },
  { name: "quick", type: "boolean", description: "small sizes and few samples: about 30 s on 2 cores" },
  { ...WORKERS_FLAG, description: "P: the pool rows run on 1..P workers (default: available cores)" },
  JSON_FLAG,
  { name: "out", type: "string", metavar: "FILE", description: "also save the report (every sample) as JSON to FILE" },
  { name: "svg", type: "string", metavar: "FILE", description: "write the chart (speedup against workers; JS, scalar, SIMD bars) to FILE" },
  { name: "compare", type: "string", metavar: "FILE", description: "compare with a saved report (--out or --json of an earlier run): same suites, sizes and workers unless given" },
  { name: "fail-on-regression", type: "boolean", description: "with --compare: exit 1 when a case got slower beyond the noise" },
  { name: "alpha", type: "number", min: 1e-6, max: 0.5, default: 0.01, description: "with --compare: significance level of the Mann–Whitney U test" },
  { name: "threshold", type: "number", min: 0, max: 1000, default: 20, metavar: "PERCENT", description: "with --compare: smallest change of a median that counts, in per cent (a loaded machine drifts between runs)" },
];

export const benchCommand: Command = {
  name: "bench",
  summary: "benchmark this machine: plain JS vs WASM scalar/SIMD vs the pool on 1..P workers",
  usage: "bench [--suites pi,montecarlo,...] [--quick] [--workers P] [--json] [--out FILE] [--svg FILE] [--compare FILE [--fail-on-regression]]",
  flags: FLAGS,
  details: [
    `Suites: ${SUITE_NAMES.join(", ")}. Each is timed with benny; the table gives the median time per`,
    "operation, per item and items/s, speedup over plain JS (dispatch: over a raw tinypool), and the",
    "parallel efficiency of the pool rows. The JSON report's schema is in docs/bench.md",
    "(node_modules/wasm-mp/docs/bench.md); in code: import { runBench } from \"wasm-mp/bench\".",
    "All suites: --quick about 30 s on 2 cores, the full run 2 to 4 minutes.",
    "",
    "Examples:",
    "  wasm-mp bench --quick --suites pi,dispatch",
    "  wasm-mp bench --quick --suites pi --out base.json --svg bench.svg",
    "  wasm-mp bench --compare base.json",
    "In CI, on the base commit with --out base.json, then on the change:",
    "  npx wasm-mp bench --compare base.json --fail-on-regression",
  ].join("\n"),
  async run(flags) {
    const compareTo = flags.compare === undefined ? undefined : readReport(flags.compare as string);
    const suites = flags.suites === undefined ? compareTo?.suites.map((s) => s.name) : parseSuites(flags.suites as string);
    const quick = (flags.quick as boolean | undefined) ?? compareTo?.quick ?? false;
    const workers = (flags.workers as number | undefined) ?? compareTo?.workers;
    const slowdown = slowdownFromEnv(process.env.WASM_MP_BENCH_SLOWDOWN);
    const progress = progressPrinter(flags);
    const report = await runBench({ suites, quick, workers, slowdown, onProgress: progress.update, signal: cliSignal() });
    progress.done();
    const comparison = compareTo ? compareReports(compareTo, report, { alpha: flags.alpha as number, threshold: (flags.threshold as number) / 100 }) : undefined;
    if (flags.out) writeFileSync(flags.out as string, JSON.stringify(report, null, 1) + "\n");
    if (flags.svg) writeFileSync(flags.svg as string, benchChartSvg(report));
    if (flags.json) {
      process.stdout.write(JSON.stringify(comparison ? { ...report, comparison } : report) + "\n");
    } else {
      const lines = [formatReport(report)];
      if (comparison) lines.push("", formatComparison(comparison));
      if (flags.out) lines.push(`report: ${flags.out}`);
      if (flags.svg) lines.push(`chart: ${flags.svg}`);
      process.stdout.write(lines.join("\n") + "\n");
    }
    return flags["fail-on-regression"] && comparison && comparison.regressions.length > 0 ? 1 : undefined;
  },
};

function parseSuites(text: string): SuiteName[] {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SUITE_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length) {
    throw new UsageError(`--suites ${JSON.stringify(text)} is not allowed: a comma-separated list from ${SUITE_NAMES.join(", ")}`, "bench");
  }
  return names as SuiteName[];
}

function readReport(path: string): BenchReport {
  let report: BenchReport;
  try {
    report = JSON.parse(readFileSync(path, "utf8")) as BenchReport;
  } catch (e) {
    throw new UsageError(`--compare ${JSON.stringify(path)}: cannot read a JSON report there (${e instanceof Error ? e.message : String(e)})`, "bench");
  }
  if (report?.schema !== BENCH_SCHEMA || !Array.isArray(report.suites)) {
    throw new UsageError(`--compare ${JSON.stringify(path)} is not a wasm-mp bench report (schema ${BENCH_SCHEMA}); make one with wasm-mp bench --out FILE`, "bench");
  }
  return report;
}

/**
 * WASM_MP_BENCH_SLOWDOWN="pi=3,sync=2": the named suites made that many times slower on purpose
 * (each operation done that many times): how the tests check --compare (docs/bench.md).
 */
function slowdownFromEnv(text: string | undefined): Partial<Record<SuiteName, number>> | undefined {
  if (!text) return undefined;
  const out: Partial<Record<SuiteName, number>> = {};
  for (const part of text.split(",")) {
    const [name, factor] = part.split("=");
    const n = Number(factor);
    if (!(SUITE_NAMES as readonly string[]).includes(name!.trim()) || !Number.isInteger(n) || n < 1) {
      throw new UsageError(`WASM_MP_BENCH_SLOWDOWN ${JSON.stringify(text)} is not allowed: suite=factor pairs, e.g. pi=3 (suites ${SUITE_NAMES.join(", ")}; integer factors ≥ 1)`, "bench");
    }
    out[name!.trim() as SuiteName] = n;
  }
  return out;
}

/** Progress on stderr (not with --json): each suite's expected time as it starts, each case as it ends. */
function progressPrinter(flags: ParsedFlags) {
  const enabled = !flags.json;
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  let announced = false;
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  return {
    update(e: BenchProgress) {
      if (!enabled) return;
      if (!announced) {
        announced = true;
        process.stderr.write(flags.quick ? "wasm-mp bench --quick: about 30 s on 2 cores\n"
          : "wasm-mp bench: the full run takes 2 to 4 minutes on 2 cores (--quick: about 30 s)\n");
      }
      if (e.type === "suite") {
        if (tty) process.stderr.write("\r\x1b[K");
        process.stderr.write(`[${e.index + 1}/${e.suites}] ${e.suite}: ${e.cases} cases, about ${Math.ceil(e.expectedSeconds)} s (elapsed ${elapsed()})\n`);
      } else if (tty) {
        process.stderr.write(`\r  ${e.suite} ${e.done}/${e.total}: ${e.name} (elapsed ${elapsed()})\x1b[K`);
      }
    },
    done() {
      if (enabled && tty) process.stderr.write("\r\x1b[K");
    },
  };
}
