/**
 * Parts jobs over a control block in shared memory: range jobs (kernel over the blocks of a
 * partition) and batches of map items. One lane per slot claims parts until none are left
 * (src/platform/task.ts), so a call costs a task per worker, not per part.
 *
 * A lane whose worker dies leaves its unfinished parts CLAIMED + lane in their state words:
 * they are set FREE and handed to a new lane, once; a part whose worker dies a second time
 * fails the job. A lane that died holding nothing is relaunched while parts are left, up to one
 * spare per slot.
 */
import { WorkerError, messageOf } from "../../errors.js";
import { Control, PartState, logIndex, stateIndex } from "../../platform/control-block.js";
import type { BatchTask, RangeTask, Task, TaskResult } from "../../platform/task.js";
import { sleepAsyncOn } from "../../sync/wait.js";
import type { JobSpec, LaneRef } from "../job.js";

export interface PartsSpec<R, P> {
  kernel: string;
  parts: number;
  /** Lanes (workers taking part). */
  lanes: number;
  /** The task of a lane; `retry` lists parts to run first. */
  task(ref: NonNullable<LaneRef>, retry: number[]): RangeTask | BatchTask;
  /** Called with part j as soon as it is finished (its outputs are written), in finishing order. */
  onPartDone?: (part: number) => void;
  /** A lane's result (the parts it finished; map's failFast: false, the items that threw). */
  accept?: (result: TaskResult) => void;
  progress?: (partsDone: number) => P;
  result(): R;
  release?(): void;
}

export function partsJob<R, P>(job: PartsSpec<R, P>): JobSpec<R, P> {
  const { parts, kernel } = job;
  const launched = new Uint8Array(job.lanes);
  /** 1 while the slot's last lane finished at least one part (a new lane for the slot makes progress). */
  const progressed = new Uint8Array(job.lanes);
  const retried = new Set<number>();
  let spare = job.lanes;
  let control: Int32Array | undefined;
  return {
    kernel,
    slots: job.lanes,
    parts,
    next(slot, ref) {
      if (!ref) return undefined;
      if (launched[slot]) {
        // a lane whose worker spent its maxTasksPerWorker (platform/retire.ts) stops claiming with
        // parts left: the slot goes on with a new lane (on another worker, or the replacement)
        const more = control !== undefined && progressed[slot] === 1 && Atomics.load(control, Control.CANCEL) === 0 && Atomics.load(control, Control.NEXT) < parts;
        progressed[slot] = 0;
        return more ? job.task(ref, []) : undefined;
      }
      launched[slot] = 1;
      return job.task(ref, []);
    },
    accept(_slot, _task, result) {
      progressed[_slot] = result && "parts" in result && result.parts > 0 ? 1 : 0;
      job.accept?.(result);
    },
    retry(_slot, task: Task, ref, ctl, reason) {
      if (!ref || !ctl || (task.kind !== "range" && task.kind !== "batch")) return new WorkerError(`kernel ${kernel}: a lane died`);
      const held: number[] = [];
      for (let j = 0; j < parts; j++) if (Atomics.load(ctl, stateIndex(j)) === PartState.CLAIMED + task.lane) held.push(j);
      const again = held.find((j) => retried.has(j));
      if (again !== undefined) {
        return new WorkerError(`a worker died twice while running part ${again} of kernel ${kernel} (the part was retried once): ${messageOf(reason)}`, { cause: reason });
      }
      for (const j of held) {
        retried.add(j);
        Atomics.compareExchange(ctl, stateIndex(j), PartState.CLAIMED + task.lane, PartState.FREE);
      }
      if (held.length === 0) {
        if (Atomics.load(ctl, Control.NEXT) >= parts) return undefined; // nothing it could still have done
        if (spare-- <= 0) return new WorkerError(`workers keep dying while running kernel ${kernel}: ${messageOf(reason)}`, { cause: reason });
      }
      return job.task(ref, held);
    },
    progress: job.progress && (() => job.progress!(control ? Atomics.load(control, Control.DONE) : 0)),
    watch: (ctl, stopped) => {
      control = ctl;
      return job.onPartDone && ctl ? watchCompletions(ctl, parts, job.onPartDone, stopped) : Promise.resolve();
    },
    result(ctl) {
      const done = ctl ? Atomics.load(ctl, Control.DONE) : 0;
      if (done !== parts) throw new WorkerError(`kernel ${kernel} ended with ${parts - done} of ${parts} parts unfinished`);
      return job.result();
    },
    release: job.release,
  };
}

/**
 * Reports parts as they finish, in the order they finished. A worker writes the part's log
 * entry before it increments DONE, so reading DONE before the log and waiting for DONE to
 * change from that value never misses an entry.
 */
async function watchCompletions(ctl: Int32Array, parts: number, onPartDone: (part: number) => void, stopped: Promise<void>): Promise<void> {
  let cursor = 0;
  let stop = false;
  void stopped.then(() => {
    stop = true;
    Atomics.notify(ctl, Control.DONE); // wakes the pending waitAsync below
  });
  for (;;) {
    const done = Atomics.load(ctl, Control.DONE);
    while (cursor < parts) {
      const j = Atomics.load(ctl, logIndex(parts, cursor));
      if (j < 0) break;
      cursor++;
      onPartDone(j);
    }
    if (stop || cursor === parts) return;
    await Promise.race([sleepAsyncOn(ctl, Control.DONE, done), stopped]);
  }
}


