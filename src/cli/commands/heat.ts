/** `wasm-mp heat`: the steady temperature of a plate with fixed edges, by Jacobi sweeps. */
import { writeFileSync } from "node:fs";
import { heat, HEAT_DEFAULT_MAX_ITERATIONS, HEAT_DEFAULT_TOLERANCE, HEAT_MAX_SIZE, type HeatResult } from "../../workloads/heat.js";
import type { FlagSpec, ParsedFlags } from "../args.js";
import { JSON_FLAG, WORKERS_FLAG, cliSignal, formatMs, output, progressFor, type Command } from "../command.js";
import { renderHeatmap } from "../heatmap.js";
import { encodePng } from "../png.js";

const WORKLOAD_FLAGS: FlagSpec[] = [
  { name: "size", type: "integer", min: 1, max: HEAT_MAX_SIZE, default: 256, metavar: "N", description: "interior cells per side (the grid is N+2 with the boundary)" },
  { name: "top", type: "number", default: 100, metavar: "T", description: "temperature of the top edge, corners included" },
  { name: "bottom", type: "number", default: 0, metavar: "T", description: "temperature of the bottom edge, corners included" },
  { name: "left", type: "number", default: 0, metavar: "T", description: "temperature of the left edge" },
  { name: "right", type: "number", default: 0, metavar: "T", description: "temperature of the right edge" },
  { name: "initial", type: "number", default: 0, metavar: "T", description: "starting temperature inside" },
  { name: "tolerance", type: "number", default: HEAT_DEFAULT_TOLERANCE, metavar: "E", description: "stop when a sweep changes no cell by this much" },
  { name: "max-iterations", type: "integer", min: 1, max: 2 ** 31 - 1, default: HEAT_DEFAULT_MAX_ITERATIONS, metavar: "K", description: "stop after K sweeps at most" },
];

function options(flags: ParsedFlags) {
  return {
    size: flags.size as number,
    top: flags.top as number,
    bottom: flags.bottom as number,
    left: flags.left as number,
    right: flags.right as number,
    initial: flags.initial as number,
    tolerance: flags.tolerance as number,
    maxIterations: flags["max-iterations"] as number,
  };
}

/** 1e-4 rather than 0.0001. */
function small(x: number): string {
  return x !== 0 && Math.abs(x) < 0.01 ? x.toExponential() : String(x);
}

function summary(r: HeatResult, tolerance: number): string {
  return r.converged
    ? `converged after ${r.iterations.toLocaleString("en-US")} sweeps (max change ${r.maxDiff.toExponential(4)} < ${small(tolerance)})`
    : `not converged: stopped after ${r.iterations.toLocaleString("en-US")} sweeps with max change ${r.maxDiff.toExponential(2)} (tolerance ${small(tolerance)})`;
}

/** `wasm-mp heat`. */
export const heatCommand: Command = {
  name: "heat",
  summary: "steady heat in a plate with fixed edges (Jacobi sweeps on shared memory)",
  usage: "heat [--size N] [--top T --bottom T --left T --right T] [--initial T] [--tolerance E] [--max-iterations K] [--png FILE] [--workers P] [--json]",
  flags: [
    ...WORKLOAD_FLAGS,
    { name: "png", type: "string", metavar: "FILE", output: true, description: "write a heat map of the plate, with its colour scale, to FILE" },
    WORKERS_FLAG,
    JSON_FLAG,
  ],
  details: "Example: wasm-mp heat --size 128 --top 100 --tolerance 1e-5 --png plate.png",
  async run(flags) {
    const o = options(flags);
    const bar = progressFor(flags, "heat");
    const r = await heat({
      ...o,
      workers: flags.workers as number | undefined,
      signal: cliSignal(),
      onProgress: (p) => bar.update(p, `sweep ${p.iteration.toLocaleString("en-US")}, max change ${p.maxDiff.toExponential(2)} → ${small(o.tolerance)}`),
    });
    bar.done();
    const png = flags.png as string | undefined;
    if (png) {
      const title = `${r.size}×${r.size} PLATE, ${r.iterations} SWEEPS, CENTRE ${r.centre.toPrecision(6)}`;
      writeFileSync(png, encodePng(renderHeatmap(r.grid, r.size + 2, title)));
    }
    const updates = r.size * r.size * r.iterations;
    const { grid: _grid, ...fields } = r;
    output(flags, { ...fields, tolerance: o.tolerance, ...(png ? { png } : {}) }, [
      `heat plate ${r.size}×${r.size}: ${summary(r, o.tolerance)}`,
      `centre ${r.centre}`,
      `${r.workers} worker${r.workers === 1 ? "" : "s"}, time ${formatMs(r.elapsedMs)} ` +
        `(${(r.elapsedMs * 1e6 / updates).toFixed(3)} ns per cell update, ${(r.elapsedMs * 1e3 / r.iterations).toFixed(2)} µs per sweep)`,
      ...(png ? [`heat map: ${png}`] : []),
    ]);
  },
  scaling: {
    flags: WORKLOAD_FLAGS,
    async run(flags, workers, pool) {
      const r = await heat({ ...options(flags), workers, pool, signal: cliSignal() });
      return { elapsedMs: r.elapsedMs, result: `${r.iterations} sweeps, centre ${r.centre}` };
    },
  },
};
