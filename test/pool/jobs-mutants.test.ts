/**
 * The job specs (src/pool/jobs/: call, iterate, parts, private-parts) seen through the public
 * Pool API, in the test's own thread (so that Stryker's per-test coverage sees them): an apply's
 * progress before it finishes, iterate's progress, barrier timeout and lane death, a range job's
 * progress, a part whose worker dies twice, lanes that retire (maxTasksPerWorker) with parts
 * left, the privateMemory checks, and range jobs on workers with private memories: the
 * guided-self-scheduling runs, a run whose worker dies once (its replacement gets the inputs
 * again) or twice, and a worker that answers without the results. Expected values are derived
 * here, never read back from the code under test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, WorkerError, createPool, partition, type Pool } from "../../dist/index.js";
import { platform, setPlatform, type BackendInit, type Platform } from "../../dist/platform/platform.js";
import { InlineBackend } from "../../dist/platform/inline-backend.js";
import { kernelImports } from "../../dist/kernels/module.js";
import type { Backend } from "../../dist/platform/backend.js";
import type { Task, TaskResult } from "../../dist/platform/task.js";
import { until, within } from "../helpers/deadline.js";

let dir: string;
let module: string;
let js: Pool;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jobs-mutants-"));
  module = join(dir, "kernels.mjs");
  writeFileSync(module, [
    "let memory;",
    "export function init(m) { memory = m; }",
    "// sleeps until the word at ptr is no longer 0",
    "export function waitOn(ptr) { Atomics.wait(new Int32Array(memory.buffer, ptr, 1), 0, 0); return 1; }",
    "// iterate step: lane k's value is (k+1)·2^−iteration",
    "export function decay(lane, lanes, iteration) { return (lane + 1) * 0.5 ** iteration; }",
    "// iterate step: lane 1 ends its worker at iteration 2",
    "export function dieStep(lane, lanes, iteration) { if (lane === 1 && iteration === 2) process.exit(5); return 1; }",
    "// team member 1 ends its worker; the others return their index",
    "export function dieMember(m) { if (m === 1) process.exit(5); return m; }",
    "export function sumSquares(start, end) { let s = 0; for (let i = start; i < end; i++) s += i * i; return s; }",
    "// Σ i² over the block, but the block holding `at` ends its worker, every time",
    "export function squaresDieAt(start, end, at) { if (start <= at && at < end) process.exit(6); return sumSquares(start, end); }",
  ].join("\n"));
  js = await createPool({ workers: 2, module });
});
afterAll(async () => {
  await js?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const wake = (word: Int32Array): void => { Atomics.store(word, 0, 1); Atomics.notify(word, 0); };
const sumSquares = (start: number, end: number): number => { let s = 0; for (let i = start; i < end; i++) s += i * i; return s; };
const allAlive = (p: Pool): Promise<void> => until(() => p.stats().perWorker.filter((w) => w.alive).length === p.size, "the pool's workers, all alive");

describe("apply", () => {
  it("reports 0 of 1 done while the kernel runs, and 1 of 1 at the end", async () => {
    const word = js.alloc(Int32Array, 1);
    const seen: { done: number; total: number; fraction: number }[] = [];
    try {
      const call = js.apply("waitOn", [word.byteOffset], { onProgress: (p) => seen.push({ ...p }), progressIntervalMs: 15 });
      await until(() => seen.length >= 3, "three progress reports while the kernel waits");
      wake(word);
      expect(await within(call, "the apply once woken")).toBe(1);
    } finally {
      wake(word);
    }
    for (const p of seen.slice(0, -1)) expect(p).toEqual({ done: 0, total: 1, fraction: 0 });
    expect(seen.at(-1)).toEqual({ done: 1, total: 1, fraction: 1 });
    js.free(word);
  });
});

describe("runTeam", () => {
  it("a member whose worker dies is not retried: a WorkerError naming the member and the kernel", async () => {
    await allAlive(js);
    const e = await within(js.runTeam({ kernel: "dieMember", workers: 2 }).catch((x: unknown) => x), "the team whose member died");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toMatch(/^the worker running lane 1 of kernel dieMember died: .*code 5/);
    await allAlive(js);
    const r = await js.runTeam({ kernel: "decay", workers: 2, args: [0, 1] }); // member m: (m + 1)·0.5^1
    expect(r.values).toEqual([0.5, 1]);
  });
});

describe("iterate", () => {
  it("converged early: the final report counts the iterations done of maxIterations", async () => {
    // reduce max over 2 lanes: 2·2^−i at iteration i; the first below 0.1 is i = 5 (0.0625): 6 iterations
    let iterations = 0;
    let v = Infinity;
    while (!(v < 0.1)) v = 2 * 0.5 ** iterations++;
    expect([iterations, v]).toEqual([6, 0.0625]);
    const seen: { done: number; total: number; fraction: number; iteration: number; value: number }[] = [];
    const r = await js.iterate({ kernel: "decay", lanes: 2, maxIterations: 100, until: { below: 0.1 }, onProgress: (p) => seen.push({ ...p }) });
    expect([r.iterations, r.value, r.converged]).toEqual([iterations, v, true]);
    expect(seen.at(-1)).toEqual({ done: iterations, total: 100, fraction: iterations / 100, iteration: iterations, value: v });
  });

  it("a lane held up behind a busy worker: the waiting lane gives up at barrierTimeoutMs with a WorkerError saying why", async () => {
    const word = js.alloc(Int32Array, 1);
    try {
      const busy = js.apply("waitOn", [word.byteOffset]); // one of the 2 workers: the second lane queues behind it
      const e = await within(js.iterate({ kernel: "decay", lanes: 2, maxIterations: 1000, barrierTimeoutMs: 50 }).catch((x: unknown) => x), "the iterate whose lane was held up");
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as Error).message).toBe("iterate: a lane of decay waited at the step barrier for more than barrierTimeoutMs = 50 ms; " +
        "another lane died or was held up (are there fewer free workers than lanes?)");
      wake(word);
      expect(await within(busy, "the busy apply once woken")).toBe(1);
    } finally {
      wake(word);
    }
    js.free(word);
  });

  it("a lane whose worker dies is not retried: a WorkerError naming the lane, before the barrier gives up", async () => {
    await allAlive(js);
    const started = performance.now();
    const e = await within(js.iterate({ kernel: "dieStep", lanes: 2, maxIterations: 10, barrierTimeoutMs: 4000 }).catch((x: unknown) => x), "the iterate whose lane died");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toMatch(/^the worker running lane 1 of kernel dieStep died: .*code 5/);
    expect(performance.now() - started).toBeLessThan(3000);
    await allAlive(js);
  });
});

describe("range jobs on shared memory", () => {
  it("report the parts done, ending at every part", async () => {
    const spec = partition(0, 1000, { chunkSize: 100 });
    const seen: { done: number; total: number; fraction: number }[] = [];
    const r = await js.runRange({ kernel: "sumSquares", spec, onProgress: (p) => seen.push({ ...p }) });
    expect(Array.from(r.partials)).toEqual(Array.from({ length: 10 }, (_, j) => sumSquares(100 * j, 100 * j + 100)));
    expect(seen.at(-1)).toEqual({ done: 10, total: 10, fraction: 1 });
  });

  it("a part whose worker dies twice fails the job with a WorkerError naming the part, the second death its cause", async () => {
    await allAlive(js);
    const e = await within(js.runRange({ kernel: "squaresDieAt", args: [550], spec: partition(0, 1000, { chunkSize: 100 }) }).catch((x: unknown) => x),
      "the range job whose part killed its worker twice");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toMatch(/^a worker died twice while running part 5 of kernel squaresDieAt \(the part was retried once\): .*code 6/);
    expect((e as Error).cause).toBeDefined();
    await allAlive(js);
    // the pool goes on: the same job without the fatal block
    const r = await js.runRange({ kernel: "squaresDieAt", args: [-1], spec: partition(0, 1000, { chunkSize: 100 }) });
    expect(Array.from(r.partials)).toEqual(Array.from({ length: 10 }, (_, j) => sumSquares(100 * j, 100 * j + 100)));
  });

  it("lanes that retire with parts left (maxTasksPerWorker) are followed by new lanes until every part is done", async () => {
    const pool = await createPool({ workers: 1, module, maxTasksPerWorker: 2 });
    try {
      const r = await pool.runRange({ kernel: "sumSquares", spec: partition(0, 1000, { chunkSize: 100 }) });
      expect(Array.from(r.partials)).toEqual(Array.from({ length: 10 }, (_, j) => sumSquares(100 * j, 100 * j + 100)));
      // 10 parts, at most 2 per worker
      expect(pool.stats().workersStarted).toBeGreaterThanOrEqual(5);
    } finally {
      await pool.close();
    }
  });
});

describe("privateMemory's checks", () => {
  const spec = partition(0, 100, { chunkSize: 10 }); // 10 parts
  const run = (privateMemory: unknown): Promise<unknown> =>
    js.runRange({ kernel: "sumSquares", spec, privateMemory: privateMemory as never }).catch((x: unknown) => x);
  const expectInvalid = (e: unknown, parameter: string, message: string): void => {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).parameter).toBe(parameter);
    expect((e as Error).message).toBe(message);
  };
  const expected = Array.from({ length: 10 }, (_, j) => sumSquares(10 * j, 10 * j + 10));

  it("inputs: views of the pool's memory, up to its last byte; anything else names the option", async () => {
    expectInvalid(await run({ inputs: [new Float64Array(4)] }), "privateMemory.inputs",
      "privateMemory.inputs must be an array of views allocated by this pool (pool.alloc); got a Float64Array of length 4");
    // a view of shared memory that ends past the pool's memory
    const end = js.memory.buffer.byteLength;
    expectInvalid(await run({ inputs: [new Float64Array(new SharedArrayBuffer(end + 64), end, 8)] }), "privateMemory.inputs",
      "privateMemory.inputs must be an array of views allocated by this pool (pool.alloc); got a Float64Array of length 8");
    // the pool's memory's last 8 bytes are on it
    const last = await run({ inputs: [new Float64Array(js.memory.buffer, end - 8, 1)] }) as { partials: Float64Array };
    expect(Array.from(last.partials)).toEqual(expected);
  });

  it("partOutputs alone: accepted when each slot fits its view", async () => {
    const out = js.alloc(Float64Array, 10);
    const r = await run({ partOutputs: [{ view: out, bytesPerPart: 8 }] }) as { partials: Float64Array };
    expect(Array.from(r.partials)).toEqual(expected);
    js.free(out);
  });

  it("partOutputs: views of the pool's memory, and bytesPerPart an integer whose parts fit the view", async () => {
    const out = js.alloc(Float64Array, 10); // 80 bytes over 10 parts: 0 to 8
    try {
      expectInvalid(await run({ partOutputs: [{ view: new Float64Array(10), bytesPerPart: 8 }] }), "privateMemory.partOutputs",
        "privateMemory.partOutputs must be views allocated by this pool (pool.alloc); got a Float64Array of length 10");
      expectInvalid(await run({ partOutputs: [null] }), "privateMemory.partOutputs",
        "privateMemory.partOutputs must be views allocated by this pool (pool.alloc); got undefined");
      for (const bad of [9, 1.5, -1, Number.NaN]) {
        expectInvalid(await run({ partOutputs: [{ view: out, bytesPerPart: bad }] }), "privateMemory.partOutputs.bytesPerPart",
          `privateMemory.partOutputs.bytesPerPart must be an integer from 0 to 8 (the view's bytes over 10 parts); got ${Number.isNaN(bad) ? "NaN" : bad}`);
      }
      for (const good of [0, 8]) {
        const r = await run({ partOutputs: [{ view: out, bytesPerPart: good }] }) as { partials: Float64Array };
        expect(Array.from(r.partials)).toEqual(expected);
      }
    } finally {
      js.free(out);
    }
  });
});

// ---- range jobs on workers with private memories (as in test/pool/private-range.test.ts) ----

/** What the test backend does with a task: run it, end its worker (rejecting), or answer `answer`. */
type Fault = { die: Error } | { answer: TaskResult } | undefined;

