/**
 * What the pool needs from a place to run tasks: the one adapter each platform writes. Backends:
 * tinypool worker threads (Node, tinypool-backend.ts), Web Workers (browsers, web-backend.ts),
 * and the calling thread (inline-backend.ts). Both worker backends behave the same on faults: a
 * worker that dies rejects its running task and is replaced, and the pool (src/pool/job.ts)
 * decides what to retry.
 */
import type { Task, TaskResult } from "./task.js";

export interface Backend {
  /** Threads that run tasks at once. */
  readonly size: number;
  run(task: Task): Promise<TaskResult>;
  /** Ends the workers at once; tasks still running or queued reject. */
  close(): Promise<void>;
  /**
   * False when the workers cannot see the pool's memory (a browser page that is not
   * cross-origin isolated): each has a private memory, range jobs that allow it go to them
   * run by run through `runOn` (src/pool/jobs/private-parts.ts), and everything else runs
   * inline. Default true.
   */
  readonly sharesMemory?: boolean;
  /** Runs a task on worker `worker` (0 ≤ worker < size), after the tasks already queued there. */
  runOn?(worker: number, task: Task): Promise<TaskResult>;
  /** Tasks waiting for a free worker (for Pool.stats). */
  readonly queueSize?: number;
  /** Thread ids of the live workers, matched against the ids workers record in the stats block. */
  liveThreadIds?(): number[];
  /** Resolves with the first error of any worker, so that a pool whose workers cannot start fails fast. */
  readonly firstWorkerError?: Promise<Error>;
}
