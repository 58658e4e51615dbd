/**
 * maxTasksPerWorker (Python's maxtasksperchild): each worker has a budget of tasks, counted as
 * Python counts them — a call, a team member or an iterate lane is one task, and so is each
 * part of a map or range job (Python's map chunks), since one worker task claims many parts.
 * A parts lane stops claiming when its worker's budget runs out (the job hands the parts left
 * to a new lane, src/pool/jobs/parts.ts); after the task that spent the budget the worker
 * retires and is replaced as a dead one is (its replacement runs the initializer again).
 *
 * The worker counts, since only it knows how many parts its lane claimed. Node: its last result
 * goes back wrapped as Retiring; tinypool may already have posted the next task to it, so a
 * retired worker refuses every task without running it (Refused: no ticket claimed, nothing
 * touched), and the backend runs refused tasks again elsewhere. Browsers: the backend posts one
 * task at a time per worker, so it replaces the worker before posting another.
 */
import type { TaskBudget, TaskResult } from "./task.js";

/** A retired worker's answer to a task it did not run. */
export interface Refused { refused: true }

/** A worker's last task: its result, and the worker's thread id (Node). */
export interface Retiring { retiring: number; result: TaskResult }

export const REFUSED: Refused = { refused: true };

export function isRefused(r: unknown): r is Refused {
  return typeof r === "object" && r !== null && "refused" in r;
}

export function isRetiring(r: unknown): r is Retiring {
  return typeof r === "object" && r !== null && "retiring" in r;
}

/** A budget of `max` tasks, or undefined for no limit. */
export function budgetOf(max: number | undefined): TaskBudget | undefined {
  return max === undefined ? undefined : { left: max };
}

/** Whether the worker has spent its budget and must retire. */
export function spent(budget: TaskBudget | undefined): boolean {
  return budget !== undefined && budget.left <= 0;
}
