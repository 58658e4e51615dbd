/** `wasm-mp montecarlo`: π from random points in the unit square (Philox4x32-10). */
import { MONTE_CARLO_DEFAULT_SEED, MONTE_CARLO_MAX_SAMPLES, monteCarloPi, type MonteCarloKernel, type MonteCarloResult } from "../../workloads/montecarlo.js";
import { UsageError, type FlagSpec, type ParsedFlags } from "../args.js";
import { CLUSTER_FLAG, JSON_FLAG, QUEUE_FLAG, WORKERS_FLAG, cliSignal, formatMs, output, progressFor, type Command } from "../command.js";
import { clusterLine, withCluster } from "../cluster-option.js";

const WORKLOAD_FLAGS: FlagSpec[] = [
  { name: "samples", type: "integer", min: 1, max: MONTE_CARLO_MAX_SAMPLES, default: 1e9, metavar: "N", description: "points to draw" },
  {
    name: "seed", type: "string", metavar: "S",
    description: `generator key from 0 to 2^64 − 1, default 0x${MONTE_CARLO_DEFAULT_SEED.toString(16)} = ${MONTE_CARLO_DEFAULT_SEED}; decimal or 0x hex`,
  },
  { name: "chunk", type: "integer", min: 1, max: MONTE_CARLO_MAX_SAMPLES, metavar: "C", description: "samples per part, default automatic from N" },
  { name: "kernel", type: "string", choices: ["simd", "scalar"], default: "simd", description: "kernel" },
];

/** A seed as typed: decimal or 0x hex, underscores allowed; a bigint above 2^53 − 1. */
export function parseSeed(text: string | undefined, command = "montecarlo"): number | bigint | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const allowed = `--seed ${JSON.stringify(text)} is not allowed: an integer from 0 to 2^64 − 1, decimal or 0x hex`;
  // underscores only between two digits, as parseNumber takes them
  if (!/^(0x[0-9a-f]+(_[0-9a-f]+)*|\d+(_\d+)*)$/i.test(t)) throw new UsageError(allowed, command);
  const seed = BigInt(t.replace(/_/g, ""));
  if (seed >= 1n << 64n) throw new UsageError(allowed, command);
  return seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed;
}

function options(flags: ParsedFlags) {
  return {
    samples: flags.samples as number,
    seed: parseSeed(flags.seed as string | undefined),
    chunkSize: flags.chunk as number | undefined,
    kernel: flags.kernel as MonteCarloKernel,
  };
}

/** The result with the seed as a string when it is a bigint (JSON has no bigints). */
function jsonable(r: MonteCarloResult): object {
  return { ...r, seed: typeof r.seed === "bigint" ? r.seed.toString() : r.seed };
}

/** `wasm-mp montecarlo`. */
export const monteCarloCommand: Command = {
  name: "montecarlo",
  summary: "π from random points in the unit square (Philox4x32-10, reproducible)",
  usage: "montecarlo [--samples N] [--seed S] [--workers P] [--chunk C] [--kernel simd|scalar] [--cluster URL [--queue NAME]] [--json]",
  flags: [...WORKLOAD_FLAGS, WORKERS_FLAG, CLUSTER_FLAG, QUEUE_FLAG, JSON_FLAG],
  details: "The hit count depends only on --samples and --seed, never on --workers or --chunk.\nExample: wasm-mp montecarlo --samples 2e9 --workers 2",
  async run(flags) {
    const opts = options(flags);
    const bar = progressFor(flags, "montecarlo");
    const [r, extra] = await withCluster(flags, "montecarlo", async (pool, extra) =>
      [await monteCarloPi({ ...opts, pool, workers: flags.workers as number | undefined, signal: cliSignal(), onProgress: (p) => bar.update(p) }), extra()] as const);
    bar.done();
    output(flags, { ...jsonable(r), ...extra }, [
      `π ≈ ${r.value.toFixed(9)} ± ${r.stdError.toExponential(2)}   (95%: ${r.interval95[0].toFixed(9)} … ${r.interval95[1].toFixed(9)}; error ${r.error.toExponential(2)})`,
      `${r.hits.toLocaleString("en-US")} hits of ${r.samples.toLocaleString("en-US")} samples, seed ${r.seed}`,
      `${r.workers} worker${r.workers === 1 ? "" : "s"} (${r.backend}), ${r.parts} parts, ${r.kernel} kernel, time ${formatMs(r.elapsedMs)}`,
      ...clusterLine(extra),
    ]);
  },
  scaling: {
    flags: WORKLOAD_FLAGS,
    async run(flags, workers, pool) {
      const r = await monteCarloPi({ ...options(flags), workers, pool, signal: cliSignal() });
      return { elapsedMs: r.elapsedMs, result: `${r.value.toFixed(9)} (${r.hits} hits)` };
    },
  },
};
