/** `wasm-mp pi`: π by the midpoint rule. */
import { pi, PI_MAX_N } from "../../workloads/pi.js";
import type { FlagSpec, ParsedFlags } from "../args.js";
import { CLUSTER_FLAG, JSON_FLAG, QUEUE_FLAG, WORKERS_FLAG, cliSignal, formatMs, output, progressFor, type Command } from "../command.js";
import { clusterLine, withCluster } from "../cluster-option.js";

const WORKLOAD_FLAGS: FlagSpec[] = [
  { name: "n", type: "integer", min: 1, max: PI_MAX_N, default: 4e9, metavar: "N", description: "number of terms" },
  { name: "chunk", type: "integer", min: 1, max: PI_MAX_N, metavar: "C", description: "terms per part, default automatic from N" },
  { name: "kernel", type: "string", choices: ["simd", "scalar"], default: "simd", description: "kernel" },
];

function options(flags: ParsedFlags) {
  return {
    n: flags.n as number,
    chunkSize: flags.chunk as number | undefined,
    kernel: flags.kernel as "simd" | "scalar",
  };
}

/** `wasm-mp pi`. */
export const piCommand: Command = {
  name: "pi",
  summary: "π by the midpoint rule, Σ 4/(1+x²)/N",
  usage: "pi [--n N] [--workers P] [--chunk C] [--kernel simd|scalar] [--cluster URL [--queue NAME]] [--json]",
  flags: [...WORKLOAD_FLAGS, WORKERS_FLAG, CLUSTER_FLAG, QUEUE_FLAG, JSON_FLAG],
  details: "Example: wasm-mp pi --n 4e9 --workers 2",
  async run(flags) {
    const bar = progressFor(flags, "pi");
    const [r, extra] = await withCluster(flags, "pi", async (pool, extra) =>
      [await pi({ ...options(flags), pool, workers: flags.workers as number | undefined, signal: cliSignal(), onProgress: (p) => bar.update(p) }), extra()] as const);
    bar.done();
    output(flags, { ...r, ...extra }, [
      `π ≈ ${r.value.toFixed(15)}   (error ${r.error.toExponential(2)})`,
      `N = ${r.n.toLocaleString("en-US")} terms, ${r.workers} worker${r.workers === 1 ? "" : "s"} (${r.backend}), ${r.parts} parts, ${r.kernel} kernel`,
      ...clusterLine(extra),
      `time ${formatMs(r.elapsedMs)}`,
    ]);
  },
  scaling: {
    flags: WORKLOAD_FLAGS,
    async run(flags, workers, pool) {
      const r = await pi({ ...options(flags), workers, pool, signal: cliSignal() });
      return { elapsedMs: r.elapsedMs, result: r.value.toFixed(15) };
    },
  },
};
