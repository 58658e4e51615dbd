/**
 * Iterate jobs (Pool.iterate): one long task per lane runs the user's step kernel
 * `(lane, lanes, iteration[, phase], ...args) → number` again and again; after each step the lanes meet
 * at a barrier in shared memory, the last to arrive reduces their values in lane order and
 * decides whether to go on (src/platform/iterate-lane.ts). A lane is never retried (the others
 * wait for it at the barrier): the first failure, an abort or a timeout stops every lane at its
 * next barrier.
 */
import { WorkerError } from "../../errors.js";
import { IterateStatus, IterateWord, VALUE_BYTE, stopIterate } from "../../platform/iterate-block.js";
import type { IterateTaskFields } from "../../platform/iterate-lane.js";
import type { JobSpec } from "../job.js";

export interface IterateProgress {
  /** Iterations done (of `phases` steps each). */
  done: number;
  /** maxIterations. */
  total: number;
  fraction: number;
  /** Iterations done (as done). */
  iteration: number;
  /** The latest reduced value. */
  value: number;
}

export interface IterateOutcome {
  iterations: number;
  value: number;
  converged: boolean;
}

export function iterateJob(fields: Omit<IterateTaskFields, "lane">, block: Int32Array): JobSpec<IterateOutcome, IterateProgress> {
  const started = new Uint8Array(fields.lanes);
  const value = new Float64Array(block.buffer, block.byteOffset + VALUE_BYTE, 1);
  const read = (): { iterations: number; value: number } => ({ iterations: Atomics.load(block, IterateWord.ITERATIONS), value: value[0]! });
  return {
    kernel: fields.kernel,
    slots: fields.lanes,
    parts: 0,
    next(slot, ref) {
      if (started[slot]) return undefined;
      started[slot] = 1;
      return { kind: "iterate", ...fields, lane: slot, ticket: ref?.ticket };
    },
    accept() {
      if (Atomics.load(block, IterateWord.STATUS) === IterateStatus.TIMED_OUT) {
        throw new WorkerError(`iterate: a lane of ${fields.kernel} waited at the step barrier for more than barrierTimeoutMs = ${fields.barrierTimeoutMs} ms; ` +
          "another lane died or was held up (are there fewer free workers than lanes?)");
      }
    },
    retry: "none",
    onFailure: () => stopIterate(block, IterateStatus.CANCELLED),
    progress() {
      const { iterations, value: v } = read();
      return { done: iterations, total: fields.maxIterations, fraction: Math.min(1, iterations / fields.maxIterations), iteration: iterations, value: v };
    },
    result() {
      const status = Atomics.load(block, IterateWord.STATUS);
      if (status !== IterateStatus.CONVERGED && status !== IterateStatus.ITERATION_LIMIT) {
        throw new WorkerError(`iterate: the lanes of ${fields.kernel} ended without finishing (status ${status})`);
      }
      return { ...read(), converged: status === IterateStatus.CONVERGED };
    },
  };
}
