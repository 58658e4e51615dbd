/** Worker threads through tinypool, each holding one instance of the module over the shared memory. */
import Tinypool from "tinypool";
import type { BackendInit } from "../platform/platform.js";
import type { Backend } from "./backend.js";
import type { Task, TaskResult } from "./task.js";

export class NodeBackend implements Backend {
  private readonly tinypool: Tinypool;

  readonly size: number;

  constructor({ size, module, memory, warmUp, readyCounter }: BackendInit) {
    this.size = size;
    this.tinypool = new Tinypool({
      filename: new URL("./worker.js", import.meta.url).href,
      minThreads: size,
      maxThreads: size,
      // workers stay up between jobs; idle ones are unref'd by tinypool, so they never keep
      // the process alive
      idleTimeout: 60_000,
      isolateWorkers: false,
      workerData: { module, memory, warmUp, readyCounter },
    });
  }

  run(task: Task): Promise<TaskResult> {
    return this.tinypool.run(task) as Promise<TaskResult>;
  }

  close(): Promise<void> {
    return this.tinypool.destroy();
  }
}
