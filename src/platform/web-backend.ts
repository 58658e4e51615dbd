/**
 * Web Workers (module workers), each holding one instance of the kernels. On a cross-origin
 * isolated page they share the pool's memory, as tinypool's threads do in Node; elsewhere a
 * shared memory cannot be posted to a worker, so each has a private one (sharesMemory false).
 *
 * Each worker runs one task at a time; tasks wait in the worker's queue. The main thread never
 * blocks: every wait is a message or a promise.
 */
import { WorkerError } from "../errors.js";
import type { BackendInit } from "../platform/platform.js";
import type { Backend } from "./backend.js";
import { signalReady, takeWorkerId } from "./ready.js";
import { STATS_FIELDS, STATS_SLOTS, StatsField, recordTask } from "./stats.js";
import type { Task, TaskResult } from "./task.js";
import type { WebWorkerInit, WebWorkerReply } from "./web-worker.js";

interface Pending {
  task: Task;
  resolve(result: TaskResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The worker's id in the pool's ready counter and statistics block, once it is ready. */
  id?: number;
  queue: Pending[];
  running?: Pending;
  /** Why the worker is unusable, once it is. */
  broken?: Error;
}

/**
 * Starts one worker running web-worker.ts (its `name` shows in the browser's tools); supplied by
 * the platform, which knows where the script is: a file bundlers emit, or a Blob URL of an
 * embedded copy (platform/browser-files.ts, platform/browser-embedded.ts). `hint` ends the message
 * of a worker that cannot start.
 */
export interface WorkerStarter {
  start(name: string): Worker;
  hint: string;
}

export class WebWorkerBackend implements Backend {
  readonly size: number;
  readonly sharesMemory: boolean;
  readonly firstWorkerError: Promise<Error>;
  private readonly slots: Slot[] = [];
  private reportError!: (error: Error) => void;
  private closed = false;
  private readonly stats: Float64Array;

  constructor(private readonly init: BackendInit, sharesMemory: boolean, private readonly starter: WorkerStarter) {
    this.size = init.size;
    this.sharesMemory = sharesMemory;
    this.firstWorkerError = new Promise<Error>((resolve) => { this.reportError = resolve; });
    this.stats = new Float64Array(init.memory.buffer, init.statsOffset, STATS_SLOTS * STATS_FIELDS);
    for (let i = 0; i < init.size; i++) this.slots.push(this.spawn(i, []));
  }

