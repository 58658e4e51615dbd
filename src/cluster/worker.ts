/**
 * A cluster worker: one long-running process per machine that takes part-jobs from the BullMQ
 * queue, one at a time, and runs each on a local pool of all the machine's cores (part-runner.ts).
 *
 * Modules come by SHA-256: fetched from Redis, checked, compiled into a pool once, and kept
 * (the few most recently used). BullMQ does the rest: a part-job is locked while it runs and the
 * lock is renewed from this process's event loop (kernels run on worker threads); if the process
 * dies, the lock lapses and BullMQ's stalled-job check hands the part-job to another worker. A
 * kernel trap is the same on every machine, so it fails the part-job without a retry.
 */
import { hostname } from "node:os";
import "../platform/node.js";
import { KernelError, messageOf } from "../errors.js";
import { KERNELS_URL } from "../kernels/url.js";
import { platform } from "../platform/platform.js";
import { createPool, type Pool } from "../pool/pool.js";
import { getBlob } from "./blobs.js";
import { ReservationError, releaseReservation, runPartJob } from "./part-runner.js";
import {
  checkConnection, checkQueueName, createClient, describeConnection, dropClient, keys, redisLibraries, sha256Hex, withDeadline,
  type ConnectionInput, type RedisClient,
} from "./redis.js";
import { WIRE_VERSION, encodeNumber, toBase64, type PartJobData, type PartJobResult } from "./wire.js";

export interface ClusterWorkerOptions {
  /** Redis: a redis:// or rediss:// URL, or ioredis options. */
  connection: ConnectionInput;
  /** Queue name; the coordinator must use the same. Default "wasm-mp". */
  queue?: string;
  /** Worker threads of the local pool. Default: availableParallelism(). */
  workers?: number;
  /**
   * How long a part-job stays locked without a renewal before another worker may take it over
   * (BullMQ's lockDuration; renewed every half of it). Default 30000 ms.
   */
  lockMs?: number;
  /** Called with one line per event worth logging (start, module compiled, Redis lost, …). */
  log?: (line: string) => void;
}

export interface ClusterWorker {
  /** "host#pid": how results name this worker. */
  readonly id: string;
  /** Part-jobs finished. */
  readonly partJobs: number;
  /** Waits for the part-job running (if any) to finish, then ends the pools and connections. */
  close(): Promise<void>;
}

/** Modules whose pools are kept at once; a new module beyond ends the least recently used. */
const MAX_POOLS = 3;
const CONNECT_TIMEOUT_MS = 10_000;

export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const connection = checkConnection(options.connection);
  const queue = checkQueueName(options.queue);
  const lockMs = options.lockMs ?? 30_000;
  const log = options.log ?? (() => {});
  const where = describeConnection(connection);
  const { bullmq } = await redisLibraries();
  const id = `${hostname()}#${process.pid}`;

  const client = await createClient(connection, true, CONNECT_TIMEOUT_MS);
  try {
    await withDeadline(client.ping(), CONNECT_TIMEOUT_MS, `connecting to ${where}`);
  } catch (e) {
    dropClient(client);
    throw e;
  }
  const pools = new PoolCache(client, queue, options.workers, log);
  const inputs = new InputCache(client, queue);
  let done = 0;

  const workerClient = await createClient(connection, true, CONNECT_TIMEOUT_MS);
  const worker = new bullmq.Worker<PartJobData, PartJobResult>(queue, async (job) => {
    const d = job.data;
    if (d?.v !== WIRE_VERSION) throw new bullmq.UnrecoverableError(`on ${id}: part-job ${job.id} has wire version ${d?.v}; this worker speaks ${WIRE_VERSION} (update wasm-mp on every machine)`);
    if (await client.exists(keys.cancel(queue, d.job))) throw new bullmq.UnrecoverableError("cancelled: the range job was aborted");
    let pool: Pool;
    let bytes: Uint8Array[];
    try {
      [pool, bytes] = await Promise.all([pools.get(d.module), inputs.get(d)]);
    } catch (e) {
      throw new bullmq.UnrecoverableError(`on ${id}: ${messageOf(e)}`);
    }
    try {
      let r;
      try {
        r = await runPartJob(pool, d, bytes);
      } catch (e) {
        if (!(e instanceof ReservationError)) throw e;
        // the pool's own blocks are in the way of the coordinator's addresses: a fresh pool reserves them first
        log(`module ${d.module.slice(0, 12)}…: a fresh pool for the coordinator's memory layout`);
        r = await runPartJob(await pools.renew(d.module), d, bytes);
      }
      done++;
      return {
        first: d.first, count: d.count, partials: Array.from(r.partials, encodeNumber), outputs: r.outputs.map(toBase64), machine: id, workers: r.workers,
      };
    } catch (e) {
      // deterministic: the same trap on any machine, so no retry
      if (e instanceof KernelError) throw new bullmq.UnrecoverableError(JSON.stringify({ trap: e.trap, kernel: e.kernel, part: e.part }));
      throw new bullmq.UnrecoverableError(`on ${id}: ${messageOf(e)}`);
    }
  }, {
    connection: workerClient,
    concurrency: 1,
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    // a machine lost mid-part-job hands it on; a part-job that kills every machine that takes it stops
    maxStalledCount: 5,
    autorun: true,
  });
  let lastError = "";
  worker.on("error", (e) => {
    const message = messageOf(e);
    if (message !== lastError) log(`redis ${where}: ${message}`);
    lastError = message;
  });
  worker.on("ready", () => { lastError = ""; });
  await withDeadline(worker.waitUntilReady(), CONNECT_TIMEOUT_MS, `connecting to ${where}`).catch(async (e) => {
    await withDeadline(worker.close(true), 2000, "closing").catch(() => {});
    dropClient(client);
    dropClient(workerClient);
    throw e;
  });
  log(`worker ${id} takes part-jobs from queue "${queue}" on ${where}`);

  let closing: Promise<void> | undefined;
  return {
    id,
    get partJobs() { return done; },
    close() {
      closing ??= (async () => {
        // BullMQ waits for the running part-job and then reports it to Redis; with Redis gone that
        // would wait for ever, so once Redis has been unreachable for 2 s the worker closes at
        // once and leaves the part-job to the stalled-job check
        const graceful = worker.close();
        graceful.catch(() => {});
        let downSince = 0;
        for (;;) {
          const settled = await Promise.race([graceful.then(() => true, () => true), sleep(250).then(() => false)]);
          if (settled) break;
          if (client.status === "ready") downSince = 0;
          else if ((downSince ||= Date.now()) < Date.now() - 2000) {
            log(`Redis ${where} unreachable: leaving the current part-job to another worker`);
            await withDeadline(worker.close(true), 2000, "closing").catch(() => {});
            break;
          }
        }
        dropClient(workerClient);
        dropClient(client);
        await pools.close();
      })();
      return closing;
    },
  };
}

