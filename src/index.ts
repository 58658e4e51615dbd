/** wasm-mp: multiprocessing-style parallel compute for JavaScript, with WebAssembly kernels on shared memory. */
import "./platform/node.js";
export { pi, type PiOptions, type PiResult, type PiKernel } from "./workloads/pi.js";
export { Pool, createPool, type PoolOptions, type Progress, type RangeJob, type RangeJobResult } from "./pool/pool.js";
export { close } from "./pool/default-pool.js";
export { partition, partBlocks, type PartitionSpec, type PartitionScheme, type PartitionOptions } from "./plan/partition.js";
export { pairwiseSum, compensatedSum, reduce, type Reducer } from "./plan/reduce.js";
export { SharedArena } from "./memory/arena.js";
export { InvalidArgumentError, MemoryLimitError, AbortError, KernelError, WorkerError } from "./errors.js";
export { countPrimes, primes, PRIMES_MAX_UP_TO, type CountPrimesOptions, type CountPrimesResult, type PrimesOptions, type PrimesResult } from "./workloads/primes.js";
