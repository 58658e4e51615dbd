/**
 * The route every parallel workload takes once its options are valid: pick the pool, run the
 * kernel over the partition, time it. Workloads only validate, plan, and reduce.
 */
import { defaultPool } from "../pool/default-pool.js";
import type { Pool, Progress, RangeJob, RangeJobResult } from "../pool/pool.js";
import type { PartCombine } from "../pool/task.js";
import type { PartitionSpec } from "./partition.js";

/** Options every workload function takes. */
export interface CommonOptions {
  /** Workers to use. Default: the pool's size (availableParallelism() for the default pool). */
  workers?: number;
  /** Pool to run on. Default: a shared pool ended by close(). */
  pool?: Pool;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export const COMMON_KEYS = ["workers", "pool", "signal", "onProgress"] as const;

export interface KernelRun {
  kernel: string;
  args: number[];
  spec: PartitionSpec;
  combine?: PartCombine;
  inlineBelow: number;
  /** Set when the kernel may run on workers' private memories (see RangeJob.privateMemory). */
  privateMemory?: RangeJob["privateMemory"];
}

export async function runOnPool(options: CommonOptions, run: KernelRun): Promise<RangeJobResult & { elapsedMs: number }> {
  const pool = options.pool ?? await defaultPool(options.workers);
  const started = performance.now();
  const result = await pool.runRange({
    kernel: run.kernel,
    args: run.args,
    spec: run.spec,
    combine: run.combine,
    inlineBelow: run.inlineBelow,
    privateMemory: run.privateMemory,
    workers: options.workers,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { partials: result.partials, workers: result.workers, backend: result.backend, elapsedMs: performance.now() - started };
}
