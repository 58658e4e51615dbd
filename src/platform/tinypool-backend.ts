/**
 * Worker threads through tinypool, each holding one instance of the module over the shared memory:
 * the Node adapter of Backend. Every workaround of tinypool's behaviour lives here, and
 * test/platform/tinypool-upstream.test.ts checks on raw tinypool that each is still needed.
 */
import type { Worker } from "node:worker_threads";
import Tinypool from "tinypool";
import type { BackendInit } from "./platform.js";
import type { Backend } from "./backend.js";
import type { Task, TaskResult } from "./task.js";
import { isRefused, isRetiring } from "./retire.js";

/** How a retired worker's end reaches tinypool: tasks it had been posted reject with it, and are run again (they never started). */
class Retired extends Error {}

export class NodeBackend implements Backend {
  private readonly tinypool: Tinypool;
  private readonly watched = new WeakSet<object>();
  /** Thread ids of workers that spent their maxTasksPerWorker (retire.ts), being ended. */
  private readonly retiring = new Set<number>();
  private closing = false;

  readonly size: number;
  /** Resolves with the first error of any worker (the pool uses it to fail fast at start-up). */
  readonly firstWorkerError: Promise<Error>;
  private readonly reportError: (e: Error) => void;

  constructor({ size, memory, setup, readyCounter, statsOffset }: BackendInit) {
    this.size = size;
    let report!: (e: Error) => void;
    this.firstWorkerError = new Promise((resolve) => { report = resolve; });
    this.reportError = report;
    this.tinypool = new Tinypool({
      filename: new URL("./node-worker.js", import.meta.url).href,
      minThreads: size,
      maxThreads: size,
      // workers stay up between jobs; idle ones are unref'd by tinypool, so they never keep
      // the process alive
      idleTimeout: 60_000,
      isolateWorkers: false,
      // Deno: tinypool's worker sleeps in Atomics.wait between tasks, then takes the next one
      // with receiveMessageOnPort; but Deno hands a message on a port that has a 'message'
      // listener to the (blocked) event loop, where receiveMessageOnPort never sees it, so the
      // task waits for the next one (a heat member: "waited at the sweep barrier"; a map job:
      // forever). Without atomics the worker takes its tasks through its event loop.
      // (test/runtimes/deno-heat.test.ts)
      useAtomics: !("deno" in process.versions),
      execArgv: workerExecArgv(),
      workerData: { memory, setup, readyCounter, statsOffset },
    });
    // tinypool emits 'error' on itself when a worker with no task dies; unhandled, that
    // would end the process. The dead worker is replaced either way.
    this.tinypool.on("error", () => {});
    this.watchThreads();
  }

  async run(task: Task): Promise<TaskResult> {
    for (;;) {
      let reply: unknown;
      try {
        reply = await this.tinypool.run(task);
      } catch (e) {
        if (e instanceof Retired && !this.closing) continue; // ended before it ran the task
        throw e;
      }
      if (isRefused(reply)) continue; // a retired worker's answer: the task never ran
      if (!isRetiring(reply)) return reply as TaskResult;
      this.retire(reply.retiring);
      return reply.result;
    }
  }

  /** Ends a worker that spent its maxTasksPerWorker; tinypool replaces it as a dead one. */
  private retire(threadId: number): void {
    const thread = (this.tinypool.threads as unknown as Array<{ threadId: number; terminate(): Promise<number> }>).find((t) => t.threadId === threadId);
    if (!thread || this.retiring.has(threadId)) return;
    this.retiring.add(threadId);
    void thread.terminate();
  }

  /** Tasks waiting for a free worker. */
  get queueSize(): number {
    return this.tinypool.queueSize;
  }

  /** Thread ids of the workers now running (a dead one leaves this list once tinypool removes it). */
  liveThreadIds(): number[] {
    return (this.tinypool.threads as unknown as Array<{ threadId: number }>).map((t) => t.threadId);
  }

  close(): Promise<void> {
    this.closing = true;
    return this.tinypool.destroy();
  }

  /**
   * Tinypool notices a worker thread that ends with an error (an uncaught exception, running out
   * of memory) and then rejects its task and starts a replacement; but a thread that just exits
   * (process.exit() in the worker) ends silently, and its task would never settle. Turning such
   * an exit into an error event sends it down the same path.
   */
  private watchThreads(): void {
    for (const thread of this.tinypool.threads as unknown as Worker[]) {
      patchRemoveListener(thread);
      if (this.watched.has(thread)) continue;
      this.watched.add(thread);
      let errored = false;
      thread.on("error", (e: Error) => {
        errored = true;
        if (!(e instanceof Retired)) this.reportError(e);
        this.watchThreads(); // tinypool has just started the replacement
      });
      thread.on("exit", (code: number) => {
        if (errored || this.closing) return;
        errored = true;
        const threadId = (thread as unknown as { threadId: number }).threadId;
        const retired = this.retiring.delete(threadId);
        thread.emit("error", retired ? new Retired(`worker thread ${threadId} retired (maxTasksPerWorker)`) : new Error(`worker thread exited with code ${code}`));
        this.watchThreads(); // the replacement tinypool just started
      });
    }
  }
}

/**
 * Workaround for tinypool 2: destroy() awaits events.once(wrapper, "exit") on its ThreadWorker
 * wrapper, which has on/once/emit but no removeListener; an 'error' from a worker during
 * destroy (one that failed to start, say) then makes events.once call the missing method and
 * throw an uncaught TypeError. Giving the wrapper class the method it lacks fixes that.
 */
function patchRemoveListener(wrapper: object): void {
  const proto = Object.getPrototypeOf(wrapper) as { removeListener?: unknown; thread?: unknown };
  if (typeof proto.removeListener === "function") return;
  Object.defineProperty(proto, "removeListener", {
    configurable: true,
    value(this: { thread: Worker }, event: string, listener: (...args: unknown[]) => void) {
      this.thread.removeListener(event, listener);
      return this;
    },
  });
}

/**
 * The parent's Node options, less those a worker thread refuses: `node --input-type=module -e`
 * would otherwise pass --input-type on, and every worker would fail to load its script.
 */
export function workerExecArgv(): string[] {
  return process.execArgv.filter((a) => !a.startsWith("--input-type"));
}