/**
 * "Workers" that are instances of the kernels over private memories of their own, as Web Workers
 * on a page that is not cross-origin isolated. `fault` may end a worker (its promise rejects, and
 * a replacement with a new, zeroed memory takes its place, as a real death does) or make it
 * answer something else.
 */
class PrivateMemoryBackend implements Backend {
  readonly sharesMemory = false;
  readonly size: number;
  workers: InlineBackend[];
  readonly runs: Array<{ first: number; count: number; withInputs: boolean }> = [];
  fault: (worker: number, task: { first: number; count: number }) => Fault = () => undefined;

  constructor(private readonly init: BackendInit) {
    this.size = init.size;
    this.workers = Array.from({ length: init.size }, () => this.fresh());
    const ready = new Int32Array(init.memory.buffer, init.readyCounter, 1); // word 0: workers ready (ready.ts)
    Atomics.add(ready, 0, init.size);
    Atomics.notify(ready, 0);
  }

  private fresh(): InlineBackend {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    return new InlineBackend(new WebAssembly.Instance(this.init.setup.module!, kernelImports(memory)).exports, memory);
  }

  run(task: Task): Promise<TaskResult> {
    return this.runOn(0, task);
  }

  async runOn(worker: number, task: Task): Promise<TaskResult> {
    await new Promise((resolve) => setImmediate(resolve)); // a message round trip
    const t = task as Task & { first: number; count: number; inputs?: unknown[] };
    this.runs.push({ first: t.first, count: t.count, withInputs: t.inputs !== undefined });
    const fault = this.fault(worker, t);
    if (fault && "die" in fault) {
      this.workers[worker] = this.fresh();
      throw fault.die;
    }
    const result = this.workers[worker]!.runSync(task);
    return fault ? fault.answer : result;
  }

