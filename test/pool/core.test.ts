/**
 * The pool core's promises (docs/pool.md, "How a call becomes a job"): failures of a user's
 * callback, the default pool growing under running calls, placement, foreign views, bounded
 * abort latency, option checks, queued calls that are aborted, graceful close, arity, module
 * checks, abandoned imap iterators.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError, InvalidArgumentError, PoolClosedError, TimeoutError, close, countPrimes, createPool, heat, leibniz,
  partition, pi, type Pool,
} from "../../dist/index.js";
import { POOL_MODULE_FLAGS, ROOT, compileAs, compileCore } from "../helpers/asc.js";

let pool: Pool;
let core: Pool;

beforeAll(async () => {
  pool = await createPool({ workers: 2 });
  core = await createPool({ workers: 2, module: compileCore() });
});

afterAll(async () => {
  await pool.close();
  await core.close();
  await close();
});

const boom = (): never => {
  throw new Error("boom from onProgress");
};

describe("a user's onProgress that throws", () => {
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["map", () => core.map("add", Array.from({ length: 2000 }, (_, i) => [i, 1]), { chunkSize: 10, onProgress: boom, progressIntervalMs: 0 })],
    ["mapReduce", () => core.mapReduce("rangeSum", [0, 1e6], { chunkSize: 1000, onProgress: boom, progressIntervalMs: 0 })],
    ["imap", async () => { for await (const _ of core.imap("add", Array.from({ length: 2000 }, (_, i) => [i, 1]), { chunkSize: 10, onProgress: boom, progressIntervalMs: 0 })); }],
    ["pi", () => pi({ n: 1e8, pool, onProgress: boom, progressIntervalMs: 1 })],
    ["heat", () => heat({ size: 64, top: 100, pool, onProgress: boom, progressIntervalMs: 1 })],
    ["leibniz", () => leibniz({ from: 0, to: 2e6, digits: 40, pool, onProgress: boom, progressIntervalMs: 1 })],
    ["countPrimes", () => countPrimes({ upTo: 1e9, pool, onProgress: boom, progressIntervalMs: 1 })],
  ];
  for (const [name, call] of calls) {
    it(`rejects ${name} with what it threw, and leaves the pool usable`, async () => {
      await expect(call()).rejects.toThrow("boom from onProgress");
      expect(await core.apply("add", [1, 2])).toBe(3);
      expect((await pi({ n: 1e6, pool })).n).toBe(1e6);
    });
  }
});

describe("the default pool", () => {
  it("grows for a call that asks for more workers without ending the calls running on it", async () => {
    const running = pi({ n: 2e9 }); // on the default pool, of availableParallelism() workers
    await new Promise((r) => setTimeout(r, 50));
    const bigger = pi({ n: 1e7, workers: 5 });
    const [a, b] = await Promise.all([running, bigger]);
    expect(a.value).toBeCloseTo(Math.PI, 12);
    expect(b.workers).toBe(5);
    await close();
  });
});

describe("placement", () => {
  it("runs a job of one part on a worker unless inlineBelow asks otherwise; the event loop keeps running", async () => {
    const spec = partition(0, 4000, { chunkSize: 4000 });
    expect(spec.parts).toBe(1);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const run = await core.runRange({ kernel: "slowRange", args: [1e5], spec });
    clearInterval(timer);
    expect(run.backend).toBe("workers");
    expect(run.partials[0]).toBe(4000);
    expect(ticks).toBeGreaterThan(3); // ~4·10^8 steps: the calling thread was free meanwhile
    const inline = await core.runRange({ kernel: "rangeSum", args: [], spec, inlineBelow: 5000 });
    expect(inline.backend).toBe("inline");
    expect(inline.partials[0]).toBe((3999 * 4000) / 2);
  });
});

describe("views of another memory", () => {
  it("are refused as kernel arguments and by free, with an InvalidArgumentError", async () => {
    const other = core.alloc(Int32Array, 4);
    const plain = new Int32Array(new SharedArrayBuffer(16));
    await expect(pool.apply("piMidpointScalar", [other as never, 2, 3])).rejects.toThrow(InvalidArgumentError);
    await expect(core.apply("countCall", [plain])).rejects.toThrow(/view of another memory/);
    expect(() => pool.free(other)).toThrow(InvalidArgumentError);
    expect(() => core.free(plain)).toThrow(InvalidArgumentError);
    core.free(other);
  });

  it("BigInt64Array and BigUint64Array are allocated zero-filled; a refused alloc keeps nothing", () => {
    const before = core.arena.allocatedBytes;
    const a = core.alloc(BigInt64Array, 8);
    const b = core.alloc(BigUint64Array, 3);
    expect([...a]).toEqual(Array(8).fill(0n));
    expect([...b]).toEqual([0n, 0n, 0n]);
    core.free(a);
    core.free(b);
    expect(() => core.alloc(BigInt64Array, -1)).toThrow(InvalidArgumentError);
    expect(() => core.alloc(Array as never, 4)).toThrow(InvalidArgumentError);
    expect(core.arena.allocatedBytes).toBe(before);
  });
});

describe("abort latency", () => {
  for (const [name, range] of [["6.4·10^9 indices", [0, 6.4e9]], ["±2^53", [-(2 ** 53), 2 ** 53]]] as const) {
    it(`is bounded for a cyclic mapReduce over ${name}`, async () => {
      const controller = new AbortController();
      const call = core.mapReduce("rangeSum", range as unknown as [number, number], { partition: "cyclic", parts: 64, signal: controller.signal });
      await new Promise((r) => setTimeout(r, 100));
      const aborted = performance.now();
      controller.abort();
      await expect(call).rejects.toThrow(AbortError);
      expect(performance.now() - aborted).toBeLessThan(500);
      expect(await core.apply("add", [2, 2])).toBe(4);
    });
  }

  it("refuses blocks longer than one call may take", async () => {
    await expect(core.mapReduce("rangeSum", [0, 2 ** 40], { chunkSize: 2 ** 40 })).rejects.toThrow(/^chunkSize must be an integer from 1 to 2\^30/);
  });
});

describe("options are checked for what they are, before anything runs", () => {
  it("a look-alike signal, a pool that is not a pool, a non-boolean warmUp, null-prototype values", async () => {
    const calls = core.alloc(Int32Array, 1);
    const fake = { aborted: false, addEventListener() {}, removeEventListener() {} };
    await expect(core.apply("countCall", [calls], { signal: fake as never })).rejects.toThrow(/^signal must be an AbortSignal/);
    expect(calls[0]).toBe(0);
    await expect(pi({ n: 10, pool: {} as never })).rejects.toThrow(/^pool must be a Pool from createPool\(\)/);
    await expect(createPool({ warmUp: "yes" as never })).rejects.toThrow(/^warmUp must be true or false/);
    const bare = Object.create(null) as object;
    await expect(core.apply("countCall", [calls], { onProgress: bare as never })).rejects.toThrow(/^onProgress must be a function; got an object with a null prototype/);
    await expect(pi({ n: 10, pool, signal: bare as never })).rejects.toThrow(InvalidArgumentError);
    await expect(core.map("add", [[1, 2]], bare as never)).resolves.toEqual([3]);
    expect(() => partition(0, 10, { chunkSize: 0 })).toThrow(/^chunkSize must be an integer from 1/);
    expect(() => partition(0, 10, { chunkSize: -2 })).toThrow(InvalidArgumentError);
    expect(() => partition(0, 10, { chunkSize: 2.5 })).toThrow(InvalidArgumentError);
    expect(() => partition(0, 10, { scheme: "cyclic", parts: 0 })).toThrow(/^parts must be an integer from 1/);
    expect(calls[0]).toBe(0);
    core.free(calls);
  });

  it("a kernel's arity: too few or too many arguments show the signature", async () => {
    await expect(core.apply("add", [1])).rejects.toThrow(/^args must be 2 arguments: the module exports add\(a0, a1\); got "1 argument"/);
    await expect(core.apply("add", [1, 2, 3])).rejects.toThrow(InvalidArgumentError);
    await expect(core.map("add", [1, 2])).rejects.toThrow(/argsList\[0\] must be 2 arguments/);
    await expect(core.mapReduce("rangeSum", [0, 10], { args: [1] })).rejects.toThrow(/^args must be 0 arguments after \(blockStart, blockEnd\)/);
  });
});

describe("queued, closed, timed out", () => {
  it("an aborted call still waiting in the queue never runs", async () => {
    const one = await createPool({ workers: 1, module: compileCore() });
    const calls = one.alloc(Int32Array, 1);
    const busy = one.apply("spin", [1e8]);
    const controller = new AbortController();
    const queued = one.apply("countCall", [calls], { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toThrow(AbortError);
    await busy;
    expect(await one.apply("add", [1, 1])).toBe(2); // runs after the cancelled one was skipped
    expect(calls[0]).toBe(0);
    await one.close();
  });

  it("close() lets running calls finish and refuses new ones; join() waits for them", async () => {
    const p = await createPool({ workers: 2, module: compileCore() });
    const running = p.apply("spin", [3e7]);
    const closing = p.close();
    await expect(p.apply("add", [1, 1])).rejects.toThrow(PoolClosedError);
    await expect(running).resolves.toBeGreaterThan(1);
    await p.join();
    await closing;
    expect(p.isClosed).toBe(true);
  });

  it("close({ force: true }) ends running calls with a PoolClosedError", async () => {
    const p = await createPool({ workers: 1, module: compileCore() });
    const running = p.apply("spin", [1e10]);
    await new Promise((r) => setTimeout(r, 50));
    await p.close({ force: true });
    await expect(running).rejects.toThrow(PoolClosedError);
  });

  it("await using closes the pool at the end of the block", async () => {
    let escaped: Pool;
    {
      await using p = await createPool({ workers: 1 });
      escaped = p;
      expect(await p.apply("piMidpointScalar", [1, 2, 1])).toBeGreaterThan(0);
    }
    expect(escaped.isClosed).toBe(true);
  });

  it("timeoutMs rejects with a TimeoutError, and the pool goes on", async () => {
    await expect(core.mapReduce("slowRange", [0, 1e6], { args: [1e3], chunkSize: 1000, timeoutMs: 50 })).rejects.toThrow(TimeoutError);
    expect(await core.apply("add", [3, 4])).toBe(7);
  });
});

describe("a user's module", () => {
  it("a compiled WebAssembly.Module with static data beyond the reserved bytes is refused, as its bytes are", async () => {
    const high = compileAs("test/pool/fixtures/static-data.ts", [...POOL_MODULE_FLAGS.filter((f, i, a) => f !== "--initialMemory" && a[i - 1] !== "--initialMemory"), "--initialMemory", "2", "--memoryBase", "70000"]);
    const module = await WebAssembly.compile(readFileSync(high));
    await expect(createPool({ workers: 1, module })).rejects.toThrow(/^module must be a module without static data beyond the first 65536 bytes of memory \(instantiating it wrote bytes 700\d\d/);
  });

  it("whose start function traps fails createPool, naming the module", async () => {
    const wasm = compileAs("test/pool/fixtures/start-trap.ts", POOL_MODULE_FLAGS);
    await expect(createPool({ workers: 1, module: wasm })).rejects.toThrow(new RegExp(`a worker failed to start: .*unreachable.*${wasm.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  });

  it("whose start function never returns fails createPool within startTimeoutMs", async () => {
    const wasm = compileAs("test/pool/fixtures/start-loop.ts", POOL_MODULE_FLAGS);
    const started = performance.now();
    await expect(createPool({ workers: 1, module: wasm, startTimeoutMs: 1000 })).rejects.toThrow(/did not start in every worker within startTimeoutMs = 1000 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("imap", () => {
  it("an iterator dropped without return() keeps no shared memory once its job is done", async () => {
    const before = core.arena.allocatedBytes;
    const it = core.imap("add", Array.from({ length: 5000 }, (_, i) => [i, 1]), { chunkSize: 100 });
    expect((await it.next()).value).toBe(1);
    // dropped here: the job runs to its end by itself
    for (let i = 0; i < 100 && core.arena.allocatedBytes !== before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(core.arena.allocatedBytes).toBe(before);
  });
});

describe("start-up", () => {
  const script = `import { createPool } from ${JSON.stringify(join(ROOT, "dist/index.js"))};
    createPool({ workers: 2 }).then((p) => { console.log("ready", p.size); return p.close(); });`;

  it("keeps Node alive while the workers start: a script whose only work is createPool exits 0", () => {
    const file = join(mkdtempSync(join(tmpdir(), "wasm-mp-start-")), "start.mjs");
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
    expect(r.stdout.trim()).toBe("ready 2");
    expect(r.status).toBe(0);
  });

  it("works from node --input-type=module -e (workers do not inherit --input-type)", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ready 2");
    expect(r.status).toBe(0);
  });
});
