/**
 * The one route every workload takes: check the options (its own and the common ones), choose
 * the pool, run, time it, and return the result with the common fields. A workload declares
 * only what is its own: its options' checks, its plan and its reduction.
 *
 *   options ─▶ check ─▶ pool (given, or the default one held for the run) ─▶ run ─▶ result
 */
import { invalid } from "../errors.js";
import type { Progress, RangeJob, RangeJobResult } from "../pool/call-types.js";
import { checkCallFields } from "../pool/call-options.js";
import { holdDefaultPool } from "../pool/default-pool.js";
import { MAX_WORKERS, isPool, type Pool } from "../pool/pool.js";
import * as check from "../validate.js";

/** Options every workload function takes. */
export interface CommonOptions<P = Progress> {
  /** Workers to use. Default: the pool's size (availableParallelism() for the default pool). */
  workers?: number;
  /** Pool to run on (createPool()). Default: a shared pool, ended by close(). */
  pool?: Pool | RangeRunner;
  /** Aborts the run: it rejects with an AbortError. */
  signal?: AbortSignal;
  /** Rejects the run with a TimeoutError after this many milliseconds. */
  timeoutMs?: number;
  /** Called every progressIntervalMs while the run goes on, and once at its end. */
  onProgress?: (progress: P) => void;
  /** Milliseconds between progress reports. Default 100. */
  progressIntervalMs?: number;
}

export const COMMON_KEYS = ["workers", "pool", "signal", "timeoutMs", "onProgress", "progressIntervalMs"] as const;

/** Fields every workload's result has. */
export interface CommonResult {
  /** Workers that took part (1 when the calling thread did the work). */
  workers: number;
  /** Where it ran: "workers", or "inline" (the calling thread). */
  backend: "workers" | "inline";
  /** Parts the work was split into. */
  parts: number;
  /** Indices (terms, samples, bytes, rows) per part or block. */
  chunkSize: number;
  /** Time of the run, from the pool being ready to the result. */
  elapsedMs: number;
  /** On a cluster only: the most machines that returned results to one range job of the run. */
  machines?: number;
  /** On a cluster only: the BullMQ part-jobs of the run, over all its range jobs. */
  partJobs?: number;
}

/**
 * Anything that runs range jobs as a pool does, with the same bits (a cluster of machines,
 * src/cluster/): workloads that only run range jobs accept it as `pool`.
 */
export interface RangeRunner {
  readonly kind: "cluster";
  readonly size: number;
  runRange(job: RangeJob): Promise<RangeJobResult & { machines: number; partJobs: number }>;
}

/** What a workload's run gets: the pool, and the common options, checked. */
export interface WorkloadContext<P> {
  /** The pool (a RangeRunner where the workload allows one, see `ranges`). */
  pool: Pool;
  /** Workers asked for, at most the pool's size. */
  workers: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  onProgress?: (progress: P) => void;
  progressIntervalMs?: number;
  /** Runs a range job on the pool with the common options. */
  runRange(job: Omit<RangeJob, "signal" | "onProgress" | "workers" | "timeoutMs" | "progressIntervalMs"> & { onProgress?: RangeJob["onProgress"] }): Promise<RangeJobResult>;
}

export interface WorkloadDeclaration<O extends CommonOptions<P>, C, R, P> {
  name: string;
  /** Shown when the options are not an object, e.g. "pi({ n: 1e9 })". */
  example: string;
  /** The workload's own option names. */
  keys: readonly string[];
  /** Checks the workload's own options; returns what run needs. Runs before any pool is chosen. */
  check(options: O): C;
  /** Whether it runs on a RangeRunner (range jobs only); else such a `pool` is refused with `why`. */
  ranges?: true | { why: string };
  run(ctx: WorkloadContext<P>, config: C): Promise<Omit<R, "elapsedMs"> & { elapsedMs?: number }>;
}

/** The workload function of a declaration. */
export function defineWorkload<O extends CommonOptions<P>, C, R extends CommonResult, P = Progress>(
  decl: WorkloadDeclaration<O, C, R, P>,
): (options: O) => Promise<R> {
  const keys = [...decl.keys, ...COMMON_KEYS];
  return async (options: O): Promise<R> => {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new TypeError(`${decl.name}() takes an options object, e.g. ${decl.example}`);
    }
    check.knownKeys(decl.name, options, keys);
    const requested = options.workers === undefined ? undefined : check.integer("workers", options.workers, 1, MAX_WORKERS);
    const given = checkPool(decl, options.pool);
    const common = checkCallFields<P>(options);
    const config = decl.check(options);
    const held = given ? { pool: given, release: isPool(given) ? given.hold() : () => {} } : await holdDefaultPool(requested);
    try {
      const pool = held.pool as Pool;
      const workers = Math.min(requested ?? pool.size, pool.size);
      const started = performance.now();
      const onCluster = given !== undefined && !isPool(given);
      const cluster = { machines: 0, partJobs: 0 };
      const runner = onCluster ? countingRuns(given, cluster) as unknown as Pool : pool;
      const ctx: WorkloadContext<P> = {
        pool: runner, workers, ...common,
        runRange: (job) => runner.runRange({
          ...job, workers, signal: common.signal, timeoutMs: common.timeoutMs, progressIntervalMs: common.progressIntervalMs,
          onProgress: job.onProgress ?? (common.onProgress as RangeJob["onProgress"]),
        }),
      };
      const result = await decl.run(ctx, config);
      // a workload may time a narrower span itself (heat: the solve alone)
      return { elapsedMs: performance.now() - started, ...result, ...(onCluster ? cluster : {}) } as R;
    } finally {
      held.release();
    }
  };
}

/**
 * `runner` as the workload sees it: every range job it runs adds its part-jobs to `totals`, and
 * the most machines one job used (a workload may run several range jobs on the cluster).
 */
function countingRuns(runner: RangeRunner, totals: { machines: number; partJobs: number }): RangeRunner {
  return Object.create(runner, {
    runRange: {
      value: async (job: RangeJob) => {
        const run = await runner.runRange(job);
        totals.machines = Math.max(totals.machines, run.machines);
        totals.partJobs += run.partJobs;
        return run;
      },
    },
  }) as RangeRunner;
}

function checkPool(decl: { name: string; ranges?: true | { why: string } }, pool: unknown): Pool | RangeRunner | undefined {
  if (pool === undefined) return undefined;
  if (isPool(pool)) return pool;
  const runner = pool as RangeRunner | null;
  if (typeof runner === "object" && runner !== null && runner.kind === "cluster" && typeof runner.runRange === "function") {
    if (decl.ranges === true) return runner;
    throw invalid("pool", "a cluster", `a Pool from createPool(): ${decl.name} cannot run on a cluster (${decl.ranges?.why ?? "it needs one shared memory"})`);
  }
  throw invalid("pool", pool, "a Pool from createPool()");
}
