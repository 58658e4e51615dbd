/**
 * Entry point of a tinypool worker thread: instantiates the kernels over the pool's shared
 * memory once, warms them up, then runs tasks. The Module and the Memory arrive in workerData
 * (structured clone shares both; neither may go in a transferList).
 */
import { workerData } from "node:worker_threads";
import { kernelImports, warmUp } from "../kernels/module.js";
import { signalReady } from "./ready.js";
import { executeTask, type Task, type TaskResult } from "./task.js";

interface PoolWorkerData { module: WebAssembly.Module; memory: WebAssembly.Memory; warmUp: boolean; readyCounter: number }

// tinypool passes [its own data, ours]
const data = (workerData as [unknown, PoolWorkerData])[1];
const instance = new WebAssembly.Instance(data.module, kernelImports(data.memory));
if (data.warmUp) await warmUp(instance.exports);
signalReady(data.memory, data.readyCounter);

export default function run(task: Task): TaskResult {
  return executeTask(instance.exports, data.memory, task);
}
