/** What a CLI command is: flags it takes, how it runs, and how `scaling` drives its workload. */
import type { Pool } from "../pool/pool.js";
import type { FlagSpec, ParsedFlags } from "./args.js";
import { progressBar } from "./progress.js";

export interface Command {
  name: string;
  summary: string;
  /** One-line usage after "wasm-mp ". */
  usage: string;
  flags: FlagSpec[];
  /** Names of the positional arguments the command takes, all required (default: none). */
  positionals?: string[];
  /** Extra help text: examples, notes. */
  details?: string;
  /** Resolves to the exit status when it is not 0 (or to nothing). */
  run(flags: ParsedFlags, positional: string[]): Promise<void | number>;
  /** Present when `wasm-mp scaling <name>` can drive the workload. */
  scaling?: ScalingSpec;
}

export interface ScalingSpec {
  /** The workload's flags that scaling passes through (without --workers and --json). */
  flags: FlagSpec[];
  /** Runs the workload once with `workers` workers on `pool`; returns its own timing. */
  run(flags: ParsedFlags, workers: number, pool: Pool): Promise<{ elapsedMs: number; result: string }>;
}

export const WORKERS_FLAG: FlagSpec = {
  name: "workers", type: "integer", min: 1, max: 256, metavar: "P",
  description: "worker threads (default: available cores)",
};
export const JSON_FLAG: FlagSpec = { name: "json", type: "boolean", description: "print one JSON object on stdout" };

/** Prints a result: JSON on stdout with --json, else readable lines. */
export function output(flags: ParsedFlags, json: object, lines: string[]): void {
  if (flags.json) process.stdout.write(JSON.stringify(json) + "\n");
  else process.stdout.write(lines.join("\n") + "\n");
}

/** Progress bar unless --json; pass its update as onProgress. */
export function progressFor(flags: ParsedFlags, label: string) {
  return progressBar(label, process.stderr, !flags.json && process.stderr.isTTY === true);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
