/**
 * What the pool needs from a place to run tasks. Backends: tinypool worker threads (Node),
 * the calling thread (inline), and Web Workers (browsers).
 */
import type { Task, TaskResult } from "./task.js";

export interface Backend {
  /** Threads that run tasks at once. */
  readonly size: number;
  run(task: Task): Promise<TaskResult>;
  close(): Promise<void>;
}
