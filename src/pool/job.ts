/**
 * The one job runner. Every pool call (apply, map and friends, mapReduce and range jobs, team
 * jobs, private-memory range jobs) is a JobSpec (src/pool/jobs/) run here, so each concern is
 * written once:
 *
 *   abort      checked before anything starts; the signal, a timeout and a failure all end the
 *              job the same way: the cancel flag in the control block stops running lanes at
 *              their next kernel call, lanes still queued are cancelled and never run.
 *   lanes      the spec hands out tasks per lane slot (`next`); the runner launches them on the
 *              placement and settles only once every lane has settled (a cancelled lane counts
 *              as settled: it will never touch the job's memory).
 *   failures   a trap is a KernelError, a dead worker a WorkerError; the first failure wins, but
 *              a KernelError wins over the WorkerErrors it caused; an onProgress that throws
 *              fails the job with what it threw.
 *   retry      "none" (team members: the others moved on), "once" (a task whose worker died
 *              runs again once), or the spec's own `reclaim` (parts jobs hand a dead lane's
 *              unfinished parts to a new lane).
 *   progress   one ticker at progressIntervalMs, and a final report on success.
 *   memory     the control block, and the spec's own regions (`release`), are freed once no
 *              lane can touch them any more, even when the job has already rejected.
 *
 *   call ──▶ spec ──▶ runJob ──▶ placement (workers | calling thread | private workers)
 *                        ▲                 │
 *                        └── lane results ◀┘
 */
import { AbortError, KernelError, TimeoutError, WorkerError, messageOf } from "../errors.js";
import { Control, controlWords, initControl, type ControlRef } from "../platform/control-block.js";
import type { Task, TaskResult, TaskTrap } from "../platform/task.js";
import type { Placement } from "./placement.js";

/** Options every call takes, checked by the caller (options.ts). */
export interface RunOptions<P> {
  signal?: AbortSignal;
  timeoutMs?: number;
  onProgress?: (progress: P) => void;
  progressIntervalMs?: number;
}

/** What a lane's task needs to find its ticket and its job's control block (absent for private placements). */
export type LaneRef = ControlRef | undefined;

export interface JobSpec<R, P> {
  /** Kernel name, for messages. */
  kernel: string;
  /** Lane slots: tasks that may run at once. */
  slots: number;
  /** Parts in the control block (0: the job needs none). */
  parts: number;
  /** The next task of a slot, or undefined when that slot has nothing left to do. */
  next(slot: number, ref: LaneRef): Task | undefined;
  /** A task's result (not a trap, not a cancel). */
  accept?(slot: number, task: Task, result: TaskResult): void;
  /** "none", "once" (per task), or a function that may return the task to run after a death. */
  retry: "none" | "once" | ((slot: number, task: Task, ref: LaneRef, control: Int32Array | undefined, reason: unknown) => Task | undefined | Error);
  /** Called once, at the first failure, while other lanes may still run (e.g. abort a barrier). */
  onFailure?(error: Error): void;
  /** Reads the progress to report. */
  progress?(): P;
  /** Runs beside the lanes until `stopped` resolves (parts jobs: per-part completion callbacks). */
  watch?(control: Int32Array | undefined, stopped: Promise<void>): Promise<void>;
  /** The job's result, once every lane has settled without failure. */
  result(control: Int32Array | undefined): R;
  /** Frees the spec's own regions; called once no lane can touch them. */
  release?(): void;
  /**
   * A call whose running lane owns no job memory: on abort or timeout it rejects at once, and
   * the lane runs to its end unobserved (a wasm call cannot be interrupted).
   */
  detachable?: boolean;
}

interface Lane {
  slot: number;
  lane: number;
  ticket: number | undefined;
  task: Task;
  retried: boolean;
}

