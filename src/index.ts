/** wasm-mp: multiprocessing-style parallel compute for JavaScript, with WebAssembly kernels on shared memory. */
import "./platform/node.js";
export { pi, type PiOptions, type PiResult, type PiKernel } from "./workloads/pi.js";
export { Pool, createPool, type PoolOptions, type Progress, type RangeJob, type RangeJobResult } from "./pool/pool.js";
export { close } from "./pool/default-pool.js";
export { partition, partBlocks, type PartitionSpec, type PartitionScheme, type PartitionOptions } from "./plan/partition.js";
export { pairwiseSum, compensatedSum, reduce, type Reducer } from "./plan/reduce.js";
export { SharedArena } from "./memory/arena.js";
export { InvalidArgumentError, MemoryLimitError, AbortError, KernelError, WorkerError } from "./errors.js";
export { monteCarloPi, seedKey, MONTE_CARLO_DEFAULT_SEED, type MonteCarloOptions, type MonteCarloResult, type MonteCarloKernel } from "./workloads/montecarlo.js";
export { leibniz, type LeibnizOptions, type LeibnizResult } from "./workloads/leibniz.js";
