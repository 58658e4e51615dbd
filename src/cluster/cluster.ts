/**
 * A cluster: range jobs run by `wasm-mp worker` processes on other machines, through BullMQ on
 * Redis (docs/cluster.md). A Cluster stands where a Pool does for range workloads:
 * `pi({ n, pool: cluster })`, `monteCarloPi`, `countPrimes`, `leibniz` and `cluster.mapReduce`.
 *
 * Part boundaries come from the workload's partition and never from who runs the parts; each
 * part's partial is a function of (kernel, partition, part, arguments, inputs) alone; and the
 * partials come back exactly (wire.ts) and are reduced here in part order. So a result has the
 * same bits as on one machine, whatever the number of machines and whichever ran what.
 *
 * The coordinator keeps a small local pool: its memory holds what workloads set up for their
 * kernels (the sieve's base primes, Leibniz's numerator), and it runs the one-part set-up jobs
 * that write there. A job whose kernel reads this memory declares which regions it reads and
 * which per-part slots it writes (RangeJob.privateMemory): the regions travel to the workers by
 * SHA-256, and the slots come back. A job that declares nothing and has more than one part may
 * use the memory in ways that cannot be copied, and is refused.
 */
import { AbortError, invalid } from "../errors.js";
import { KERNELS_URL } from "../kernels/url.js";
import type { SharedArena, TypedArray, TypedArrayConstructor } from "../memory/arena.js";
import { platform } from "../platform/platform.js";
import type { MapReduceOptions, RangeInput } from "../pool/map-reduce.js";
import { MAX_WORKERS, createPool, type Pool, type RangeJob, type RangeJobResult } from "../pool/pool.js";
import type { KernelArg } from "../pool/args.js";
import * as check from "../validate.js";
import { putBlob } from "./blobs.js";
import { ClusterError } from "./cluster-error.js";
import {
  checkConnection, checkQueueName, createClient, describeConnection, dropClient, parentQueueName, redisLibraries, withDeadline,
  type ConnectionInput, type RedisClient,
} from "./redis.js";
import { isCluster as isClusterLike } from "./is-cluster.js";
import { JobEvents, runClusterJob, type JobContext } from "./run-job.js";
import { encodeNumber } from "./wire.js";

/**
 * Parts per part-job by default. A workload's parts are sized for one machine's threads, about
 * 3 ms of one core each; a part-job costs about 1.5 ms of Redis and BullMQ work beside its parts
 * (bench/cluster.bench.js), during which its machine's cores wait. 256 parts are ~0.75 s of one
 * core: ~50 ms on a 16-core machine, so the overhead stays near 3 % there (docs/cluster.md, "Part size").
 */
export const DEFAULT_PARTS_PER_JOB = 256;
/** Worker threads a machine uses for one part-job at most, by default (also sizes per-thread scratch). */
export const DEFAULT_WORKERS_PER_MACHINE = 16;

export interface ClusterOptions {
  /** Redis: a redis:// or rediss:// URL (password and TLS pass through to ioredis), or ioredis options. */
  connection: ConnectionInput;
  /** Queue name, the same as the workers'. Default "wasm-mp". */
  queue?: string;
  /**
   * The module whose exports are the kernels: its bytes, or a path or URL of the .wasm file (a
   * compiled WebAssembly.Module cannot be sent). Default: the bundled kernels.
   */
  module?: ArrayBuffer | ArrayBufferView | string | URL;
  /** Parts per part-job. Default 256 (DEFAULT_PARTS_PER_JOB). */
  partsPerJob?: number;
  /** Worker threads a machine uses for one part-job at most. Default 16. */
  workersPerMachine?: number;
  /** How long Redis may go without answering before a call fails with a ClusterError. Default 10000 ms. */
  redisTimeoutMs?: number;
}