export async function runJob<R, P>(placement: Placement, spec: JobSpec<R, P>, options: RunOptions<P>): Promise<R> {
  const { signal } = options;
  if (signal?.aborted) throw new AbortError(signal.reason);
  const { tickets } = placement;
  const control = spec.parts > 0 && placement.reachesMemory ? placement.allocControl(controlWords(spec.parts)) : undefined;
  if (control) initControl(control, spec.parts);
  let failure: Error | undefined;
  let nextLane = 0;
  /** Tasks sent again because no worker had started them (onDeath). */
  let neverStarted = 0;
  /** Lanes that may still touch the job's memory: launched, not settled, not cancelled before they started. */
  const running = new Set<Lane>();
  let finished = false;
  let freed = false;
  let wake!: () => void;
  const idle = new Promise<void>((resolve) => { wake = resolve; });
  let detached = false;

  const freeMemory = (): void => {
    if (freed) return;
    freed = true;
    spec.release?.();
    if (control) placement.freeControl(control);
  };
  const checkIdle = (): void => {
    if (running.size > 0 && !detached) return;
    wake();
    if (finished && running.size === 0) freeMemory();
  };

  const fail = (e: Error): void => {
    if (failure && !(e instanceof KernelError && failure instanceof WorkerError)) return;
    const first = !failure;
    failure = e;
    if (!first) return;
    if (control) {
      Atomics.store(control, Control.CANCEL, 1);
      Atomics.notify(control, Control.DONE);
    }
    if (tickets) for (const l of running) if (l.ticket !== undefined && tickets.cancel(l.ticket)) running.delete(l);
    try {
      spec.onFailure?.(e);
    } catch {
      // the first failure is what the caller hears about
    }
    if (spec.detachable && !(e instanceof KernelError)) detached = true;
    checkIdle();
  };

  const launch = (slot: number, lane: number, ticket: number | undefined, task: Task | undefined, retried: boolean): void => {
    if (!task || failure) {
      if (ticket !== undefined) tickets!.release(ticket);
      return;
    }
    const entry: Lane = { slot, lane, ticket, task, retried };
    running.add(entry);
    placement.run(slot, task).then(
      (result) => {
        running.delete(entry);
        if (result && "trap" in result) fail(kernelError(spec.kernel, result));
        else if (!failure && !(result && "cancelled" in result)) {
          try {
            spec.accept?.(slot, task, result);
          } catch (e) {
            return fail(e instanceof Error ? e : new Error(String(e)));
          }
          launchNext(slot);
        }
      },
      (e: unknown) => {
        running.delete(entry);
        onDeath(entry, e);
      },
    ).finally(() => {
      // the task has settled: no worker will read its ticket again
      if (ticket !== undefined) tickets!.release(ticket);
      checkIdle();
    });
  };

  /** A new lane: its number, its ticket, and what its task needs to find them. */
  const newLane = (): { lane: number; ticket: number | undefined; ref: LaneRef } => {
    const lane = nextLane++;
    const ticket = tickets?.take();
    return { lane, ticket, ref: ticket === undefined ? undefined : { ticket, control: control?.byteOffset ?? 0, parts: spec.parts, lane } };
  };

  /** The slot's next task, if the spec has one, on a new lane. */
  const launchNext = (slot: number): void => {
    const { lane, ticket, ref } = newLane();
    launch(slot, lane, ticket, spec.next(slot, ref), false);
  };

  const onDeath = (entry: Lane, reason: unknown): void => {
    if (placement.closed) return fail(placement.closedError(spec.kernel, reason));
    if (failure) return;
    const { slot, task } = entry;
    // A task rejected before any worker started it ran nothing (its ticket still PENDING):
    // tinypool hands a queued task to a worker it is ending (one that died after answering, a
    // retired one), then rejects it with "Terminating worker thread". It goes out again on a new
    // lane, not counted as a death (which would spend a retry or fail the call); bounded, for a
    // pool whose workers cannot start at all.
    if (entry.ticket !== undefined && neverStarted < 2 * spec.slots + 2 && task.kind !== "iterate" && task.kind !== "private-range" &&
        tickets!.cancel(entry.ticket)) {
      neverStarted++;
      const { lane, ticket, ref } = newLane();
      return launch(slot, lane, ticket, relaunch(task, ref), entry.retried);
    }
    if (spec.retry === "none") {
      return fail(new WorkerError(`the worker running lane ${slot} of kernel ${spec.kernel} died: ${messageOf(reason)}`, { cause: reason }));
    }
    if (spec.retry === "once" && entry.retried) {
      return fail(new WorkerError(`a worker died twice while running kernel ${spec.kernel} (the call was retried once): ${messageOf(reason)}`, { cause: reason }));
    }
    const { lane, ticket, ref } = newLane();
    if (spec.retry === "once") return launch(slot, lane, ticket, retarget(task, ref), true);
    const again = spec.retry(slot, task, ref, control, reason);
    if (again instanceof Error) {
      if (ticket !== undefined) tickets!.release(ticket);
      return fail(again);
    }
    launch(slot, lane, ticket, again, false);
  };

  const onAbort = (): void => fail(new AbortError(signal!.reason));
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = options.timeoutMs === undefined ? undefined
    : setTimeout(() => fail(new TimeoutError(spec.kernel, options.timeoutMs!)), options.timeoutMs);
  let report: (() => void) | undefined;
  if (options.onProgress && spec.progress) {
    const onProgress = options.onProgress;
    const progress = spec.progress;
    report = () => {
      try {
        onProgress(progress());
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
      }
    };
  }
  // a timeout chained after each report, not setInterval: an interval callback that ran late is
  // followed by one that runs early (Node reschedules from the list's start), and the reports
  // are promised to be at least progressIntervalMs apart
  const intervalMs = options.progressIntervalMs ?? 100;
  let ticker: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    report!();
    if (ticker !== undefined) ticker = setTimeout(tick, intervalMs);
  };
  if (report) ticker = setTimeout(tick, intervalMs);
  let stopWatch = (): void => {};
  const watching = spec.watch && spec.watch(control, new Promise<void>((resolve) => { stopWatch = resolve; }))
    .catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
  try {
    for (let slot = 0; slot < spec.slots && !failure; slot++) launchNext(slot);
    checkIdle();
    await idle;
    stopWatch();
    if (watching) await watching;
    if (failure) throw failure;
    const result = spec.result(control);
    report?.();
    if (failure) throw failure;
    return result;
  } finally {
    stopWatch();
    if (ticker !== undefined) clearTimeout(ticker);
    ticker = undefined;
    if (timer) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    finished = true;
    // a detached lane may still be running: the memory outlives it
    if (running.size === 0) freeMemory();
  }
}

