/**
 * JavaScript kernels through every call the pool has (docs/pool.md, "JavaScript kernels"):
 * applyAsync, imapUnordered, runRange, iterate on shared memory, the sync primitives' JS side
 * from inside a kernel, faults (the thrown error's class, message and stack as the cause),
 * progress, abort, timeoutMs, an initializer, and a worker that dies. The expected values are
 * computed here in plain JS. test/pool/js-kernels.test.ts has the first checks (apply, map,
 * starmap, imap, mapReduce, a module that cannot load).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, KernelError, TimeoutError, createPool, partition, type Pool } from "../../dist/index.js";
import { Barrier, Mutex, Queue, Semaphore } from "../../dist/sync-entry.js";
import { CRASH_HOST, ROOT, compileFaults } from "../helpers/asc.js";

const KERNELS = join(ROOT, "test/pool/fixtures/js-kernels-calls.mjs");
let pool: Pool;

beforeAll(async () => {
  pool = await createPool({ workers: 2, module: KERNELS });
});

afterAll(async () => {
  await pool.close();
});

const sumSquares = (start: number, end: number): number => {
  let s = 0;
  for (let i = start; i < end; i++) s += i * i;
  return s;
};

/** The error a promise rejects with (a test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to reject, and it resolved");
}

describe("JavaScript kernels through every call", () => {
  it("applyAsync: a handle with ready, successful and get, for a result and for a throw", async () => {
    const ok = pool.applyAsync("add", [20, 22]);
    expect(await ok.get()).toBe(42);
    expect(ok.ready()).toBe(true);
    expect(ok.successful()).toBe(true);
    const bad = pool.applyAsync("throwKind", [1]);
    await bad.wait();
    expect(bad.successful()).toBe(false);
    await expect(bad.get()).rejects.toThrow(KernelError);
  });

  it("imapUnordered: every index once, with its own result", async () => {
    const items = Array.from({ length: 300 }, (_, i) => [i, 3 * i]);
    const pairs: Array<[number, number]> = [];
    for await (const pair of pool.imapUnordered("add", items, { chunkSize: 8 })) pairs.push(pair);
    expect(pairs.length).toBe(300);
    expect(pairs.map(([i]) => i).sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    for (const [i, v] of pairs) expect(v).toBe(4 * i);
  });

  it("runRange: one partial per part, each the sum over its blocks (block-cyclic)", async () => {
    // blocks of 10 indices dealt round-robin to 7 parts: part j holds blocks j, j + 7, j + 14, …
    const spec = partition(0, 1000, { scheme: "block-cyclic", chunkSize: 10, parts: 7 });
    const r = await pool.runRange({ kernel: "sumSquares", spec });
    const want = Array.from({ length: 7 }, (_, j) => {
      let acc = 0;
      for (let k = j; 10 * k < 1000; k += 7) acc += sumSquares(10 * k, 10 * k + 10);
      return acc;
    });
    expect(Array.from(r.partials)).toEqual(want);
    expect(r.backend).toBe("workers");
  });

  it("iterate on shared memory: a 1-D Jacobi solve has a serial solve's bits on 1 and 2 lanes", async () => {
    const n = 61;
    const tolerance = 1e-4; // 5443 steps
    let from = new Float64Array(n);
    let to = new Float64Array(n);
    from[0] = to[0] = 100;
    let value = 0;
    let iterations = 0;
    do {
      value = 0;
      for (let i = 1; i < n - 1; i++) {
        const v = (from[i - 1]! + from[i + 1]!) * 0.5;
        value = Math.max(value, Math.abs(v - from[i]!));
        to[i] = v;
      }
      iterations++;
      [from, to] = [to, from];
    } while (value >= tolerance && iterations < 20_000);
    expect(value).toBeLessThan(tolerance); // the reference itself converged
    for (const lanes of [1, 2]) {
      const a = pool.alloc(Float64Array, n);
      const b = pool.alloc(Float64Array, n);
      a[0] = b[0] = 100;
      const progress: number[] = [];
      const r = await pool.iterate({
        kernel: "jacobiStep", args: [a, b, n], lanes, reduce: "max", until: { below: tolerance }, maxIterations: 20_000,
        progressIntervalMs: 1, onProgress: (p) => progress.push(p.iteration),
      });
      expect(r).toMatchObject({ iterations, value, converged: true, lanes });
      expect(Array.from(iterations % 2 === 1 ? b : a)).toEqual(Array.from(from));
      expect(progress.at(-1)).toBe(iterations);
      expect(progress.every((it, k) => k === 0 || it >= progress[k - 1]!)).toBe(true);
      pool.free(a);
      pool.free(b);
    }
  });

  it("sync primitives from inside JS kernels: a Mutex over a view by offset loses no update", async () => {
    const mutex = Mutex.create(pool);
    const counter = pool.alloc(Float64Array, 1);
    const rounds = 20_000;
    const done = await Promise.all([0, 1].map(() => pool.apply("lockedIncrements", [mutex.words.byteOffset, counter.byteOffset, rounds])));
    expect(done).toEqual([rounds, rounds]);
    expect(counter[0]).toBe(2 * rounds);
    pool.free(counter);
    pool.free(mutex.words);
  });

  it("sync primitives from inside JS kernels: a Queue between a producer kernel, a consumer kernel and the main thread", async () => {
    const q = Queue.create(pool, 4); // small: the producer waits for the consumer
    const at = [q.words.byteOffset, q.words.length];
    const [produced, sum] = await Promise.all([pool.apply("produce", [...at, 1, 1000]), pool.apply("consume", [...at, 1000])]);
    expect(produced).toBe(1000);
    expect(sum).toBe((1000 * 1001) / 2);
    // the main thread puts without blocking; a kernel gets
    const consumer = pool.apply("consume", [...at, 100]);
    for (let i = 1; i <= 100; i++) await q.putAsync(i);
    expect(await consumer).toBe(5050);
    pool.free(q.words);
  });

  it("sync primitives from inside JS kernels: two kernels meet at a Barrier every round; one alone breaks it", async () => {
    const barrier = Barrier.create(pool, 2);
    const slots = pool.alloc(Float64Array, 2);
    const rounds = 500;
    const sums = await Promise.all([0, 1].map((lane) => pool.apply("barrierRounds", [barrier.byteOffset, slots.byteOffset, lane, rounds])));
    // lane 0 read lane 1's 2r, lane 1 read lane 0's r, for r < rounds
    expect(sums).toEqual([rounds * (rounds - 1), (rounds * (rounds - 1)) / 2]);
    const alone = await rejection(pool.apply("barrierAlone", [barrier.byteOffset, 50])) as KernelError;
    expect(alone).toBeInstanceOf(KernelError);
    expect((alone.cause as Error).name).toBe("BrokenBarrierError");
    expect(barrier.broken).toBe(true);
    pool.free(slots);
    pool.free(barrier.words);
  });

  it("sync primitives from inside JS kernels: a Semaphore of 1 lets one kernel in at a time", async () => {
    const sem = Semaphore.create(pool, 1);
    const counters = pool.alloc(Int32Array, 2); // [active, most active seen]
    const done = await Promise.all([0, 1].map(() => pool.apply("boundedWork", [sem.words.byteOffset, counters.byteOffset, counters.byteOffset + 4, 2000])));
    expect(done).toEqual([2000, 2000]);
    expect(Array.from(counters)).toEqual([0, 1]);
    pool.free(counters);
    pool.free(sem.words);
  });

  it("a throw keeps the error's class, name, message and stack as the KernelError's cause", async () => {
    const custom = await rejection(pool.apply("throwKind", [0])) as KernelError;
    expect(custom).toBeInstanceOf(KernelError);
    expect(custom.message).toBe("kernel throwKind trapped in part 0: line 7: unexpected '}'");
    const cause = custom.cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe("ParseFailure"); // a user's class cannot cross threads: its name does
    expect(cause.message).toBe("line 7: unexpected '}'");
    expect(cause.stack).toMatch(/^ParseFailure: line 7: unexpected '}'\n\s+at throwKind .*js-kernels-calls\.mjs/);

    const typeError = (await rejection(pool.apply("throwKind", [1]))).cause as Error;
    expect(typeError).toBeInstanceOf(TypeError); // a built-in class is rebuilt as itself
    expect(typeError.name).toBe("TypeError");
    expect(typeError.message).toBe("x is not a function");

    // not an Error: the value as text
    expect((await rejection(pool.apply("throwKind", [2]))).message).toBe("kernel throwKind trapped in part 0: a bare string");
    expect((await rejection(pool.apply("throwKind", [3]))).message).toBe("kernel throwKind trapped in part 0: 42");
  });

  it("the same rule for a wasm kernel: a trap's cause is a WebAssembly.RuntimeError with the engine's message", async () => {
    const wasm = await createPool({ workers: 1, module: compileFaults(), hostImports: CRASH_HOST });
    try {
      const trap = await rejection(wasm.map("trapAt", [[1, 3], [3, 3]], { chunkSize: 2 })) as KernelError;
      expect(trap.message).toBe("kernel trapAt trapped in part 0: unreachable (item 1)");
      expect(trap.cause).toBeInstanceOf(WebAssembly.RuntimeError);
      expect((trap.cause as Error).message).toBe("unreachable");
    } finally {
      await wasm.close();
    }
  });

  it("a throw in map names the item; in mapReduce the part; in imap it ends the loop; in iterate the lane", async () => {
    const inMap = await rejection(pool.map("throwKind", [5, 6, 7, 1, 8], { chunkSize: 2 })) as KernelError;
    expect(inMap.message).toBe("kernel throwKind trapped in part 1: x is not a function (item 3)");
    expect((inMap.cause as Error).name).toBe("TypeError");
    expect((inMap.cause as Error).message).toBe("x is not a function"); // the error's own message: the item is the KernelError's to say

    const inRange = await rejection(pool.mapReduce("sumUnlessHolds", [0, 1000], { chunkSize: 100, args: [550] })) as KernelError;
    expect(inRange).toBeInstanceOf(KernelError);
    expect(inRange.part).toBe(5);
    expect((inRange.cause as Error).message).toBe("block [500, 600) holds 550");
    expect(await pool.mapReduce("sumUnlessHolds", [0, 1000], { chunkSize: 100, args: [-1] })).toBe(1000);

    const seen: number[] = [];
    const inImap = rejection((async () => { for await (const v of pool.imap("throwKind", [5, 6, 1, 7], { chunkSize: 1 })) seen.push(v); })());
    expect(await inImap).toBeInstanceOf(KernelError);
    expect(seen.every((v) => v === 5 || v === 6)).toBe(true);

    const inIterate = await rejection(pool.iterate({ kernel: "failStep", args: [5], lanes: 2, maxIterations: 100 })) as KernelError;
    expect(inIterate.message).toBe("kernel failStep trapped in part 1: lane 1 gave up at step 5");
    expect((inIterate.cause as Error)).toBeInstanceOf(RangeError);
    expect((await pool.iterate({ kernel: "failStep", args: [-1], lanes: 2, maxIterations: 10 })).iterations).toBe(10);
  });

  it("progress: map counts items and mapReduce parts, up to a last report of the total", async () => {
    const reports: Array<{ done: number; total: number; fraction: number }> = [];
    const items = Array.from({ length: 400 }, () => 0.25);
    const r = await pool.map("spin", items, { chunkSize: 10, progressIntervalMs: 5, onProgress: (p) => reports.push(p) });
    expect(r).toEqual(items);
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.at(-1)).toEqual({ done: 400, total: 400, fraction: 1 });
    expect(reports.every((p, k) => p.total === 400 && (k === 0 || p.done >= reports[k - 1]!.done))).toBe(true);

    const parts: number[] = [];
    expect(await pool.mapReduce("sumSquares", [0, 50_000], { chunkSize: 1000, onProgress: (p) => parts.push(p.done) })).toBe(sumSquares(0, 50_000));
    expect(parts.at(-1)).toBe(50);
  });

  it("abort: map, mapReduce and iterate stop with an AbortError, and the pool goes on", async () => {
    const c1 = new AbortController();
    const items = Array.from({ length: 6000 }, () => 1); // 3 s on 2 workers, run to the end
    const started = performance.now();
    await expect(pool.map("spin", items, { chunkSize: 1, signal: c1.signal, progressIntervalMs: 5, onProgress: (p) => { if (p.done > 20) c1.abort(); } }))
      .rejects.toThrow(AbortError);
    expect(performance.now() - started).toBeLessThan(1500); // not the 3 s that all 6000 items take

    const c2 = new AbortController();
    const seen: number[] = [];
    await expect(pool.iterate({
      kernel: "forever", lanes: 2, maxIterations: 2 ** 31 - 1, signal: c2.signal, progressIntervalMs: 5,
      onProgress: (p) => { seen.push(p.iteration); if (p.iteration > 500) c2.abort(); },
    })).rejects.toThrow(AbortError);
    expect(seen.at(-1)).toBeGreaterThan(500);

    const c3 = new AbortController();
    c3.abort();
    await expect(pool.mapReduce("sumSquares", [0, 100], { signal: c3.signal })).rejects.toThrow(AbortError);
    expect(await pool.apply("add", [1, 2])).toBe(3);
  });

  it("timeoutMs: apply rejects at once with a TimeoutError; mapReduce stops between blocks", async () => {
    let started = performance.now();
    const apply = await rejection(pool.apply("spin", [1500], { timeoutMs: 100 }));
    expect(apply).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1000);

    started = performance.now();
    await expect(pool.mapReduce("sumSquares", [0, 1e12], { chunkSize: 1e5, timeoutMs: 150 })).rejects.toThrow(TimeoutError);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await pool.map("add", [[1, 1], [2, 2]])).toEqual([2, 4]);
  });
});

describe("JavaScript kernels: a pool's life", () => {
  it("a data: URL of JavaScript is a JS module of kernels (what Vite makes of a small kernels file)", async () => {
    const source = "export function mul(a, b) { return a * b; }\nexport function boom() { throw new SyntaxError('bad'); }\n";
    for (const module of [`data:text/javascript,${encodeURIComponent(source)}`, new URL(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)]) {
      const p = await createPool({ workers: 2, module });
      try {
        expect(p.kernels.sort()).toEqual(["boom", "mul"]);
        expect(await p.map("mul", [[2, 3], [4, 5]], { chunkSize: 1 })).toEqual([6, 20]);
        expect((await rejection(p.apply("boom", []))).cause).toBeInstanceOf(SyntaxError);
      } finally {
        await p.close();
      }
    }
  });

  it("an initializer runs in every worker and in the calling thread", async () => {
    const p = await createPool({ workers: 2, module: KERNELS, initializer: "setBase", initArgs: [100] });
    try {
      expect(await p.map("addBase", [1, 2, 3, 4], { chunkSize: 1 })).toEqual([101, 102, 103, 104]);
      // a range shorter than inlineBelow runs in the calling thread: base + blockStart there
      const inline = await p.runRange({ kernel: "baseRange", spec: partition(0, 10, { chunkSize: 5 }), inlineBelow: 1000 });
      expect(inline.backend).toBe("inline");
      expect(Array.from(inline.partials)).toEqual([100, 105]);
    } finally {
      await p.close();
    }
  });

  it("a worker that dies in a JS kernel is replaced, and the parts it held run again", async () => {
    const p = await createPool({ workers: 2, module: KERNELS });
    try {
      const flag = p.alloc(Int32Array, 1);
      const items = Array.from({ length: 200 }, (_, i) => [flag.byteOffset, i]);
      expect(await p.map("exitOnce", items, { chunkSize: 10 })).toEqual(items.map(([, i]) => i));
      expect(flag[0]).toBe(1);
      // the replacement counts once it is ready, which the map did not wait for
      const deadline = performance.now() + 10_000;
      while (p.stats().workersReplaced < 1 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(p.stats().workersReplaced).toBe(1);
      expect(await p.map("exitOnce", items, { chunkSize: 10 })).toEqual(items.map(([, i]) => i)); // exits no more
    } finally {
      await p.close();
    }
  });
});