/** Pools by module SHA-256, the few most recently used. */
class PoolCache {
  private readonly pools = new Map<string, Promise<Pool>>();
  private bundled: Promise<string> | undefined;

  constructor(private readonly client: RedisClient, private readonly queue: string, private readonly workers: number | undefined, private readonly log: (line: string) => void) {}

  get(sha: string): Promise<Pool> {
    let pool = this.pools.get(sha);
    if (pool) {
      this.pools.delete(sha);
      this.pools.set(sha, pool);
      return pool;
    }
    pool = this.create(sha);
    pool.catch(() => this.pools.delete(sha));
    this.pools.set(sha, pool);
    while (this.pools.size > MAX_POOLS) {
      const [oldest, old] = this.pools.entries().next().value!;
      this.pools.delete(oldest);
      void old.then((p) => { releaseReservation(p); return p.close(); }, () => {});
    }
    return pool;
  }

  /** Ends the module's pool and starts a new one. */
  renew(sha: string): Promise<Pool> {
    const old = this.pools.get(sha);
    this.pools.delete(sha);
    void old?.then((p) => { releaseReservation(p); return p.close(); }, () => {});
    return this.get(sha);
  }

  private async create(sha: string): Promise<Pool> {
    // this package's own kernels start warmed up; any other module comes from Redis
    this.bundled ??= platform().readBytes!(KERNELS_URL).then(sha256Hex);
    if (sha === await this.bundled) {
      this.log(`module ${sha.slice(0, 12)}…: the bundled kernels`);
      return createPool({ workers: this.workers });
    }
    const bytes = await getBlob(this.client, this.queue, sha);
    this.log(`module ${sha.slice(0, 12)}…: ${bytes.length} bytes fetched and checked`);
    return createPool({ workers: this.workers, module: bytes });
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.then((pool) => { releaseReservation(pool); return pool.close(); }, () => {})));
  }
}

/** Input regions by range job: fetched and checked once per job. */
class InputCache {
  private job = "";
  private bytes: Promise<Uint8Array[]> = Promise.resolve([]);

  constructor(private readonly client: RedisClient, private readonly queue: string) {}

  get(d: PartJobData): Promise<Uint8Array[]> {
    if (d.inputs.length === 0) return Promise.resolve([]);
    if (d.job !== this.job) {
      this.job = d.job;
      this.bytes = Promise.all(d.inputs.map(async (input) => {
        const bytes = await getBlob(this.client, this.queue, input.sha256);
        if (bytes.length !== input.bytes) throw new Error(`input at byte ${input.offset} has ${bytes.length} bytes, not ${input.bytes}`);
        return bytes;
      }));
      this.bytes.catch(() => { this.job = ""; });
    }
    return this.bytes;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
