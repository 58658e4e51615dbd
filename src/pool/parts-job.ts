/**
 * Runs one parts job (a range job or a batch of map items) on the workers: one task per lane,
 * lanes claim parts dynamically (task.ts), and this side handles what can go wrong.
 *
 *   trap      a worker reports it in-band; the cancel flag stops the other lanes at their next
 *             claim; the job rejects with a KernelError naming the kernel, the part and the trap.
 *   death     a lane's task rejects (its worker crashed, exited, ran out of memory). The parts it
 *             had claimed but not finished are found through their state words (CLAIMED + lane),
 *             set FREE again and handed to a new lane, which the backend runs on the remaining or
 *             the replacement worker. A part whose worker dies a second time fails the job.
 *   abort     the signal sets the cancel flag; lanes stop at their next claim.
 *
 * The job settles only once every lane has settled, so the caller may free the job's regions
 * as soon as it returns: no worker still writes to them.
 */
import { AbortError, KernelError, WorkerError, messageOf } from "../errors.js";
import type { SharedArena } from "../memory/arena.js";
import { Control, PartState, controlWords, initControl, logIndex, stateIndex } from "./job-control.js";
import type { Task, TaskResult } from "./task.js";

/** What a job needs from its pool. */
export interface JobHost {
  readonly arena: SharedArena;
  readonly isClosed: boolean;
  runTask(task: Task): Promise<TaskResult>;
}

export interface PartsJobSpec {
  kernel: string;
  parts: number;
  /** Lanes to start (workers taking part). */
  lanes: number;
  /** The task of one lane; `control` is the byte offset of the job's control block. */
  makeTask(lane: number, control: number, retry: number[]): Task;
  signal?: AbortSignal;
  /** Called with part j as soon as it is finished (its outputs are written). */
  onPartDone?: (part: number) => void;
  /** Called with the number of finished parts, at most every `progressIntervalMs`. */
  onProgress?: (partsDone: number) => void;
  progressIntervalMs?: number;
}

export async function runPartsJob(host: JobHost, job: PartsJobSpec): Promise<void> {
  const { parts, kernel } = job;
  if (job.signal?.aborted) throw new AbortError(job.signal.reason);
  const ctl = host.arena.alloc(Int32Array, controlWords(parts));
  initControl(ctl, parts);
  let failure: Error | undefined;
  const fail = (e: Error): void => {
    failure ??= e;
    Atomics.store(ctl, Control.CANCEL, 1);
  };
  const retried = new Set<number>();
  // lanes that may be relaunched after a death that held no part (a worker dying between parts)
  let spareLanes = job.lanes;
  let nextLane = 0;
  const running = new Set<Promise<void>>();

  const onLaneDied = (lane: number, reason: unknown): void => {
    if (host.isClosed) return fail(new WorkerError(`the pool was closed while kernel ${kernel} was running`, { cause: reason }));
    if (failure) return;
    const held: number[] = [];
    for (let j = 0; j < parts; j++) if (Atomics.load(ctl, stateIndex(j)) === PartState.CLAIMED + lane) held.push(j);
    const again = held.find((j) => retried.has(j));
    if (again !== undefined) {
      return fail(new WorkerError(`a worker died twice while running part ${again} of kernel ${kernel} (the part was retried once): ${messageOf(reason)}`, { cause: reason }));
    }
    for (const j of held) {
      retried.add(j);
      Atomics.compareExchange(ctl, stateIndex(j), PartState.CLAIMED + lane, PartState.FREE);
    }
    if (held.length === 0) {
      if (Atomics.load(ctl, Control.NEXT) >= parts) return; // nothing it could still have done
      if (spareLanes-- <= 0) return fail(new WorkerError(`workers keep dying while running kernel ${kernel}: ${messageOf(reason)}`, { cause: reason }));
    }
    launch(held);
  };

  const launch = (retry: number[]): void => {
    const lane = nextLane++;
    const settled: Promise<void> = host.runTask(job.makeTask(lane, ctl.byteOffset, retry)).then(
      (r) => {
        if (r && "trap" in r) fail(new KernelError(kernel, r.part, r.trap));
      },
      (e: unknown) => onLaneDied(lane, e),
    ).finally(() => running.delete(settled));
    running.add(settled);
  };

  const onAbort = (): void => fail(new AbortError(job.signal!.reason));
  job.signal?.addEventListener("abort", onAbort, { once: true });
  const stop = stopSignal(ctl);
  const watching = job.onPartDone || job.onProgress ? watchCompletions(ctl, job, stop) : Promise.resolve();
  const stopWatching = (): void => stop.stop();
  try {
    for (let i = 0; i < job.lanes; i++) launch([]);
    // lanes started after a death join the set while we wait
    while (running.size > 0) await Promise.allSettled([...running]);
    stopWatching();
    await watching;
    if (!failure && Atomics.load(ctl, Control.DONE) !== parts) {
      failure = new WorkerError(`kernel ${kernel} ended with ${parts - Atomics.load(ctl, Control.DONE)} of ${parts} parts unfinished`);
    }
  } finally {
    stopWatching();
    job.signal?.removeEventListener("abort", onAbort);
    host.arena.free(ctl);
  }
  if (failure) throw failure;
}

/**
 * Reports parts as they finish, in the order they finished. A worker writes the part's log
 * entry before it increments DONE, so reading DONE before the log and waiting for DONE to
 * change from that value never misses an entry.
 */
async function watchCompletions(ctl: Int32Array, job: PartsJobSpec, stop: StopSignal): Promise<void> {
  const { parts } = job;
  const interval = job.progressIntervalMs ?? 100;
  let cursor = 0;
  let lastReport = -Infinity;
  for (;;) {
    const done = Atomics.load(ctl, Control.DONE);
    const before = cursor;
    while (cursor < parts) {
      const j = Atomics.load(ctl, logIndex(parts, cursor));
      if (j < 0) break;
      cursor++;
      job.onPartDone?.(j);
    }
    if (job.onProgress && cursor > before && performance.now() - lastReport >= interval) {
      lastReport = performance.now();
      job.onProgress(cursor);
    }
    if (stop.stopped || cursor === parts) return;
    const wait = Atomics.waitAsync(ctl, Control.DONE, done);
    if (wait.async) await Promise.race([wait.value, stop.promise]);
  }
}

interface StopSignal { stopped: boolean; promise: Promise<void>; stop(): void }

/** Ends the watcher: also wakes its pending waitAsync, so none outlives the control block. */
function stopSignal(ctl: Int32Array): StopSignal {
  let resolve!: () => void;
  const signal: StopSignal = {
    stopped: false,
    promise: new Promise<void>((r) => { resolve = r; }),
    stop() {
      if (signal.stopped) return;
      signal.stopped = true;
      Atomics.notify(ctl, Control.DONE);
      resolve();
    },
  };
  return signal;
}