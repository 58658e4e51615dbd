/**
 * Per-worker statistics in shared memory. Each worker takes an id (its start order, from the
 * ready counter) and alone writes its slot of STATS_FIELDS Float64 words; the pool only reads.
 * Workers started beyond STATS_SLOTS (after hundreds of replacements) are not recorded.
 */
export const StatsField = {
  /** The worker's thread id, to tell whether it is still alive. */
  THREAD_ID: 0,
  /** Tasks the worker has run (one per lane of a call, not one per item). */
  TASKS: 1,
  /** Milliseconds spent running tasks. */
  BUSY_MS: 2,
} as const;

export const STATS_FIELDS = 4;
export const STATS_SLOTS = 1024;

export interface WorkerStats {
  /** Start order: 0..size−1 for the first workers, then replacements. */
  id: number;
  threadId: number;
  alive: boolean;
  tasksRun: number;
  busyMs: number;
}

export interface PoolStats {
  /** Worker threads the pool keeps running. */
  workers: number;
  /** Tasks run by all workers, dead ones included. */
  tasksRun: number;
  /** Tasks waiting for a free worker. */
  queueLength: number;
  /** Workers started so far, replacements included. */
  workersStarted: number;
  /** Workers started to replace dead ones. */
  workersReplaced: number;
  perWorker: WorkerStats[];
}

/** Records one task in the worker's slot (run in the worker). */
export function recordTask(stats: Float64Array, id: number, busyMs: number): void {
  if (id >= STATS_SLOTS) return;
  stats[id * STATS_FIELDS + StatsField.TASKS]! += 1;
  stats[id * STATS_FIELDS + StatsField.BUSY_MS]! += busyMs;
}

/** Forgets the tasks of the pool's own warm-up (src/pool/path-warm-up.ts), once every worker is idle. */
export function clearTaskCounts(stats: Float64Array, ids: number): void {
  for (let id = 0; id < Math.min(ids, STATS_SLOTS); id++) {
    stats[id * STATS_FIELDS + StatsField.TASKS] = 0;
    stats[id * STATS_FIELDS + StatsField.BUSY_MS] = 0;
  }
}

/** `started`: workers ready so far; `ids`: ids handed out (a worker takes its id before it is ready). */
export function readStats(stats: Float64Array, started: number, ids: number, size: number, queueLength: number, live: ReadonlySet<number> | undefined): PoolStats {
  const perWorker: WorkerStats[] = [];
  let tasksRun = 0;
  for (let id = 0; id < Math.min(ids, STATS_SLOTS); id++) {
    const base = id * STATS_FIELDS;
    const threadId = stats[base + StatsField.THREAD_ID]!;
    if (threadId === 0) continue; // still starting (worker thread ids start at 1)
    const tasks = stats[base + StatsField.TASKS]!;
    tasksRun += tasks;
    perWorker.push({ id, threadId, alive: live ? live.has(threadId) : true, tasksRun: tasks, busyMs: stats[base + StatsField.BUSY_MS]! });
  }
  return { workers: size, tasksRun, queueLength, workersStarted: started, workersReplaced: Math.max(0, started - size), perWorker };
}
