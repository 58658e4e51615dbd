/** `wasm-mp run <module.wasm> <kernel> --range A..B`: a user's range kernel over a range, reduced. */
import { createPool } from "../../pool/pool.js";
import { MAX_INDEX } from "../../plan/partition.js";
import { UsageError, parseNumber, type FlagSpec, type ParsedFlags } from "../args.js";
import { CLUSTER_FLAG, JSON_FLAG, QUEUE_FLAG, WORKERS_FLAG, cliSignal, formatMs, output, progressFor, type Command } from "../command.js";

const FLAGS: FlagSpec[] = [
  { name: "range", type: "string", metavar: "A..B", description: "the index range [A, B), e.g. 0..1e9 (required)" },
  { name: "reduce", type: "string", choices: ["sum", "min", "max"], default: "sum", description: "how the kernel's numbers are combined" },
  { name: "args", type: "string", metavar: "X,Y,…", description: "numbers passed after (blockStart, blockEnd)" },
  { name: "chunk", type: "integer", min: 1, max: MAX_INDEX, metavar: "C", description: "indices per block (default: automatic from the range)" },
  { name: "partition", type: "string", choices: ["block", "cyclic", "block-cyclic"], default: "block", description: "how blocks are dealt to parts" },
  WORKERS_FLAG,
  CLUSTER_FLAG,
  QUEUE_FLAG,
  JSON_FLAG,
];

/** `wasm-mp run`. */
export const runCommand: Command = {
  name: "run",
  summary: "run your own wasm kernel over a range and reduce the results",
  usage: "run <module.wasm> <kernel> --range A..B [--reduce sum|min|max] [--args X,Y] [--chunk C] [--workers P] [--cluster URL [--queue NAME]] [--json]",
  flags: FLAGS,
  positionals: ["module.wasm", "kernel"],
  details: [
    "The kernel is called as kernel(blockStart, blockEnd, ...args) for every block of [A, B) and returns a number;",
    "the numbers are reduced in block order, so the result does not depend on --workers.",
    "The module must import a shared memory as env.memory: `wasm-mp init my-kernels` writes a project that builds",
    "one (its kernels.ts has sumSquares; its README and node_modules/wasm-mp/docs/pool.md say what a kernel may do).",
    "Example: wasm-mp run kernels.wasm sumSquares --range 0..1e8 --reduce sum",
  ].join("\n"),
  async run(flags, positional) {
    const [modulePath, kernel] = positional as [string, string];
    const [start, end] = parseRange(flags.range as string | undefined);
    const args = parseArgs(flags.args as string | undefined);
    const reduce = flags.reduce as "sum" | "min" | "max";
    if (flags.cluster !== undefined) return runOnCluster(flags, modulePath, kernel, start, end, args, reduce);
    if (flags.queue !== undefined) throw new UsageError("--queue goes with --cluster", "run");
    const pool = await createPool({ module: modulePath, workers: flags.workers as number | undefined });
    try {
      const bar = progressFor(flags, kernel);
      const started = performance.now();
      const value = await pool.mapReduce(kernel, [start, end], {
        reduce, args, chunkSize: flags.chunk as number | undefined,
        partition: flags.partition as "block" | "cyclic" | "block-cyclic",
        signal: cliSignal(),
        onProgress: (p) => bar.update(p),
      });
      const elapsedMs = performance.now() - started;
      bar.done();
      output(flags, { module: modulePath, kernel, start, end, reduce, args, value, workers: pool.size, elapsedMs }, [
        `${reduce} of ${kernel} over [${start}, ${end}) = ${value}`,
        `${pool.size} worker${pool.size === 1 ? "" : "s"}, time ${formatMs(elapsedMs)}`,
      ]);
    } finally {
      await pool.close();
    }
  },
};

/** `run --cluster`: the same reduction on the cluster's workers; the module travels through Redis. */
async function runOnCluster(flags: ParsedFlags, modulePath: string, kernel: string, start: number, end: number, args: number[], reduce: "sum" | "min" | "max"): Promise<void> {
  const { createCluster } = await import("../../cluster/cluster.js");
  const cluster = await createCluster({ connection: flags.cluster as string, queue: flags.queue as string | undefined, module: modulePath });
  try {
    const bar = progressFor(flags, kernel);
    const started = performance.now();
    const value = await cluster.mapReduce(kernel, [start, end], {
      reduce, args, chunkSize: flags.chunk as number | undefined, workers: flags.workers as number | undefined,
      partition: flags.partition as "block" | "cyclic" | "block-cyclic",
      signal: cliSignal(),
      onProgress: (p) => bar.update(p),
    });
    const elapsedMs = performance.now() - started;
    bar.done();
    const last = cluster.lastRun;
    output(flags, { module: modulePath, kernel, start, end, reduce, args, value, workers: last?.workers ?? 0, machines: last?.machines ?? 0, parts: last?.parts ?? 0, partJobs: last?.partJobs ?? 0, elapsedMs }, [
      `${reduce} of ${kernel} over [${start}, ${end}) = ${value}`,
      `cluster: ${last?.machines ?? 0} machine(s), ${last?.parts ?? 0} parts in ${last?.partJobs ?? 0} part-job(s), time ${formatMs(elapsedMs)}`,
    ]);
  } finally {
    await cluster.close();
  }
}

function parseRange(text: string | undefined): [number, number] {
  const allowed = "A..B with integers A <= B, e.g. 0..1e9";
  if (text === undefined) throw new UsageError(`--range is required: ${allowed}`, "run");
  const m = /^(.+?)\.\.(.+)$/.exec(text.trim());
  const a = m ? parseNumber(m[1]!) : NaN;
  const b = m ? parseNumber(m[2]!) : NaN;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a > b || Math.abs(a) > MAX_INDEX || Math.abs(b) > MAX_INDEX) {
    throw new UsageError(`--range ${JSON.stringify(text)} is not allowed: ${allowed}`, "run");
  }
  return [a, b];
}

function parseArgs(text: string | undefined): number[] {
  if (text === undefined || text.trim() === "") return [];
  return text.split(",").map((part) => {
    const n = parseNumber(part);
    if (Number.isNaN(n)) throw new UsageError(`--args ${JSON.stringify(text)} is not allowed: numbers separated by commas`, "run");
    return n;
  });
}