/**
 * The same call for a new lane (retry "once" after a death). Only apply's call spec retries
 * "once"; parts jobs reclaim a dead lane's parts through their own retry, and teams and
 * iterate do not retry. A spec that retried another kind this way would send a stale ticket.
 */
function retarget(task: Task, ref: LaneRef): Task {
  if (task.kind !== "call") throw new Error(`retry "once" is for call tasks, not ${task.kind} tasks`);
  return relaunch(task, ref);
}

/** The same task on a new lane that no worker had started: its ticket, and a parts task's lane in the control block. */
function relaunch(task: Task, ref: LaneRef): Task {
  if (ref && (task.kind === "range" || task.kind === "batch")) return { ...task, ...ref };
  if (task.kind === "call") return { ...task, ticket: ref?.ticket };
  return task;
}

/** Error classes every thread has: a cause of one of these is rebuilt as its own class. */
const BUILT_IN: Record<string, ErrorConstructor> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, RuntimeError: WebAssembly.RuntimeError as ErrorConstructor,
};

/**
 * A trap as the caller sees it: the error the worker caught (its name, message and stack) is the
 * cause; a built-in class comes back as itself, a user's class as an Error with the class's name.
 */
export function kernelError(kernel: string, trap: TaskTrap): KernelError {
  const cause = new (trap.errorName !== undefined && Object.hasOwn(BUILT_IN, trap.errorName) ? BUILT_IN[trap.errorName]! : Error)(trap.errorMessage ?? trap.trap);
  if (trap.errorName) cause.name = trap.errorName;
  if (trap.stack) cause.stack = trap.stack;
  return new KernelError(kernel, trap.part, trap.trap, trap.stack, { cause });
}
