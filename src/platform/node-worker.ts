/**
 * Entry point of a tinypool worker thread: instantiates the module over the pool's shared
 * memory once, warms it up, then runs tasks. The Module and the Memory arrive in workerData
 * (structured clone shares both; neither may go in a transferList). A worker that replaces a
 * dead one starts from the same workerData, so it gets the same module and memory and signals
 * ready the same way.
 */
import { threadId, workerData } from "node:worker_threads";
import type { BackendInit } from "./platform.js";
import { signalReady, takeWorkerId } from "./ready.js";
import { STATS_FIELDS, STATS_SLOTS, StatsField, recordTask } from "./stats.js";
import { executeTask, type Task, type TaskResult } from "./task.js";
import { setUpKernels } from "./worker-setup.js";
import { REFUSED, budgetOf, spent, type Refused, type Retiring } from "./retire.js";
import { setOwnerId } from "../sync/owner.js";

setOwnerId(threadId + 1); // RLock owners: see src/sync/owner.ts

/** What NodeBackend puts in workerData: the backend's init, less the pool size. */
type PoolWorkerData = Omit<BackendInit, "size">;

// tinypool passes [its own data, ours]
const data = (workerData as [unknown, PoolWorkerData])[1];
const exports = await setUpKernels(data.setup, data.memory);
const stats = new Float64Array(data.memory.buffer, data.statsOffset, STATS_SLOTS * STATS_FIELDS);
const workerId = takeWorkerId(data.memory, data.readyCounter);
if (workerId < STATS_SLOTS) stats[workerId * STATS_FIELDS + StatsField.THREAD_ID] = threadId;
signalReady(data.memory, data.readyCounter);

const budget = budgetOf(data.setup.maxTasks);

export default function run(task: Task): TaskResult | Retiring | Refused {
  // retired (maxTasksPerWorker): tinypool may post a task before the backend has ended this worker
  if (spent(budget)) return REFUSED;
  const started = performance.now();
  let result: TaskResult;
  try {
    result = executeTask(exports, data.memory, task, budget);
  } finally {
    recordTask(stats, workerId, performance.now() - started);
  }
  return spent(budget) ? { retiring: threadId, result } : result;
}
