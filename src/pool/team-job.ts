/**
 * A team job: `workers` tasks that all run at once, member m calling kernel(m, ...args) once —
 * for kernels that run a whole computation in one call and coordinate through shared memory
 * (a barrier, counters), such as the heat plate's heatSolve. Progress and cancellation go
 * through words the kernel reads and writes; this side only runs the members and reports how
 * they ended.
 *
 *   trap   the member reports it in-band; onFailure is called at once, so the caller can
 *          release the others (abort the barrier they meet at); the job rejects with a
 *          KernelError naming the member as its part.
 *   death  the member's task rejects; onFailure as for a trap; WorkerError. A member is not
 *          retried: the others have moved on without it.
 *
 * The job settles only once every member has settled, so the caller may free the job's regions
 * as soon as it returns. Team jobs of one pool run one after another: members of two teams
 * sharing too few workers would each wait at their barrier for members queued behind the other.
 */
import { KernelError, WorkerError, messageOf } from "../errors.js";
import * as check from "../validate.js";
import type { JobHost } from "./parts-job.js";
import type { TaskResult } from "./task.js";

export interface TeamJob {
  kernel: string;
  /** Kernel arguments after the member's index. */
  args?: number[];
  /** Members, one per worker thread, at most the pool's size. */
  workers: number;
  /**
   * Called once, as soon as a member fails (its kernel trapped or its worker died), while the
   * others may still be running: release them here (e.g. abort the barrier they meet at).
   */
  onFailure?: (error: KernelError | WorkerError) => void;
}

export interface TeamJobResult {
  /** Each member's return value, by member index. */
  values: number[];
  workers: number;
}

export interface TeamHost extends JobHost {
  readonly size: number;
}

/** Per pool: settles when its latest team job has ended. */
const turns = new WeakMap<TeamHost, Promise<unknown>>();

export function runTeamJob(host: TeamHost, job: TeamJob): Promise<TeamJobResult> {
  const workers = check.integer("workers", job.workers, 1, host.size);
  const args = job.args ?? [];
  const turn = (turns.get(host) ?? Promise.resolve()).then(() => runMembers(host, job.kernel, args, workers, job.onFailure));
  turns.set(host, turn.catch(() => undefined));
  return turn;
}

async function runMembers(host: TeamHost, kernel: string, args: number[], workers: number, onFailure: TeamJob["onFailure"]): Promise<TeamJobResult> {
  let failure: KernelError | WorkerError | undefined;
  const fail = (error: KernelError | WorkerError): never => {
    if (!failure) {
      failure = error;
      onFailure?.(error);
    }
    throw error;
  };
  const outcomes = await Promise.allSettled(Array.from({ length: workers }, async (_, member) => {
    let result: TaskResult;
    try {
      result = await host.runTask({ kind: "call", kernel, args: [member, ...args] });
    } catch (e) {
      return fail(new WorkerError(`the worker running member ${member} of ${kernel} failed: ${messageOf(e)}`, { cause: e }));
    }
    if (result && "trap" in result) return fail(new KernelError(kernel, member, result.trap));
    return (result as { value: number }).value;
  }));
  if (failure) throw failure;
  return { values: outcomes.map((o) => (o as PromiseFulfilledResult<number>).value), workers };
}