/** What the last range job on this cluster used. */
export interface ClusterRun {
  /** Worker processes that returned results (one per machine when each runs one). */
  machines: number;
  /** Parts of the job's partition. */
  parts: number;
  /** BullMQ part-jobs they were grouped into. */
  partJobs: number;
  /** Worker threads, summed over the machines. */
  workers: number;
}

export type ClusterRangeJob = RangeJob & {
  /** Names the job in Redis: a coordinator started again with the same id collects the results already computed. Default: a random UUID. */
  jobId?: string;
};

export type ClusterRangeJobResult = RangeJobResult & { machines: number; partJobs: number };

export type ClusterMapReduceOptions = MapReduceOptions & { jobId?: string };

const OPTION_KEYS = ["connection", "queue", "module", "partsPerJob", "workersPerMachine", "redisTimeoutMs"];

export class Cluster {
  readonly kind = "cluster" as const;
  /** Worker threads a machine uses for one part-job at most (what `workers` options are checked against). */
  readonly size: number;
  private closed = false;
  private last: ClusterRun | undefined;

  private constructor(
    private readonly local: Pool,
    private readonly ctx: JobContext,
    private readonly clients: RedisClient[],
    private readonly closeBull: () => Promise<unknown>,
    private readonly moduleBytes: Uint8Array,
    private readonly moduleSha: string,
    private readonly partsPerJob: number,
    size: number,
  ) {
    this.size = size;
  }

  static async create(options: ClusterOptions): Promise<Cluster> {
    if (typeof options !== "object" || options === null) throw new TypeError('createCluster() takes an options object, e.g. createCluster({ connection: "redis://127.0.0.1:6379" })');
    check.knownKeys("createCluster", options, OPTION_KEYS);
    const connection = checkConnection(options.connection);
    const queueName = checkQueueName(options.queue);
    const partsPerJob = check.optionalInteger("partsPerJob", options.partsPerJob, 1, 1 << 20, DEFAULT_PARTS_PER_JOB);
    const size = check.optionalInteger("workersPerMachine", options.workersPerMachine, 1, MAX_WORKERS, DEFAULT_WORKERS_PER_MACHINE);
    const redisTimeoutMs = check.optionalInteger("redisTimeoutMs", options.redisTimeoutMs, 100, 3_600_000, 10_000);
    if ((options.module as unknown) instanceof WebAssembly.Module) {
      throw invalid("module", "a WebAssembly.Module", "the module's bytes or a path or URL of the .wasm file (a compiled module cannot be sent to other machines)");
    }
    const moduleBytes = await readModule(options.module);
    const where = describeConnection(connection);
    const { bullmq } = await redisLibraries();

    const clients: RedisClient[] = [];
    let local: Pool | undefined;
    try {
      for (let i = 0; i < 5; i++) clients.push(await createClient(connection, i >= 3, redisTimeoutMs));
      const [client, queueClient, flowClient, eventsClient, parentClient] = clients as [RedisClient, RedisClient, RedisClient, RedisClient, RedisClient];
      await withDeadline(client.ping(), redisTimeoutMs, `connecting to ${where}`);
      local = await createPool({ workers: 1, warmUp: false, ...(options.module === undefined ? {} : { module: moduleBytes }) });
      const moduleSha = await withDeadline(putBlob(client, queueName, moduleBytes), redisTimeoutMs, `storing the module in ${where}`);
      const partQueue = new bullmq.Queue(queueName, { connection: queueClient });
      const parentQueue = new bullmq.Queue(parentQueueName(queueName), { connection: parentClient });
      const flows = new bullmq.FlowProducer({ connection: flowClient });
      const queueEvents = new bullmq.QueueEvents(queueName, { connection: eventsClient });
      queueEvents.on("error", () => {}); // surfaced through the jobs' deadlines
      await withDeadline(queueEvents.waitUntilReady(), redisTimeoutMs, `listening to ${where}`);
      const ctx: JobContext = {
        bullmq, queueName, partQueue, parentQueue, flows, events: new JobEvents(queueEvents), client,
        redisTimeoutMs, pollMs: 250, where,
      };
      const closeBull = () => Promise.allSettled([partQueue.close(), parentQueue.close(), flows.close(), queueEvents.close()]);
      return new Cluster(local, ctx, clients, closeBull, moduleBytes, moduleSha, partsPerJob, size);
    } catch (e) {
      clients.forEach(dropClient);
      await local?.close();
      throw e;
    }
  }

