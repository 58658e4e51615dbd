// The pool's private-memory mode (src/pool/private-range.ts), the one browsers use on pages that
// are not cross-origin isolated, run here in Node: a test backend whose "workers" are instances
// of the kernels over private memories of their own, as Web Workers there have.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, KernelError, countPrimes, createPool, leibniz, monteCarloPi, partition, pi, primes, type Pool } from "../../dist/index.js";
import { platform, setPlatform, type BackendInit, type Platform } from "../../dist/platform/platform.js";
import { InlineBackend } from "../../dist/platform/inline-backend.js";
import { kernelImports } from "../../dist/kernels/module.js";
import type { Backend } from "../../dist/platform/backend.js";
import type { Task, TaskResult } from "../../dist/platform/task.js";

class PrivateMemoryBackend implements Backend {
  readonly sharesMemory = false;
  readonly size: number;
  readonly workers: InlineBackend[];
  /** Tasks each worker ran, by kind. */
  readonly ran: Array<Record<string, number>>;

  constructor(init: BackendInit) {
    this.size = init.size;
    this.workers = Array.from({ length: init.size }, () => {
      const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
      return new InlineBackend(new WebAssembly.Instance(init.setup.module!, kernelImports(memory)).exports, memory);
    });
    this.ran = this.workers.map(() => ({}));
    const ready = new Int32Array(init.memory.buffer, init.readyCounter, 1); // word 0: workers ready (ready.ts)
    Atomics.add(ready, 0, init.size);
    Atomics.notify(ready, 0);
  }

  run(task: Task): Promise<TaskResult> {
    return this.runOn(0, task);
  }

  async runOn(worker: number, task: Task): Promise<TaskResult> {
    await new Promise((resolve) => setImmediate(resolve)); // a message round trip: other tasks and timers run meanwhile
    this.ran[worker]![task.kind] = (this.ran[worker]![task.kind] ?? 0) + 1;
    return this.workers[worker]!.runSync(task);
  }

  async close(): Promise<void> {}
}

/**
 * A module importing a shared memory, with one kernel written out in bytes:
 * sumF64(start, end, ptr) = Σ_{i=start}^{end−1} f64 at ptr + 8i.
 */
function sumF64Module(): WebAssembly.Module {
  const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
  const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const f64 = 0x7c;
  const one = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  const body = [
    0x01, 0x01, f64, // one local: the sum (local 3)
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, 0, 0x20, 1, 0x66, 0x0d, 1, // if start >= end: break
    0x20, 3,
    0x20, 2, 0xab, 0x20, 0, 0xab, 0x41, 3, 0x74, 0x6a, // ptr + (start << 3)
    0x2b, 3, 0, 0xa0, 0x21, 3, // sum += f64.load
    0x20, 0, ...one, 0xa0, 0x21, 0, // start += 1
    0x0c, 0, 0x0b, 0x0b, // continue; end loop, end block
    0x20, 3, 0x0b,
  ];
  return new WebAssembly.Module(new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, f64, f64, f64, 1, f64]),
    ...section(2, [1, ...text("env"), ...text("memory"), 0x02, 0x03, 1, 0x80, 0x80, 0x04]), // shared, 1 to 65536 pages
    ...section(3, [1, 0]),
    ...section(7, [1, ...text("sumF64"), 0x00, 0]),
    ...section(10, [1, body.length, ...body]),
  ]));
}

let node: Platform;
let backend: PrivateMemoryBackend;

/** A pool whose workers cannot see its memory. */
async function privatePool(workers: number, module?: WebAssembly.Module): Promise<Pool> {
  setPlatform({
    ...node,
    loadKernels: module ? async () => module : node.loadKernels,
    createBackend: (init) => (backend = new PrivateMemoryBackend(init)),
  });
  try {
    return await createPool({ workers });
  } finally {
    setPlatform(node);
  }
}

