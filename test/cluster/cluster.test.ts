/**
 * Range jobs across machines: a real redis-server and three real `wasm-mp worker` processes
 * (one thread each), against a local pool computing the same jobs. Every result must have the
 * same bits as the local one; faults (a worker killed, an abort, a trap, Redis gone) must end
 * in the right error or the right result, in bounded time.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError, ClusterError, InvalidArgumentError, KernelError, countPrimes, createCluster, createPool, heat, isCluster, primes, leibniz, monteCarloPi, pi,
  type Cluster, type Pool,
} from "../../dist/index.js";
import { Barrier, Event, Mutex, Queue, RLock, Semaphore, Value } from "../../dist/sync-entry.js";
import { POOL_MODULE_FLAGS, compileAs } from "../helpers/asc.js";
import { freePort, runCli, startRedis, startWorker, type RedisServer, type WorkerProcess } from "./helpers.js";

let redis: RedisServer;
let workers: WorkerProcess[] = [];
let local: Pool;
let localUser: Pool;
let cluster: Cluster;
let userCluster: Cluster;
let modulePath: string;

beforeAll(async () => {
  modulePath = compileAs("test/cluster/fixtures/kernels.ts", POOL_MODULE_FLAGS);
  redis = await startRedis();
  workers = await Promise.all([0, 1, 2].map(() => startWorker(redis.url)));
  local = await createPool({ workers: 2 });
  localUser = await createPool({ workers: 2, module: modulePath });
  // small part-jobs, so that even these short jobs spread over the three workers
  cluster = await createCluster({ connection: redis.url, partsPerJob: 4, redisTimeoutMs: 3000 });
  userCluster = await createCluster({ connection: redis.url, module: modulePath, partsPerJob: 1, redisTimeoutMs: 3000 });
}, 90_000);

afterAll(async () => {
  await cluster?.close();
  await userCluster?.close();
  await local?.close();
  await localUser?.close();
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await redis?.stop();
});

describe("results through the cluster have the bits of a local run", () => {
  it("π by the midpoint rule", async () => {
    const a = await pi({ n: 2e8, pool: cluster });
    const b = await pi({ n: 2e8, pool: local });
    expect(Object.is(a.value, b.value)).toBe(true);
    expect(a.parts).toBe(b.parts);
    expect(Math.abs(a.value - Math.PI)).toBeLessThan(1e-12);
    // 48 parts in 12 part-jobs over three idle workers
    expect(cluster.lastRun).toMatchObject({ parts: b.parts, partJobs: Math.ceil(b.parts / 4) });
    expect(cluster.lastRun!.machines).toBeGreaterThanOrEqual(2);
    // the result says where it ran; a local run's does not
    expect(a).toMatchObject({ machines: cluster.lastRun!.machines, partJobs: cluster.lastRun!.partJobs });
    expect("machines" in b || "partJobs" in b).toBe(false);
  });

  it("Monte Carlo π: the same hit count", async () => {
    const a = await monteCarloPi({ samples: 5e7, seed: 12345, pool: cluster });
    const b = await monteCarloPi({ samples: 5e7, seed: 12345, pool: local });
    expect(a.hits).toBe(b.hits);
    expect(Object.is(a.value, b.value)).toBe(true);
  });

  it("prime counts, largest prime and exact sum (the sieve's set-up travels as an input region)", async () => {
    const a = await countPrimes({ upTo: 1e8, sum: true, pool: cluster });
    expect(a.count).toBe(5761455); // π(10⁸)
    expect(a.last).toBe(99999989);
    expect(a.sum).toBe(279209790387276n); // Σ p ≤ 10⁸ (OEIS A046731)
    const b = await countPrimes({ upTo: 1e8, sum: true, pool: local });
    expect([a.count, a.last, a.sum]).toEqual([b.count, b.last, b.sum]);
    expect(cluster.lastRun!.machines).toBeGreaterThanOrEqual(1);
    expect(a.machines).toBeGreaterThanOrEqual(1);
    expect(a.partJobs).toBeGreaterThanOrEqual(cluster.lastRun!.partJobs);
  });

  it("Leibniz to 60 digits (per-part limb sums come back as output slots)", async () => {
    const a = await leibniz({ from: 0, to: 3e5, digits: 60, pool: cluster });
    const b = await leibniz({ from: 0, to: 3e5, digits: 60, pool: local });
    expect(a.value).toBe(b.value);
    expect(a.value.startsWith("3.14158932")).toBe(true);
  });

  it("a user's mapReduce: block, cyclic and block-cyclic partitions, sum, min and max", async () => {
    const range: [number, number] = [0, 3_000_001];
    for (const options of [
      { chunkSize: 100_000, args: [1.1] },
      { partition: "block-cyclic" as const, chunkSize: 20_000, parts: 7, args: [0.3] },
      { partition: "cyclic" as const, parts: 5, args: [1] },
      { chunkSize: 250_000, args: [1], reduce: "max" as const },
      { chunkSize: 250_000, args: [1], reduce: "min" as const },
    ]) {
      const r = options.partition === "cyclic" ? [0, 40_001] as [number, number] : range;
      const a = await userCluster.mapReduce("harmonic", r, options);
      const b = await localUser.mapReduce("harmonic", r, options);
      expect(Object.is(a, b), JSON.stringify(options)).toBe(true);
    }
    // a plain reference written here: Σ 1.1/(i+1) block by block, added pairwise like the pool
    const ref = harmonicReference(0, 3_000_001, 100_000, 1.1);
    expect(await userCluster.mapReduce("harmonic", range, { chunkSize: 100_000, args: [1.1] })).toBe(ref);
  });

  it("partials cross the wire exactly: -0, NaN, ±Infinity, 1/3, 2^53 − 1 and the smallest double", async () => {
    const seen = async (on: { mapReduce: Cluster["mapReduce"] }): Promise<number[]> => {
      const out: number[] = [];
      const first = await on.mapReduce("special", [0, 8000], {
        chunkSize: 1000, reduce: (acc, v) => { out.push(v); return acc; },
      });
      return [first, ...out];
    };
    const a = await seen(userCluster);
    expect(a.length).toBe(8);
    const expected = [-0, NaN, Infinity, -Infinity, 0.1, 1 / 3, 9007199254740991, 5e-324];
    a.forEach((v, i) => expect(Object.is(v, expected[i]), `part ${i}: ${v}`).toBe(true));
    expect(await seen(localUser as unknown as Cluster)).toEqual(a);
  });

  it("the CLI: pi --cluster prints the local JSON's value plus machines and parts", async () => {
    const [remote, here] = await Promise.all([
      runCli(["pi", "--n", "1e8", "--json", "--cluster", redis.url]),
      runCli(["pi", "--n", "1e8", "--json"]),
    ]);
    expect(remote.code, remote.stderr).toBe(0);
    const a = JSON.parse(remote.stdout) as Record<string, number>;
    const b = JSON.parse(here.stdout) as Record<string, number>;
    expect(Object.is(a.value, b.value)).toBe(true);
    expect(a.parts).toBe(b.parts);
    expect(a.machines).toBeGreaterThanOrEqual(1);
    expect(a.partJobs).toBeGreaterThanOrEqual(1);
  });

  it("the CLI: montecarlo, primes --count-only and leibniz with --cluster print the local results", async () => {
    const commands = [
      ["montecarlo", "--samples", "2e7", "--seed", "7"],
      ["primes", "--up-to", "1e7", "--count-only"],
      ["leibniz", "--from", "0", "--to", "1e5", "--digits", "40"],
    ];
    const runs = await Promise.all(commands.flatMap((c) => [runCli([...c, "--json", "--cluster", redis.url]), runCli([...c, "--json"])]));
    for (let i = 0; i < commands.length; i++) {
      const [remote, here] = [runs[2 * i]!, runs[2 * i + 1]!];
      expect(remote.code, remote.stderr).toBe(0);
      const a = JSON.parse(remote.stdout) as Record<string, unknown>;
      const b = JSON.parse(here.stdout) as Record<string, unknown>;
      for (const key of ["value", "hits", "count", "last", "sum"]) expect(a[key], `${commands[i]![0]} ${key}`).toEqual(b[key]);
      expect(a.machines).toBeGreaterThanOrEqual(1);
    }
    const list = await runCli(["primes", "--up-to", "1e6", "--cluster", redis.url]);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/--cluster needs --count-only/);
  });

  it("the CLI: run --cluster sends the user's module through Redis", async () => {
    const r = await runCli(["run", modulePath, "harmonic", "--range", "0..2e6", "--args", "1", "--chunk", "100000", "--json", "--cluster", redis.url]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { value: number; machines: number; parts: number };
    expect(Object.is(out.value, await localUser.mapReduce("harmonic", [0, 2e6], { chunkSize: 100_000, args: [1] }))).toBe(true);
    expect(out.parts).toBe(20);
  });
});

describe("what a cluster refuses", () => {
  it("isCluster tells a cluster from a pool", () => {
    expect(isCluster(cluster)).toBe(true);
    expect(isCluster(local)).toBe(false);
    expect(cluster.kind).toBe("cluster");
  });

  it("a multi-part job that declares no memory regions (it could use shared memory in ways that do not copy)", async () => {
    await expect(cluster.runRange({ kernel: "piMidpointSimd", args: [1000], spec: { scheme: "block", start: 1, end: 1001, parts: 2, blockSize: 500 } }))
      .rejects.toThrow(/cannot be copied to other machines/);
  });

  it("typed-array arguments to mapReduce, and a compiled WebAssembly.Module", async () => {
    const view = userCluster.alloc(Float64Array, 4);
    await expect(userCluster.mapReduce("harmonic", [0, 10], { args: [view as unknown as number] })).rejects.toThrow(InvalidArgumentError);
    userCluster.free(view);
    const compiled = await WebAssembly.compile(readFileSync(modulePath));
    await expect(createCluster({ connection: redis.url, module: compiled as unknown as string })).rejects.toThrow(/cannot be sent to other machines/);
  });

  it("the heat plate (its sweeps meet in one shared memory) and the prime list (one memory holds it)", async () => {
    await expect(heat({ size: 64, maxIterations: 2, pool: cluster })).rejects.toThrow(/cannot run on a cluster.*halo exchange/);
    await expect(primes({ upTo: 1e6, pool: cluster })).rejects.toThrow(/cannot run on a cluster/);
  });

  it("synchronization primitives (the other machines never see the coordinator's memory)", () => {
    const make: Array<[string, () => unknown]> = [
      ["Mutex", () => Mutex.create(cluster)], ["RLock", () => RLock.create(cluster)], ["Event", () => Event.create(cluster)],
      ["Semaphore", () => Semaphore.create(cluster, 1)], ["Barrier", () => Barrier.create(cluster, 2)],
      ["Queue", () => Queue.create(cluster, 4)], ["Value", () => Value.create(cluster, "f64", 0)],
    ];
    for (const [what, create] of make) {
      expect(create, what).toThrow(InvalidArgumentError);
      expect(create, what).toThrow(new RegExp(`^pool must be a Pool from createPool\\(\\): a ${what} lives in one machine's shared memory`));
    }
  });

  it("a connection that is not a Redis URL", async () => {
    await expect(createCluster({ connection: "http://localhost:6379" })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("faults", () => {
  it("a kernel trap rejects with a KernelError naming the part, without retries", async () => {
    const started = performance.now();
    const e = await userCluster.mapReduce("trapAt", [0, 1e6], { chunkSize: 1e5, args: [456_789] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KernelError);
    expect((e as KernelError).part).toBe(4);
    expect((e as KernelError).kernel).toBe("trapAt");
    expect((e as Error).message).toMatch(/unreachable/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("a module whose bytes in Redis do not match their SHA-256 is refused by the workers", async () => {
    // a valid module with bytes of its own (a custom section), so that no worker has it compiled yet
    const bytes = withCustomSection(readFileSync(modulePath), `test-${Date.now()}`);
    const c = await createCluster({ connection: redis.url, module: bytes, partsPerJob: 1, redisTimeoutMs: 3000 });
    try {
      const { Redis } = await import("ioredis");
      const { createHash } = await import("node:crypto");
      const sha = createHash("sha256").update(bytes).digest("hex");
      const r = new Redis(redis.url);
      const key = `wasm-mp:wasm-mp:blob:${sha}`;
      expect(await r.exists(key)).toBe(1);
      await r.set(key, Buffer.concat([bytes, Buffer.from([0])]), "KEEPTTL");
      r.disconnect();
      await expect(c.mapReduce("harmonic", [0, 1000], { args: [1] })).rejects.toThrow(/SHA-256.*refused/);
    } finally {
      await c.close();
    }
  });

  it("abort removes the pending part-jobs and rejects with AbortError; the workers go on", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = userCluster.mapReduce("slowHarmonic", [0, 3e6], {
      chunkSize: 1e5, args: [500], signal: controller.signal, onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow(AbortError);
    expect(performance.now() - started).toBeLessThan(6000);
    const { Queue } = await import("bullmq");
    const { Redis } = await import("ioredis");
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const q = new Queue("wasm-mp", { connection });
    try {
      await expect.poll(() => q.getWaitingCount(), { timeout: 3000 }).toBe(0);
      // the part-jobs that were running finish (≤ ~0.3 s each); none of the 30 runs after them
      await expect.poll(() => q.getActiveCount(), { timeout: 5000 }).toBe(0);
    } finally {
      await q.close();
      connection.disconnect();
    }
    expect(await userCluster.mapReduce("harmonic", [0, 1e5], { args: [1] })).toBe(await localUser.mapReduce("harmonic", [0, 1e5], { args: [1] }));
  });

  it("a coordinator started again with the same job id collects the results already computed", async () => {
    const jobId = `restart-${Date.now()}`;
    const first = await createCluster({ connection: redis.url, module: modulePath, partsPerJob: 1, redisTimeoutMs: 1000 });
    let progressed!: () => void;
    const someDone = new Promise<void>((resolve) => { progressed = resolve; });
    const lost = first.mapReduce("slowHarmonic", [0, 6e5], { chunkSize: 1e5, args: [300], jobId, onProgress: () => progressed() });
    lost.catch(() => {});
    await someDone;
    await first.close(); // the coordinator goes away mid-job
    await expect(lost).rejects.toThrow();
    const second = await createCluster({ connection: redis.url, module: modulePath, partsPerJob: 1 });
    try {
      // the id names that job: another computation under it is refused, not mixed up
      await expect(second.mapReduce("slowHarmonic", [0, 6e5], { chunkSize: 1e5, args: [301], jobId })).rejects.toThrow(InvalidArgumentError);
      const value = await second.mapReduce("slowHarmonic", [0, 6e5], { chunkSize: 1e5, args: [300], jobId });
      expect(Object.is(value, await localUser.mapReduce("slowHarmonic", [0, 6e5], { chunkSize: 1e5, args: [300] }))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it("a worker killed with SIGKILL mid-run changes nothing: its part-job goes to another worker", async () => {
    let progressed!: () => void;
    const someDone = new Promise<void>((resolve) => { progressed = resolve; });
    const run = userCluster.mapReduce("slowHarmonic", [0, 1.2e6], { chunkSize: 1e5, args: [500], onProgress: () => progressed() });
    await someDone;
    // every worker is busy now (12 part-jobs of ~0.3 s over three): this one dies in a part-job
    const victim = workers[0]!;
    await victim.stop("SIGKILL");
    const value = await run;
    expect(Object.is(value, await localUser.mapReduce("slowHarmonic", [0, 1.2e6], { chunkSize: 1e5, args: [500] }))).toBe(true);
    expect(userCluster.lastRun!.machines).toBeGreaterThanOrEqual(2);
    workers[0] = await startWorker(redis.url);
  });

  it("timeoutMs rejects with a TimeoutError and removes the pending part-jobs", async () => {
    const started = performance.now();
    const e = await userCluster.mapReduce("slowHarmonic", [0, 3e6], { chunkSize: 1e5, args: [500], timeoutMs: 600 }).catch((x: unknown) => x);
    expect((e as Error).name).toBe("TimeoutError");
    expect(performance.now() - started).toBeLessThan(3000);
    const { Queue } = await import("bullmq");
    const { Redis } = await import("ioredis");
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const q = new Queue("wasm-mp", { connection });
    try {
      await expect.poll(() => q.getWaitingCount(), { timeout: 3000 }).toBe(0);
      await expect.poll(() => q.getActiveCount(), { timeout: 5000 }).toBe(0);
    } finally {
      await q.close();
      connection.disconnect();
    }
  });

  it("SIGTERM mid-part-job: the worker finishes it, reports it and exits 0; the result is unchanged", async () => {
    const extra = await startWorker(redis.url);
    let progressed!: () => void;
    const someDone = new Promise<void>((resolve) => { progressed = resolve; });
    const run = userCluster.mapReduce("slowHarmonic", [0, 1.2e6], { chunkSize: 1e5, args: [500], onProgress: () => progressed() });
    await someDone;
    const code = await extra.stop("SIGTERM");
    expect(code).toBe(0);
    // it had a part-job when the signal came, and finished it: more done at the end than then
    const at = /SIGTERM: finishing the current part-job, then exiting \((\d+) done\)/.exec(extra.output());
    const end = /stopped after (\d+) part-jobs/.exec(extra.output());
    expect(at && end && Number(end[1]) > Number(at[1]), extra.output()).toBe(true);
    const v = await run;
    expect(Object.is(v, await localUser.mapReduce("slowHarmonic", [0, 1.2e6], { chunkSize: 1e5, args: [500] }))).toBe(true);
  });

  it("a worker stops cleanly on SIGTERM (exit code 0)", async () => {
    const w = await startWorker(redis.url);
    expect(await w.stop("SIGTERM")).toBe(0);
    expect(w.output()).toMatch(/SIGTERM: finishing the current part-job/);
  });

  it("Redis unreachable at the start: a ClusterError in bounded time", async () => {
    const port = await freePort();
    const started = performance.now();
    await expect(createCluster({ connection: `redis://127.0.0.1:${port}`, redisTimeoutMs: 1000 })).rejects.toThrow(ClusterError);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("a worker whose Redis is unreachable exits with an error in bounded time", async () => {
    const port = await freePort();
    const started = performance.now();
    const r = await runCli(["worker", "--cluster", `redis://127.0.0.1:${port}`, "--workers", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`connecting to redis://127.0.0.1:${port}.*no answer from Redis`));
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("Redis stopped mid-run: a ClusterError in bounded time, and the workers still stop on SIGTERM", async () => {
    let progressed!: () => void;
    const someDone = new Promise<void>((resolve) => { progressed = resolve; });
    const run = userCluster.mapReduce("slowHarmonic", [0, 1.2e6], { chunkSize: 1e5, args: [500], onProgress: () => progressed() });
    run.catch(() => {});
    await someDone;
    await redis.stop();
    const stopped = performance.now();
    await expect(run).rejects.toThrow(/Redis/);
    await expect(run).rejects.toBeInstanceOf(ClusterError);
    // redisTimeoutMs is 3 s: the error comes soon after
    expect(performance.now() - stopped).toBeLessThan(9000);
    const codes = await Promise.all(workers.map((w) => w.stop("SIGTERM")));
    expect(codes).toEqual([0, 0, 0]);
  }, 30_000);
});

/** Σ scale/(i+1) per block of `chunk`, the blocks added pairwise in order (reduce.ts's pairwise rule). */
function harmonicReference(start: number, end: number, chunk: number, scale: number): number {
  const blocks: number[] = [];
  for (let b = start; b < end; b += chunk) {
    let s = 0;
    for (let i = b; i < Math.min(b + chunk, end); i++) s += scale / (i + 1);
    blocks.push(s);
  }
  const pairwise = (from: number, to: number): number => {
    if (to - from <= 8) {
      let s = 0;
      for (let i = from; i < to; i++) s += blocks[i]!;
      return s;
    }
    const mid = from + Math.floor((to - from) / 2);
    return pairwise(from, mid) + pairwise(mid, to);
  };
  return pairwise(0, blocks.length);
}

/** `bytes` with a custom section appended (valid WebAssembly, different bytes). */
function withCustomSection(bytes: Uint8Array, name: string): Uint8Array {
  const n = Buffer.from(name);
  const body = Buffer.concat([Buffer.from([n.length]), n, Buffer.from([1, 2, 3])]);
  return new Uint8Array(Buffer.concat([bytes, Buffer.from([0, body.length]), body]));
}
