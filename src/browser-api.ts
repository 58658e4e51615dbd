/**
 * The browser entries' API (browser.ts, browser-embedded.ts): the same names as index.ts
 * (test/browser/exports.test.ts checks), with the workloads loaded on first use. Installs no
 * platform: each entry installs its own before anything runs.
 */
export { pi, monteCarloPi, leibniz, countPrimes, primes, heat } from "./lazy-workloads.js";
export type { PiOptions, PiResult, PiKernel } from "./workloads/pi.js";
export { Pool, createPool, type PoolOptions, type Progress, type RangeJob, type RangeJobResult, type CallOptions, type IterateOptions, type IterateResult, type IterateProgress } from "./pool/pool.js";
export { close } from "./pool/default-pool.js";
export { AsyncResult } from "./pool/async-result.js";
export { encodePngAsync, rgbImage, type RgbImage } from "./cli/png-format.js";
export { partition, partBlocks, type PartitionSpec, type PartitionScheme, type PartitionOptions } from "./plan/partition.js";
export { pairwiseSum, compensatedSum, reduce, type Reducer } from "./plan/reduce.js";
export { SharedArena } from "./memory/arena.js";
export { InvalidArgumentError, MemoryLimitError, AbortError, KernelError, WorkerError, TimeoutError, PoolClosedError, type ItemFailure } from "./errors.js";
export type { MapOptions } from "./pool/map.js";
export type { MapReduceOptions, RangeInput } from "./pool/map-reduce.js";
export type { PoolStats, WorkerStats } from "./platform/stats.js";
export type { KernelArg } from "./pool/args.js";
export type { ModuleSource } from "./pool/user-module.js";
export { seedKey, MONTE_CARLO_DEFAULT_SEED } from "./workloads/montecarlo-seed.js";
export type { MonteCarloOptions, MonteCarloResult, MonteCarloKernel } from "./workloads/montecarlo.js";
export type { LeibnizOptions, LeibnizResult } from "./workloads/leibniz.js";
export { PRIMES_MAX_UP_TO } from "./workloads/primes-limits.js";
export type { CountPrimesOptions, CountPrimesResult, PrimesOptions, PrimesResult } from "./workloads/primes.js";
export { heatGridBytes } from "./workloads/heat-grid.js";
export type { HeatOptions, HeatResult, HeatProgress, HeatEdge, HeatMethod } from "./workloads/heat.js";
export type { TeamJob, TeamJobResult } from "./pool/pool.js";
// a cluster's coordinator and workers run in Node: the same names, which say so (docs/cluster.md)
export { createCluster, startClusterWorker, isCluster, ClusterError } from "./cluster/unsupported.js";