let shared: Pool;
beforeAll(async () => {
  node = platform();
  shared = await createPool({ workers: 3 });
});
afterAll(async () => { await shared.close(); });

describe("range jobs on workers with private memories", () => {
  it("give π the same bits as shared memory, for 1, 2 and 3 workers", async () => {
    const n = 12_345_678;
    const expected = (await pi({ n, pool: shared, inlineThreshold: 0 })).value;
    expect(shared.workersShareMemory).toBe(true);
    for (const workers of [1, 2, 3]) {
      const pool = await privatePool(workers);
      const r = await pi({ n, pool, inlineThreshold: 0 });
      expect(r.value).toBe(expected);
      expect(pool.workersShareMemory).toBe(false);
      expect(r.backend).toBe("workers");
      expect(r.workers).toBe(workers);
      // every worker took runs of parts, and no job went through the shared control block
      expect(backend.ran.map((kinds) => Object.keys(kinds))).toEqual(Array(workers).fill(["private-range"]));
      await pool.close();
    }
  });

  it("copy the job's inputs into each worker's memory at the same addresses", async () => {
    const pool = await privatePool(2, sumF64Module());
    const xs = pool.alloc(Float64Array, 1000);
    xs.forEach((_, i) => { xs[i] = 1 / (i + 1); });
    const spec = partition(0, 1000, { chunkSize: 64 });
    // the inputs are what the workers read: without them they see their own (zeroed) memory
    const blind = await pool.runRange({ kernel: "sumF64", args: [xs.byteOffset], spec, privateMemory: {} });
    expect(Array.from(blind.partials)).toEqual(Array(spec.parts).fill(0));
    const r = await pool.runRange({ kernel: "sumF64", args: [xs.byteOffset], spec, privateMemory: { inputs: [xs] } });
    const expected = Array.from({ length: spec.parts }, (_, j) => {
      let s = 0;
      for (let i = j * 64; i < Math.min(j * 64 + 64, 1000); i++) s += xs[i]!;
      return s;
    });
    expect(Array.from(r.partials)).toEqual(expected);
    expect(r.backend).toBe("workers");
    await pool.close();
  });

  it("run a job that does not allow private memory in the calling thread, on the pool's memory", async () => {
    const pool = await privatePool(2, sumF64Module());
    const xs = pool.alloc(Float64Array, 100).fill(0.5);
    const r = await pool.runRange({ kernel: "sumF64", args: [xs.byteOffset], spec: partition(0, 100, { chunkSize: 10 }) });
    expect(r.backend).toBe("inline");
    expect(Array.from(r.partials)).toEqual(Array(10).fill(5));
    expect(backend.ran.every((kinds) => Object.keys(kinds).length === 0)).toBe(true);
    await pool.close();
  });

  it("run pool.apply in the calling thread, where the pool's memory is", async () => {
    const pool = await privatePool(2, sumF64Module());
    const xs = pool.alloc(Float64Array, 4).fill(2);
    expect(await pool.apply("sumF64", [0, 4, xs.byteOffset])).toBe(8);
    await pool.close();
  });

  it("report a trap as a KernelError naming the part", async () => {
    const pool = await privatePool(1, sumF64Module());
    // indices from 30 on fall past the end of the memory
    const ptr = pool.memory.buffer.byteLength - 8 * 30;
    const job = pool.runRange({ kernel: "sumF64", args: [ptr], spec: partition(0, 100, { chunkSize: 10 }), privateMemory: {} });
    await expect(job).rejects.toThrow(KernelError);
    await expect(job).rejects.toThrow(/kernel sumF64 trapped in part 3/);
    await pool.close();
  });

  it("stop on abort with an AbortError", async () => {
    const pool = await privatePool(2);
    const controller = new AbortController();
    const job = pi({ n: 1e8, chunkSize: 1e5, pool, signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(job).rejects.toThrow(AbortError);
    const runs = backend.ran.reduce((sum, kinds) => sum + (kinds.parts ?? 0), 0);
    expect(runs).toBeLessThan(10); // 1000 parts: far from all of them
    await pool.close();
  });

  it("report progress, ending at every part done", async () => {
    const pool = await privatePool(2);
    const seen: number[] = [];
    await pi({ n: 1e7, chunkSize: 1e5, pool, onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(100);
    await pool.close();
  });

  it("refuse inputs that are not views of the pool's memory, naming the option", async () => {
    const pool = await privatePool(1, sumF64Module());
    const job = pool.runRange({ kernel: "sumF64", args: [0], spec: partition(0, 10), privateMemory: { inputs: [new Float64Array(4)] } });
    await expect(job).rejects.toThrow(/^privateMemory.inputs must be an array of views allocated by this pool/);
    await pool.close();
  });

  it("refuse views of another memory of the same kind and size: only the pool's own regions are copied to workers", async () => {
    const pool = await privatePool(1, sumF64Module());
    try {
      const other = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
      const foreign = [new Float64Array(other.buffer, 65536, 4), new Float64Array(new SharedArrayBuffer(pool.memory.buffer.byteLength), 65536, 4)];
      for (const view of foreign) {
        const job = pool.runRange({ kernel: "sumF64", args: [0], spec: partition(0, 10), privateMemory: { inputs: [view] } });
        await expect(job).rejects.toThrow(/^privateMemory.inputs must be an array of views allocated by this pool/);
        const out = pool.runRange({ kernel: "sumF64", args: [0], spec: partition(0, 10), privateMemory: { partOutputs: [{ view, bytesPerPart: 0 }] } });
        await expect(out).rejects.toThrow(/^privateMemory.partOutputs must be views allocated by this pool/);
      }
    } finally {
      await pool.close();
    }
  });
});

describe("workloads on workers with private memories", () => {
  // each declares what its kernel reads and writes (RangeJob.privateMemory); a wrong declaration
  // shows as a result that differs from the shared-memory one
  it("Monte Carlo π: the same hits for 1 and 3 workers", async () => {
    const expected = await monteCarloPi({ samples: 3e6, seed: 7, pool: shared, inlineThreshold: 0 });
    for (const workers of [1, 3]) {
      const pool = await privatePool(workers);
      const r = await monteCarloPi({ samples: 3e6, seed: 7, pool, inlineThreshold: 0 });
      expect(r.value).toBe(expected.value);
      expect(r.backend).toBe("workers");
      await pool.close();
    }
  });

  it("Leibniz: the same digits (inputs copied, per-part limb sums copied back) for 1 and 3 workers", async () => {
    const options = { from: 0, to: 2_000_000, digits: 40, chunkSize: 50_000 };
    const expected = await leibniz({ ...options, pool: shared });
    for (const workers of [1, 3]) {
      const pool = await privatePool(workers);
      const r = await leibniz({ ...options, pool });
      expect(r.value).toBe(expected.value);
      expect(r.backend).toBe("workers");
      await pool.close();
    }
  });

  it("prime count to 1e7: the same count and sum for 1 and 3 workers", async () => {
    const expected = await countPrimes({ upTo: 1e7, sum: true, pool: shared });
    expect(expected.count).toBe(664579);
    for (const workers of [1, 3]) {
      const pool = await privatePool(workers);
      const r = await countPrimes({ upTo: 1e7, sum: true, pool });
      expect([r.count, r.sum, r.last]).toEqual([expected.count, expected.sum, expected.last]);
      expect(r.backend).toBe("workers");
      await pool.close();
    }
  });

  it("prime list: runs in the calling thread, on the pool's memory, with the same primes", async () => {
    const expected = await primes({ upTo: 2e6, pool: shared });
    const pool = await privatePool(2);
    const r = await primes({ upTo: 2e6, pool });
    expect(r.backend).toBe("inline");
    expect(r.count).toBe(expected.count);
    expect(Array.from(r.primes)).toEqual(Array.from(expected.primes));
    await pool.close();
  });
});