  async close(): Promise<void> {}
}

/** sumF64(start, end, ptr) = Σ_{i=start}^{end−1} f64 at ptr + 8i, over an imported shared memory. */
function sumF64Module(): WebAssembly.Module {
  const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
  const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const f64 = 0x7c;
  const one = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  const body = [
    0x01, 0x01, f64,
    0x02, 0x40, 0x03, 0x40,
    0x20, 0, 0x20, 1, 0x66, 0x0d, 1,
    0x20, 3,
    0x20, 2, 0xab, 0x20, 0, 0xab, 0x41, 3, 0x74, 0x6a,
    0x2b, 3, 0, 0xa0, 0x21, 3,
    0x20, 0, ...one, 0xa0, 0x21, 0,
    0x0c, 0, 0x0b, 0x0b,
    0x20, 3, 0x0b,
  ];
  return new WebAssembly.Module(new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, f64, f64, f64, 1, f64]),
    ...section(2, [1, ...text("env"), ...text("memory"), 0x02, 0x03, 1, 0x80, 0x80, 0x04]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...text("sumF64"), 0x00, 0]),
    ...section(10, [1, body.length, ...body]),
  ]));
}

describe("range jobs on workers with private memories", () => {
  let node: Platform;
  let backend: PrivateMemoryBackend;
  beforeAll(() => { node = platform(); });

  async function privatePool(workers: number): Promise<Pool> {
    const kernels = sumF64Module();
    setPlatform({ ...node, loadKernels: async () => kernels, createBackend: (init) => (backend = new PrivateMemoryBackend(init)) });
    try {
      return await createPool({ workers });
    } finally {
      setPlatform(node);
    }
  }

  /** xs[i] = i + 1 over 100 f64, in parts of one element: partial j is j + 1. */
  async function withJob(workers: number, body: (pool: Pool, run: () => Promise<Float64Array>) => Promise<void>): Promise<void> {
    const pool = await privatePool(workers);
    try {
      const xs = pool.alloc(Float64Array, 100);
      xs.forEach((_, i) => { xs[i] = i + 1; });
      const run = async (): Promise<Float64Array> => (await pool.runRange({
        kernel: "sumF64", args: [xs.byteOffset], spec: partition(0, 100, { chunkSize: 1 }), privateMemory: { inputs: [xs] },
      })).partials;
      await body(pool, run);
    } finally {
      await pool.close();
    }
  }
  const expected = Array.from({ length: 100 }, (_, j) => j + 1);

  it("hand out runs of a quarter of the remaining parts divided among the workers, at least one", async () => {
    await withJob(2, async (_pool, run) => {
      expect(Array.from(await run())).toEqual(expected);
      const counts: number[] = [];
      for (let next = 0; next < 100;) {
        const count = Math.max(1, Math.floor((100 - next) / (4 * 2)));
        counts.push(count);
        next += count;
      }
      expect(counts.slice(0, 3)).toEqual([12, 11, 9]);
      expect(backend.runs.map((r) => r.count)).toEqual(counts);
      // each worker gets the inputs with its first run only
      expect(backend.runs.filter((r) => r.withInputs)).toHaveLength(2);
    });
  });

  it("run a run whose worker died again, once, on the replacement, with the inputs again: the same partials", async () => {
    await withJob(2, async (_pool, run) => {
      let died = false;
      backend.fault = (worker, t) => {
        if (died || worker !== 0 || t.first === 0) return undefined; // worker 0's second run: its inputs are in place
        died = true;
        return { die: new Error("worker 0 ended") };
      };
      expect(Array.from(await run())).toEqual(expected);
      expect(died).toBe(true);
    });
  });

  it("fail with a WorkerError when a run's worker dies twice, the second death its cause", async () => {
    await withJob(2, async (_pool, run) => {
      const deaths: Error[] = [];
      backend.fault = (_worker, t) => {
        if (t.first !== 0) return undefined;
        deaths.push(new Error(`death ${deaths.length + 1}`));
        return { die: deaths.at(-1)! };
      };
      const e = await within(run().catch((x: unknown) => x), "the job whose run died twice");
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as Error).message).toBe("a worker died twice while running sumF64 (the run was retried once): death 2");
      expect((e as Error).cause).toBe(deaths[1]);
      expect(deaths).toHaveLength(2);
    });
  });

  it("fail with a WorkerError when a worker answers a run without its results", async () => {
    const answers: TaskResult[] = [
      { partials: new Float64Array(11), outputs: [] } as unknown as TaskResult, // one partial short (the first run has 12 parts)
      { partials: new Float64Array(12), outputs: [new Uint8Array(0)] } as unknown as TaskResult, // an output the job did not declare
      { value: 0 } as unknown as TaskResult,
      null as unknown as TaskResult,
    ];
    for (const answer of answers) {
      await withJob(2, async (_pool, run) => {
        backend.fault = (_worker, t) => (t.first === 0 ? { answer } : undefined);
        const e = await within(run().catch((x: unknown) => x), "the job whose worker answered without results");
        expect(e).toBeInstanceOf(WorkerError);
        expect((e as Error).message).toBe("a worker answered parts 0–11 of sumF64 without their results");
      });
    }
  });
});
