/**
 * Call jobs: kernel(...args) once (apply), or once per member of a team, all at once, member m
 * calling kernel(m, ...args) — for kernels that run a whole computation in one call and meet
 * through shared memory (a barrier, counters), as the heat plate does.
 *
 *   apply   a worker that dies is replaced and the call runs again, once; an abort rejects at
 *           once (the call owns no job memory), a call still queued never runs.
 *   team    a member is never retried (the others have moved on without it): the first
 *           failure calls `onFailure` at once, so the caller can release the others (abort the
 *           barrier they meet at), and members still queued are cancelled.
 */
import { progressOf, type Progress } from "../progress.js";
import type { JobSpec } from "../job.js";

export function applyJob(kernel: string, args: number[]): JobSpec<number, Progress> {
  let value = NaN;
  let sent = false;
  let finished = false;
  return {
    kernel,
    slots: 1,
    parts: 0,
    next(_slot, ref) {
      if (sent) return undefined;
      sent = true;
      return { kind: "call", kernel, args, ticket: ref?.ticket };
    },
    accept(_slot, _task, result) {
      value = (result as { value: number }).value;
      finished = true;
    },
    retry: "once",
    detachable: true,
    progress: () => progressOf(finished ? 1 : 0, 1),
    result: () => value,
  };
}

export interface TeamSpec {
  kernel: string;
  /** Kernel arguments after the member's index. */
  args: number[];
  members: number;
  onFailure?: (error: Error) => void;
  /** Progress read from the members' shared counters. */
  progress?: () => unknown;
}

export function teamJob(team: TeamSpec): JobSpec<number[], unknown> {
  const values = new Array<number>(team.members).fill(NaN);
  const started = new Uint8Array(team.members);
  return {
    kernel: team.kernel,
    slots: team.members,
    parts: 0,
    next(slot, ref) {
      if (started[slot]) return undefined;
      started[slot] = 1;
      return { kind: "call", kernel: team.kernel, args: [slot, ...team.args], ticket: ref?.ticket };
    },
    accept(slot, _task, result) {
      values[slot] = (result as { value: number }).value;
    },
    retry: "none",
    onFailure: team.onFailure,
    progress: team.progress,
    result: () => values,
  };
}
