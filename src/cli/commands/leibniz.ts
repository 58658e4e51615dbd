/** `wasm-mp leibniz`: the Gregory–Leibniz series to exact digits, as bc computes it. */
import { LEIBNIZ_MAX_DIGITS, LEIBNIZ_MAX_INDEX, LEIBNIZ_MAX_TERMS, leibniz } from "../../workloads/leibniz.js";
import type { FlagSpec, ParsedFlags } from "../args.js";
import { CLUSTER_FLAG, JSON_FLAG, QUEUE_FLAG, WORKERS_FLAG, cliSignal, formatMs, output, progressFor, type Command } from "../command.js";
import { clusterLine, withCluster } from "../cluster-option.js";

const WORKLOAD_FLAGS: FlagSpec[] = [
  { name: "from", type: "integer", min: 0, max: LEIBNIZ_MAX_INDEX, default: 0, metavar: "I", description: "first index" },
  { name: "to", type: "integer", min: 0, max: LEIBNIZ_MAX_INDEX, default: 1e6, metavar: "J", description: "one past the last index; J − I at most 1e10" },
  { name: "digits", type: "integer", min: 1, max: LEIBNIZ_MAX_DIGITS, default: 60, metavar: "D", description: "decimal places of every term: bc's scale" },
  { name: "chunk", type: "integer", min: 1, max: LEIBNIZ_MAX_TERMS, metavar: "C", description: "terms per part, default automatic from the range and D" },
];

function options(flags: ParsedFlags) {
  return {
    from: flags.from as number,
    to: flags.to as number,
    digits: flags.digits as number,
    chunkSize: flags.chunk as number | undefined,
  };
}

/** Long values are cut in the scaling table. */
function short(value: string): string {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

/** `wasm-mp leibniz`. */
export const leibnizCommand: Command = {
  name: "leibniz",
  summary: "Σ (−1)^i·4/(2i+1) over [I, J), every term cut at D digits, exactly as bc",
  usage: "leibniz [--from I] [--to J] [--digits D] [--workers P] [--chunk C] [--cluster URL [--queue NAME]] [--json]",
  flags: [...WORKLOAD_FLAGS, WORKERS_FLAG, CLUSTER_FLAG, QUEUE_FLAG, JSON_FLAG],
  details: "The value is printed as bc prints it at scale=D (without bc's line breaks).\nExample: wasm-mp leibniz --from 0 --to 1e6 --digits 60",
  async run(flags) {
    const bar = progressFor(flags, "leibniz");
    const [r, extra] = await withCluster(flags, "leibniz", async (pool, extra) =>
      [await leibniz({ ...options(flags), pool, workers: flags.workers as number | undefined, signal: cliSignal(), onProgress: (p) => bar.update(p) }), extra()] as const);
    bar.done();
    output(flags, { ...r, ...extra }, [
      r.value,
      `${r.terms.toLocaleString("en-US")} terms [${r.from}, ${r.to}) at ${r.digits} digits, ${r.workers} worker${r.workers === 1 ? "" : "s"} (${r.backend}), ${r.parts} parts, time ${formatMs(r.elapsedMs)}`,
      ...clusterLine(extra),
    ]);
  },
  scaling: {
    flags: WORKLOAD_FLAGS,
    async run(flags, workers, pool) {
      const r = await leibniz({ ...options(flags), workers, pool, signal: cliSignal() });
      return { elapsedMs: r.elapsedMs, result: short(r.value) };
    },
  },
};
