/**
 * Runs tasks in the calling thread with an instance of its own over the pool's memory. Used for
 * work too small to pay for a worker round trip (see Pool's inlineThreshold), and to check a
 * module's imports before any worker starts.
 */
import type { Backend } from "./backend.js";
import { executeTask, kernelNames, runRangeInline, type RangeTask, type Task, type TaskResult, type TaskTrap } from "./task.js";

export class InlineBackend implements Backend {
  readonly size = 1;

  /** `exports`: an instance's (of the pool's wasm module) or a JS module's kernels. */
  constructor(readonly exports: Record<string, unknown>, private readonly memory: WebAssembly.Memory) {}

  /** The module's exported functions: the kernel names calls accept. */
  get kernels(): string[] {
    return kernelNames(this.exports);
  }

  runSync(task: Task): TaskResult {
    return executeTask(this.exports, this.memory, task);
  }

  /** A range job's parts in order, partials in a plain array. */
  runInline(task: Pick<RangeTask, "kernel" | "spec" | "args" | "combine">): Float64Array | TaskTrap {
    return runRangeInline(this.exports, task);
  }

  async run(task: Task): Promise<TaskResult> {
    return this.runSync(task);
  }

  async close(): Promise<void> {}
}
