/**
 * Entry point of a Web Worker of the browser pool (a module worker; web-backend.ts starts it).
 * The first message brings the compiled module and, on a cross-origin isolated page, the
 * pool's shared memory; elsewhere the worker makes a private memory of its own (src/pool/jobs/private-parts.ts
 * says how jobs use it). It instantiates the module, warms it up, says "ready", then answers
 * each task message with executeTask's result and the time it took. The pool's side
 * (web-backend.ts) does the ready counter and the statistics, which live in the pool's memory.
 *
 * No top-level await and no dynamic import: bundlers may emit this file as a classic script
 * (webpack 5 does: it drops `type: "module"`). The one import() it reaches, of a user's
 * hostImports module, is marked for bundlers to leave to the browser (user-module.ts).
 */
import { executeTask, type Task, type TaskBudget, type TaskResult } from "./task.js";
import { setUpKernels, type WorkerSetup } from "./worker-setup.js";
import { budgetOf, spent } from "./retire.js";

export interface WebWorkerInit {
  /** The pool's memory; absent when the page cannot share memory with workers. */
  memory?: WebAssembly.Memory;
  setup: WorkerSetup;
}

export type WebWorkerReply =
  | { type: "ready" }
  /** The worker could not start. */
  | { type: "failed"; message: string }
  /** `retire`: this worker spent its maxTasksPerWorker (retire.ts); the backend replaces it. */
  | { type: "result"; result: TaskResult; busyMs: number; retire?: true }
  /** The task threw (not a trap, which is a result): it fails, the worker goes on. */
  | { type: "error"; message: string; busyMs: number };

/** What this script sees of its DedicatedWorkerGlobalScope (the project compiles against the DOM library). */
interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: WebWorkerReply): void;
}

const scope = globalThis as unknown as WorkerScope;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

interface Started { exports: Record<string, unknown>; memory: WebAssembly.Memory; budget: TaskBudget | undefined }
/** Set by the first message; tasks wait for it, in the order they came. */
let started: Promise<Started> | undefined;

scope.onmessage = (event) => {
  if (!started) {
    started = start(event.data as WebWorkerInit);
    started.then(
      () => scope.postMessage({ type: "ready" }),
      (e: unknown) => scope.postMessage({ type: "failed", message: messageOf(e) }),
    );
    return;
  }
  started.then(({ exports, memory, budget }) => {
    const begun = performance.now();
    let result: TaskResult;
    try {
      result = executeTask(exports, memory, event.data as Task, budget);
    } catch (e) {
      scope.postMessage({ type: "error", message: messageOf(e), busyMs: performance.now() - begun });
      return;
    }
    scope.postMessage({ type: "result", result, busyMs: performance.now() - begun, ...(spent(budget) ? { retire: true as const } : {}) });
  }, () => {});
};

async function start(init: WebWorkerInit): Promise<Started> {
  // the kernels import a shared memory, so a private one is shared too (with nobody); it grows
  // to the pool's size when a job needs it (PartsTask.memoryBytes)
  const memory = init.memory ?? new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  return { exports: await setUpKernels(init.setup, memory), memory, budget: budgetOf(init.setup.maxTasks) };
}
