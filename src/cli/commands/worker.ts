/** `wasm-mp worker --cluster URL`: this machine takes part-jobs from a cluster's queue until stopped. */
import { UsageError, type FlagSpec } from "../args.js";
import { CLUSTER_FLAG, QUEUE_FLAG, WORKERS_FLAG, type Command } from "../command.js";

const FLAGS: FlagSpec[] = [
  { ...CLUSTER_FLAG, description: "the Redis to take part-jobs from: redis://host:6379 or rediss://user:password@host:6380 (required)" },
  { ...WORKERS_FLAG, description: "worker threads of this machine's pool (default: available cores)" },
  QUEUE_FLAG,
  {
    name: "lock-ms", type: "integer", min: 1000, max: 3_600_000, default: 30_000, metavar: "MS",
    description: "a part-job of a worker that stops answering goes to another after this long (BullMQ's lock duration)",
  },
];

export const workerCommand: Command = {
  name: "worker",
  summary: "take part-jobs of a cluster from Redis and run them on this machine's cores",
  usage: "worker --cluster URL [--workers P] [--queue NAME] [--lock-ms MS]",
  flags: FLAGS,
  details: [
    "Runs until SIGINT or SIGTERM, then finishes the part-job it is running and exits.",
    "It runs whatever kernels the queue hands it: the Redis must be trusted (docs/cluster.md, Security).",
    "Example: wasm-mp worker --cluster redis://10.0.0.5:6379 --workers 8",
  ].join("\n"),
  async run(flags) {
    const url = flags.cluster as string | undefined;
    if (url === undefined) throw new UsageError("--cluster is required: the Redis URL, e.g. redis://127.0.0.1:6379", "worker");
    const log = (line: string): void => { process.stderr.write(`[wasm-mp worker ${new Date().toISOString()}] ${line}\n`); };
    // signals are caught from the start: one that comes while connecting still stops cleanly
    let signalled: (signal: string) => void = () => {};
    const stopAsked = new Promise<string>((resolve) => { signalled = resolve; });
    let stopping = false;
    const onSignal = (signal: string): void => {
      if (stopping) {
        // a second signal: leave the running part-job to BullMQ's stalled-job recovery
        log(`${signal} again: exiting now`);
        process.exit(130);
      }
      stopping = true;
      signalled(signal);
    };
    process.on("SIGINT", () => onSignal("SIGINT"));
    process.on("SIGTERM", () => onSignal("SIGTERM"));
    const { startClusterWorker } = await import("../../cluster/worker.js");
    const worker = await startClusterWorker({
      connection: url, queue: flags.queue as string | undefined, workers: flags.workers as number | undefined, lockMs: flags["lock-ms"] as number, log,
    });
    const signal = await stopAsked;
    log(`${signal}: finishing the current part-job, then exiting (${worker.partJobs} done)`);
    await worker.close().catch((e: unknown) => log(`closing: ${e instanceof Error ? e.message : String(e)}`));
    log(`stopped after ${worker.partJobs} part-jobs`);
    // a connection BullMQ opened and could not close (Redis gone) must not keep the process alive
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  },
};