  /**
   * Starts the worker of slot i. A worker that dies after it was ready is replaced in the same
   * slot, as tinypool replaces a dead thread: its running task rejects (the pool decides what to
   * retry) and the tasks queued behind it run on the replacement. One that cannot start is not
   * replaced (it would fail again): the pool's start-up fails with its error.
   */
  private spawn(i: number, queue: Pending[]): Slot {
    const { memory, setup, readyCounter } = this.init;
    const worker = this.starter.start(`wasm-mp worker ${i}`);
    const slot: Slot = { worker, queue };
    let ready = false;
    /** A new worker in this slot, taking over its queue. */
    const replace = (): void => {
      const replacement = this.spawn(i, slot.queue);
      slot.queue = [];
      this.slots[i] = replacement;
    };
    const died = (error: Error): void => {
      if (slot.broken) return;
      if (!ready || this.closed) return this.breakSlot(slot, error);
      this.breakSlot(slot, error, true);
      replace();
    };
    worker.onmessage = (event: MessageEvent<WebWorkerReply>) => {
      const reply = event.data;
      if (reply.type === "ready") {
        ready = true;
        // done here, not in the worker, since a private-memory worker cannot reach these words;
        // the "thread id" of a Web Worker is its start order + 1 (ids start at 1, see stats.ts)
        slot.id = takeWorkerId(memory, readyCounter);
        if (slot.id < STATS_SLOTS) this.stats[slot.id * STATS_FIELDS + StatsField.THREAD_ID] = slot.id + 1;
        signalReady(memory, readyCounter);
        this.pump(slot);
      } else if (reply.type === "failed") {
        this.breakSlot(slot, new WorkerError(`Web Worker ${i} could not start: ${reply.message}`));
      } else {
        const done = slot.running;
        slot.running = undefined;
        if (slot.id !== undefined) recordTask(this.stats, slot.id, reply.busyMs);
        if (reply.type === "result") done?.resolve(reply.result);
        else done?.reject(new WorkerError(`Web Worker ${i}: ${reply.message}`));
        if (reply.type === "result" && reply.retire && !this.closed) {
          // maxTasksPerWorker (retire.ts): nothing else was posted to it; a fresh worker takes its queue
          this.breakSlot(slot, new WorkerError(`Web Worker ${i} retired (maxTasksPerWorker)`), true);
          return replace();
        }
        this.pump(slot);
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const what = ready ? "failed" : `could not start (${this.starter.hint})`;
      died(new WorkerError(`Web Worker ${i} ${what}: ${event.message || "an error event"}`));
    };
    worker.onmessageerror = () => {
      died(new WorkerError(`Web Worker ${i} received a message it could not read`));
    };
    const message: WebWorkerInit = { memory: this.sharesMemory ? memory : undefined, setup };
    worker.postMessage(message);
    return slot;
  }

  /** Tasks waiting for a free worker (Pool.stats). */
  get queueSize(): number {
    return this.slots.reduce((n, slot) => n + slot.queue.length, 0);
  }

  /** The "thread ids" (start order + 1) of the workers still running (Pool.stats). */
  liveThreadIds(): number[] {
    return this.slots.flatMap((slot) => (slot.broken || slot.id === undefined ? [] : [slot.id + 1]));
  }

  /** Runs the task on the least busy worker. */
  run(task: Task): Promise<TaskResult> {
    let best = -1;
    let bestLoad = Infinity;
    this.slots.forEach((slot, i) => {
      const load = slot.queue.length + (slot.running ? 1 : 0);
      if (!slot.broken && load < bestLoad) { best = i; bestLoad = load; }
    });
    if (best < 0) return Promise.reject(this.closed ? closedError() : this.slots[0]?.broken ?? new WorkerError("no Web Worker is running"));
    return this.runOn(best, task);
  }

  runOn(worker: number, task: Task): Promise<TaskResult> {
    const slot = this.slots[worker];
    if (!slot) return Promise.reject(new RangeError(`no worker ${worker} in a pool of ${this.size}`));
    if (slot.broken) return Promise.reject(slot.broken);
    return new Promise<TaskResult>((resolve, reject) => {
      slot.queue.push({ task, resolve, reject });
      this.pump(slot);
    });
  }

  /** Ends one worker as if it had crashed (tests of the fault path: a page cannot kill a worker otherwise). */
  crash(worker: number): void {
    const slot = this.slots[worker];
    slot?.worker.onerror?.(new ErrorEvent("error", { message: "crashed on purpose" }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) this.breakSlot(slot, closedError());
  }

  private pump(slot: Slot): void {
    if (slot.running || slot.broken || slot.id === undefined) return;
    const next = slot.queue.shift();
    if (!next) return;
    slot.running = next;
    try {
      slot.worker.postMessage(next.task);
    } catch (e) {
      slot.running = undefined;
      next.reject(e instanceof Error ? e : new Error(String(e)));
      this.pump(slot);
    }
  }

  /**
   * Ends a worker that failed (or the pool closing): its running task rejects, and so do its
   * queued ones unless `keepQueue` (a replacement takes them).
   */
  private breakSlot(slot: Slot, error: Error, keepQueue = false): void {
    if (slot.broken) return;
    slot.broken = error;
    slot.worker.terminate();
    slot.running?.reject(error);
    slot.running = undefined;
    if (!keepQueue) {
      for (const p of slot.queue) p.reject(error);
      slot.queue = [];
      if (!this.closed) this.reportError(error);
    }
  }
}

let warned = false;

/** Says once, on the console, what a page that is not cross-origin isolated loses, and which headers would change that. */
export function warnNotIsolated(headers: string): void {
  if (warned) return;
  warned = true;
  console.warn("wasm-mp: this page is not cross-origin isolated, so its workers cannot share memory. " +
    "Range jobs that declare what they read and write (pi, monteCarloPi, leibniz, countPrimes) run on workers with private memories; " +
    "everything else (primes lists, pool.apply/map/mapReduce, your kernels on pool.alloc arrays) runs in the calling thread. " +
    `To share memory, serve the page with the headers ${headers}.`);
}

function closedError(): Error {
  return new WorkerError("the pool is closed");
}
