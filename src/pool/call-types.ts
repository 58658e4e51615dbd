/** The options and results of the pool's calls (Pool's methods; the jobs behind them are in jobs/). */
import type { PartitionSpec } from "../plan/partition.js";
import type { PartCombine } from "../platform/task.js";
import type { PrivateMemoryUse } from "./jobs/private-parts.js";
import type { Progress } from "./progress.js";

export type { Progress };

/** Options every pool call takes. */
export interface CallOptions {
  /** Aborts the call: it rejects with an AbortError; work still queued never runs. */
  signal?: AbortSignal;
  /** Rejects the call with a TimeoutError after this many milliseconds, as an abort would. */
  timeoutMs?: number;
  /** Called every progressIntervalMs while the call runs, and once at its end. A throw fails the call. */
  onProgress?: (progress: Progress) => void;
  /** Milliseconds between progress reports. Default 100. */
  progressIntervalMs?: number;
}

export const CALL_KEYS = ["signal", "timeoutMs", "onProgress", "progressIntervalMs"] as const;

export interface RangeJob extends CallOptions {
  kernel: string;
  /** Kernel arguments after (blockStart, blockEnd). */
  args?: number[];
  spec: PartitionSpec;
  /** Workers to use, at most the pool's size. Default: all. */
  workers?: number;
  /** How the blocks of one part combine: "sum" (default), "min" or "max". */
  combine?: PartCombine;
  /** Run in the calling thread when the range is shorter than this. Default 0 (never). */
  inlineBelow?: number;
  /**
   * Lets the job run on workers that cannot share the pool's memory (a browser page that is not
   * cross-origin isolated); ignored where they can. Set it when the kernel reads nothing of the
   * pool's memory but `inputs` (unchanged during the job) and writes nothing that is read after
   * the job but the partials and `partOutputs`. Each worker then runs the kernel on a private
   * memory of the same size, holding a copy of the inputs at the same addresses; the partials
   * and the output slots come back by message, with the same bits. Without it, such a job runs
   * in the calling thread.
   */
  privateMemory?: PrivateMemoryUse;
}

export interface RangeJobResult {
  /** One partial per part, in part order. */
  partials: Float64Array;
  /** Workers that took part (1 when inline). */
  workers: number;
  backend: "workers" | "inline";
}

export interface TeamJob extends Omit<CallOptions, "onProgress"> {
  kernel: string;
  /** Kernel arguments after the member's index. */
  args?: number[];
  /** Members, one per worker thread, at most the pool's size. */
  workers: number;
  /**
   * Called once, as soon as a member fails (its kernel trapped or its worker died) or the call
   * is aborted, while the others may still be running: release them here (e.g. abort the
   * barrier they meet at).
   */
  onFailure?: (error: Error) => void;
  /** Read every progressIntervalMs for onProgress (e.g. from the members' shared counters). */
  progress?: () => unknown;
  onProgress?: (progress: unknown) => void;
}

export interface TeamJobResult {
  /** Each member's return value, by member index. */
  values: number[];
  workers: number;
  /** "inline" where the workers share no memory and the team (of one) ran in the calling thread. */
  backend: "workers" | "inline";
}

export interface IterateOptions extends Omit<CallOptions, "onProgress"> {
  /** The step kernel: `(lane, lanes, iteration, ...args) → number` (with `phases`: `(lane, lanes, iteration, phase, ...args)`), run once per lane per step. */
  kernel: string;
  /** Kernel arguments after (lane, lanes, iteration), or after (lane, lanes, iteration, phase) with `phases`. */
  args?: readonly import("./args.js").KernelArg[];
  /** Lanes (one long task each, all at once), at most the pool's size. Default: the pool's size. */
  lanes?: number;
  /** How the lanes' values of a step combine, in lane order: "max" (default), "min" or "sum". */
  reduce?: "max" | "min" | "sum";
  /** Stop once the reduced value is below (or above) this. Default: run maxIterations iterations. */
  until?: { below: number } | { above: number };
  /** Iterations at most (an iteration is one step, or `phases` steps). */
  maxIterations: number;
  /** Test `until` every this many iterations only. Default 1. */
  checkEvery?: number;
  /**
   * Steps per iteration, each followed by the barrier: an iteration as a schedule of phases (a
   * red then a black half-sweep; the levels of a multigrid cycle). Given, the kernel takes the
   * phase too: `(lane, lanes, iteration, phase, ...args)`, phase 0 … phases − 1. Only the last
   * phase's values are reduced and tested against `until`; iterations, maxIterations,
   * checkEvery and progress count whole iterations. Default: 1, and the kernel takes no phase.
   */
  phases?: number;
  /** A lane waiting at the step barrier longer than this fails the call. Default 10 000 ms. */
  barrierTimeoutMs?: number;
  onProgress?: (progress: import("./jobs/iterate.js").IterateProgress) => void;
}

export interface IterateResult {
  /** Iterations run (an iteration is one step, or `phases` steps). */
  iterations: number;
  /** The last iteration's reduced value. */
  value: number;
  /** Whether `until` was met (false: maxIterations ran out). */
  converged: boolean;
  lanes: number;
  backend: "workers" | "inline";
  elapsedMs: number;
}
