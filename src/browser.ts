/**
 * wasm-mp for browsers (the "browser" condition of the package's exports): the same API as
 * index.ts, with Web Workers instead of tinypool. Keep its exports those of index.ts
 * (test/browser/exports.test.ts checks).
 */
import "./platform/browser.js";
export { pi, type PiOptions, type PiResult, type PiKernel } from "./workloads/pi.js";
export { Pool, createPool, type PoolOptions, type Progress, type RangeJob, type RangeJobResult } from "./pool/pool.js";
export { close } from "./pool/default-pool.js";
export { partition, partBlocks, type PartitionSpec, type PartitionScheme, type PartitionOptions } from "./plan/partition.js";
export { pairwiseSum, compensatedSum, reduce, type Reducer } from "./plan/reduce.js";
export { SharedArena } from "./memory/arena.js";
export { InvalidArgumentError, MemoryLimitError, AbortError, KernelError, WorkerError } from "./errors.js";
