/** What a CLI command is: flags it takes, how it runs, and how `scaling` drives its workload. */
import type { Pool } from "../pool/pool.js";
import type { FlagSpec, ParsedFlags } from "./args.js";
import { progressBar } from "./progress.js";

/** A subcommand of wasm-mp, declared in one file under commands/ and listed in commands/index.ts. */
export interface Command {
  /** The word after "wasm-mp". */
  name: string;
  /** One line for the command list of wasm-mp --help. */
  summary: string;
  /** One-line usage after "wasm-mp ". */
  usage: string;
  /** The options, parsed and checked before run is called. */
  flags: FlagSpec[];
  /** Names of the positional arguments the command takes, all required (default: none). */
  positionals?: string[];
  /** Extra help text: examples, notes. */
  details?: string;
  /**
   * Runs with checked flags; throws a UsageError (exit 2) or a library error (exit 1 or 2).
   * Resolves to the exit status when that is not 0 (bench --fail-on-regression: 1), else to nothing.
   */
  run(flags: ParsedFlags, positional: string[]): Promise<void | number>;
  /** Present when `wasm-mp scaling <name>` can drive the workload. */
  scaling?: ScalingSpec;
}

/** How `wasm-mp scaling` runs a workload at a given worker count. */
export interface ScalingSpec {
  /** The workload's flags that scaling passes through (without --workers and --json). */
  flags: FlagSpec[];
  /** Runs the workload once with `workers` workers on `pool`; returns its own timing. */
  run(flags: ParsedFlags, workers: number, pool: Pool): Promise<{ elapsedMs: number; result: string }>;
}

/** --workers P, shared by the workload commands. */
export const WORKERS_FLAG: FlagSpec = {
  name: "workers", type: "integer", min: 1, max: 256, metavar: "P",
  description: "worker threads (default: available cores)",
};
/** --cluster URL: runs the workload on the `wasm-mp worker` processes of a Redis instead of this machine (docs/cluster.md). */
export const CLUSTER_FLAG: FlagSpec = {
  name: "cluster", type: "string", metavar: "URL",
  description: "run on the wasm-mp workers of this Redis (redis://host:6379 or rediss://…); --workers is then per machine",
};
/** --queue NAME: the cluster's queue, with --cluster (and for `wasm-mp worker`). */
export const QUEUE_FLAG: FlagSpec = { name: "queue", type: "string", metavar: "NAME", description: "the cluster's queue (default wasm-mp), with --cluster" };
/** --json, shared by every command that prints a result. */
export const JSON_FLAG: FlagSpec = { name: "json", type: "boolean", description: "print one JSON object on stdout" };

/** Prints a result: JSON on stdout with --json, else readable lines. */
export function output(flags: ParsedFlags, json: object, lines: string[]): void {
  if (flags.json) process.stdout.write(JSON.stringify(json) + "\n");
  else process.stdout.write(lines.join("\n") + "\n");
}

/**
 * Progress on stderr unless --json; pass its update as onProgress. A terminal gets a bar drawn in
 * place; a pipe or a log file gets a line at every 10 %.
 */
export function progressFor(flags: ParsedFlags, label: string) {
  if (flags.json) return progressBar(label, process.stderr, false);
  return progressBar(label, process.stderr, process.stderr.isTTY === true ? "bar" : "lines");
}

const interrupt = new AbortController();

/**
 * The signal every command passes to its workload: aborted by Ctrl-C (SIGINT) or SIGTERM, so the
 * workers stop within one part and the command exits 1 with one line. A second Ctrl-C exits at
 * once, for a run that does not stop.
 */
export function cliSignal(): AbortSignal {
  if (process.listenerCount("SIGINT") === 0) {
    const stop = (name: NodeJS.Signals) => {
      if (interrupt.signal.aborted) process.exit(130);
      interrupt.abort(new Interrupted(name));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  }
  return interrupt.signal;
}

/** Why the CLI's signal was aborted. */
export class Interrupted extends Error {
  override name = "Interrupted";
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/** "12.3 ms" below a second, "1.234 s" above. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