  /** What the last range job used: machines, parts, part-jobs, worker threads. */
  get lastRun(): ClusterRun | undefined {
    return this.last;
  }

  /** The coordinator's memory, where workloads set up what their kernels read. */
  get arena(): SharedArena {
    return this.local.arena;
  }

  get memory(): WebAssembly.Memory {
    return this.local.memory;
  }

  get kernels(): string[] {
    return this.local.kernels;
  }

  alloc<T extends TypedArray>(type: TypedArrayConstructor<T>, length: number): T {
    this.assertOpen();
    return this.local.alloc(type, length);
  }

  free(view: TypedArray): void {
    this.local.free(view);
  }

  /** Runs `kernel(...args)` once on the coordinator's own pool (for small queries a workload makes). */
  apply(kernel: string, args: readonly KernelArg[] = []): Promise<number> {
    this.assertOpen();
    return this.local.apply(kernel, args);
  }

  /** Runs a kernel over every part of a partition on the cluster; one partial per part, in part order. */
  async runRange(job: ClusterRangeJob): Promise<ClusterRangeJobResult> {
    this.assertOpen();
    this.local.assertKernel(job.kernel);
    const { spec } = job;
    if (job.signal?.aborted) throw new AbortError(job.signal.reason);
    const use = job.privateMemory;
    if (!use) {
      // a one-part set-up job writes the coordinator's memory: it runs here
      if (spec.parts <= 1) return { ...(await this.local.runRange(job)), machines: 0, partJobs: 0 };
      throw new ClusterError(`kernel ${job.kernel}: this job reads or writes shared memory in ways that cannot be copied to other machines ` +
        "(it declares no privateMemory regions); run it on a local pool");
    }
    const { checkPrivateMemory } = await import("../pool/jobs/private-parts.js");
    checkPrivateMemory(this.local.arena, use, spec.parts);
    const jobId = job.jobId === undefined ? crypto.randomUUID() : checkJobId(job.jobId);
    const lanes = Math.min(check.optionalInteger("workers", job.workers, 1, MAX_WORKERS, this.size), this.size);
    const bytes = new Uint8Array(this.local.memory.buffer);
    const put = (b: Uint8Array) => withDeadline(putBlob(this.ctx.client, this.ctx.queueName, b), this.ctx.redisTimeoutMs, `storing the job's inputs in ${this.ctx.where}`);
    // renews the module's lifetime in Redis, and brings it back if Redis lost it
    await put(this.moduleBytes);
    const inputs = await Promise.all((use.inputs ?? []).map(async (v) => {
      const region = bytes.slice(v.byteOffset, v.byteOffset + v.byteLength);
      return { offset: v.byteOffset, bytes: region.length, sha256: await put(region) };
    }));
    const outputs = (use.partOutputs ?? []).map((o) => ({ offset: o.view.byteOffset, bytesPerPart: o.bytesPerPart }));
    const run = spec.parts === 0
      ? { partials: new Float64Array(0), outputs: outputs.map(() => new Uint8Array(0)), machines: 0, workers: 0, partJobs: 0 }
      : await runClusterJob(this.ctx, {
        job: jobId, module: this.moduleSha, kernel: job.kernel, args: (job.args ?? []).map(encodeNumber), spec, combine: job.combine ?? "sum",
        lanes, memoryBytes: bytes.byteLength, inputs, outputs, partsPerJob: this.partsPerJob, signal: job.signal, timeoutMs: job.timeoutMs, onProgress: job.onProgress,
      });
    const memory = new Uint8Array(this.local.memory.buffer);
    outputs.forEach((o, k) => memory.set(run.outputs[k]!, o.offset));
    job.onProgress?.({ done: spec.parts, total: spec.parts, fraction: 1 });
    this.last = { machines: run.machines, parts: spec.parts, partJobs: run.partJobs, workers: run.workers };
    return { partials: run.partials, workers: Math.max(run.workers, 1), backend: "workers", machines: run.machines, partJobs: run.partJobs };
  }

