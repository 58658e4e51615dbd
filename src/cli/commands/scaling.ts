/**
 * `wasm-mp scaling <workload>`: runs the workload with 1..P workers on one pool and prints the
 * table from the multiprocessing notes (workers, time, speedup, efficiency), plus an SVG chart.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createPool } from "../../pool/pool.js";
import { UsageError, parseFlags, type FlagSpec, type ParsedFlags } from "../args.js";
import { JSON_FLAG, formatMs, type Command } from "../command.js";
import { unwritable } from "../output-file.js";
import { scalingChartSvg, type ScalingPoint } from "../svg-chart.js";

const SCALING_FLAGS: FlagSpec[] = [
  { name: "max-workers", type: "integer", min: 1, max: 256, metavar: "P", description: "largest worker count (default: available cores)" },
  { name: "repeat", type: "integer", min: 1, max: 100, default: 3, description: "runs per worker count; the fastest is kept" },
  { name: "svg", type: "string", metavar: "FILE", output: true, description: "chart file (default: scaling-<workload>.svg)" },
  JSON_FLAG,
];

/** `wasm-mp scaling`, over the commands that declare a ScalingSpec. */
export function scalingCommand(commands: readonly Command[]): Command {
  const scalable = commands.filter((c) => c.scaling);
  return {
    name: "scaling",
    summary: "time a workload with 1..P workers: speedup, efficiency, chart",
    usage: `scaling <${scalable.map((c) => c.name).join("|")}> [workload options] [--max-workers P] [--repeat R] [--svg FILE] [--json]`,
    flags: SCALING_FLAGS,
    details: `Workload options are those of the workload's own command (see wasm-mp <workload> --help).\nExample: wasm-mp scaling pi --n 1e9`,
    async run(_flags, positional) {
      const name = positional[0];
      const target = scalable.find((c) => c.name === name);
      if (!target) {
        throw new UsageError(`scaling needs a workload: one of ${scalable.map((c) => c.name).join(", ")}${name ? `; got ${JSON.stringify(name)}` : ""}`, "scaling");
      }
      const { flags, positional: stray } = parseFlags(positional.slice(1), [...target.scaling!.flags, ...SCALING_FLAGS], `scaling ${name}`);
      if (stray.length) throw new UsageError(`"scaling ${name}" takes no further positional arguments; got ${stray.join(" ")}`, "scaling");
      const svg = flags.svg === undefined ? unwritable(defaultSvg(name!)) : undefined;
      if (svg) throw new UsageError(`the chart file ${JSON.stringify(defaultSvg(name!))} cannot be written: ${svg}; choose one with --svg`, "scaling");
      await runScaling(target, flags);
    },
  };
}

function defaultSvg(workload: string): string {
  return `scaling-${workload}.svg`;
}

async function runScaling(target: Command, flags: ParsedFlags): Promise<void> {
  const maxWorkers = (flags["max-workers"] as number | undefined) ?? availableParallelism();
  const repeat = flags.repeat as number;
  const pool = await createPool({ workers: maxWorkers });
  const points: Array<ScalingPoint & { result: string }> = [];
  try {
    for (let w = 1; w <= maxWorkers; w++) {
      let best = Infinity;
      let result = "";
      for (let r = 0; r < repeat; r++) {
        const run = await target.scaling!.run(flags, w, pool); // each run takes cliSignal(): Ctrl-C stops it
        best = Math.min(best, run.elapsedMs);
        result = run.result;
      }
      points.push({ workers: w, elapsedMs: best, result });
      if (!flags.json && process.stderr.isTTY) process.stderr.write(`\r${target.name}: ${w}/${maxWorkers} workers done\x1b[K`);
    }
  } finally {
    await pool.close();
    if (!flags.json && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  }
  const t1 = points[0]!.elapsedMs;
  const rows = points.map((p) => ({
    workers: p.workers,
    elapsedMs: p.elapsedMs,
    speedup: t1 / p.elapsedMs,
    efficiency: t1 / p.elapsedMs / p.workers,
    result: p.result,
  }));
  const svgPath = (flags.svg as string | undefined) ?? defaultSvg(target.name);
  writeFileSync(svgPath, scalingChartSvg(`wasm-mp scaling: ${target.name}`, points));
  if (flags.json) {
    process.stdout.write(JSON.stringify({ workload: target.name, rows, svg: svgPath }) + "\n");
    return;
  }
  const lines = [
    `${"workers".padStart(7)}  ${"time".padStart(10)}  ${"speedup".padStart(7)}  ${"efficiency".padStart(10)}  result`,
    ...rows.map((r) => `${String(r.workers).padStart(7)}  ${formatMs(r.elapsedMs).padStart(10)}  ${r.speedup.toFixed(2).padStart(7)}  ${(r.efficiency * 100).toFixed(0).padStart(9)}%  ${r.result}`),
    `chart: ${svgPath}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