  /**
   * Pool.mapReduce on the cluster: kernel(blockStart, blockEnd, ...args) over the blocks of a
   * partition of `range`, reduced in part order. The kernel runs on other machines: it may read
   * no memory the caller wrote, so `args` are numbers only.
   */
  async mapReduce(kernel: string, range: RangeInput, options: ClusterMapReduceOptions = {}): Promise<number> {
    this.assertOpen();
    if (typeof options !== "object" || options === null) throw invalid("options", options, "an options object");
    const { jobId, ...rest } = options;
    for (const a of rest.args ?? []) {
      if (typeof a !== "number") throw invalid("args", a, "numbers (a kernel on a cluster cannot see this machine's memory)");
    }
    const { planMapReduce } = await import("../pool/map-reduce.js");
    const { reduce } = await import("../plan/reduce.js");
    // planned as on a pool (checks, partition); the range job goes to the cluster, free to run on other machines
    const { job, reducer } = planMapReduce(
      { size: this.size, arena: this.local.arena, inline: this.local.inline, assertKernel: (name: unknown) => this.local.assertKernel(name) },
      kernel, range, rest,
    );
    const run = await this.runRange({ ...job, privateMemory: {}, jobId });
    return reduce(run.partials, reducer);
  }

  /**
   * Team jobs (the heat plate) and per-item maps are single-machine by nature: team members meet
   * in one shared memory every sweep, which machines do not have (docs/cluster.md).
   */
  runTeam(): never {
    throw refused("runTeam (a team of threads meeting in one shared memory: the heat plate, barriers)");
  }

  map(): never {
    throw refused("map");
  }

  starmap(): never {
    throw refused("starmap");
  }

  /** Ends the connections and the coordinator's pool. Workers run on; part-jobs in Redis stay. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withDeadline(this.closeBull(), 2000, "closing the queues").catch(() => {});
    this.clients.forEach(dropClient);
    await this.local.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw new Error("the cluster is closed; create a new one");
  }

  assertKernel(name: unknown): asserts name is string {
    this.local.assertKernel(name);
  }
}

async function readModule(source: ClusterOptions["module"]): Promise<Uint8Array> {
  const host = platform();
  if (source === undefined) return host.readBytes!(KERNELS_URL);
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
  if (typeof source === "string" || source instanceof URL) {
    const { toUrl } = await import("../pool/user-module.js");
    try {
      return await host.readBytes!(toUrl(source));
    } catch (e) {
      throw invalid("module", String(source), `a path or URL of a .wasm file that can be read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  throw invalid("module", source, "the module's bytes (ArrayBuffer or typed array), or a path or URL of a .wasm file");
}

function refused(what: string): ClusterError {
  return new ClusterError(`${what} runs on one machine only: a cluster runs range jobs (pi, monteCarloPi, countPrimes, leibniz, mapReduce); ` +
    "use a local pool (createPool) for this (docs/cluster.md, \"What does not go across machines\")");
}

function checkJobId(id: unknown): string {
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw invalid("jobId", id, "1 to 100 letters, digits, '_' or '-'");
  return id;
}

export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  return Cluster.create(options);
}

/** Whether `x` is a Cluster (workloads that need one machine's shared memory refuse it). */
export function isCluster(x: unknown): x is Cluster {
  return x instanceof Cluster || isClusterLike(x);
}

export { ClusterError };
