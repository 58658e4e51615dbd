/** JavaScript kernels: createPool({ module: "kernels.mjs" }) and every call on them. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, KernelError, createPool, type Pool } from "../../dist/index.js";
import { ROOT } from "../helpers/asc.js";

const KERNELS = join(ROOT, "test/pool/fixtures/js-kernels.mjs");
let pool: Pool;

beforeAll(async () => {
  pool = await createPool({ workers: 2, module: KERNELS });
});

afterAll(async () => {
  await pool.close();
});

describe("JavaScript kernels", () => {
  it("are the module's exported functions (init excluded), with no wasm module", () => {
    expect(pool.kernels.sort()).toEqual(["add", "decay", "fail", "scale", "sumSquares"]);
    expect(pool.module).toBeUndefined();
  });

  it("run through apply, map, starmap, imap and mapReduce with the same results as in plain JS", async () => {
    expect(await pool.apply("add", [2, 40])).toBe(42);
    const items = Array.from({ length: 1000 }, (_, i) => [i, 2 * i]);
    expect(await pool.map("add", items, { chunkSize: 7 })).toEqual(items.map(([a, b]) => a! + b!));
    expect(await pool.starmap("add", items)).toEqual(items.map(([a, b]) => a! + b!));
    const seen: number[] = [];
    for await (const v of pool.imap("add", items.slice(0, 50), { chunkSize: 4 })) seen.push(v);
    expect(seen).toEqual(items.slice(0, 50).map(([a, b]) => a! + b!));
    let want = 0;
    for (let i = 0; i < 100_000; i++) want += i * i;
    // integers below 2^53: exact in any order
    expect(await pool.mapReduce("sumSquares", [0, 100_000], { chunkSize: 1000 })).toBe(want);
  });

  it("see the pool's memory: an in-place kernel on a pool array", async () => {
    const a = pool.alloc(Float64Array, 100);
    a.set(Array.from({ length: 100 }, (_, i) => i));
    await pool.map("scale", [[a.byteOffset, 50, 3], [a.byteOffset + 400, 50, 5]]);
    expect(Array.from(a)).toEqual(Array.from({ length: 100 }, (_, i) => (i < 50 ? 3 * i : 5 * i)));
    pool.free(a);
  });

  it("iterate: the lanes step and reduce as wasm kernels do", async () => {
    const r = await pool.iterate({ kernel: "decay", lanes: 2, until: { below: 1e-3 }, maxIterations: 100 });
    let i = 0;
    while (2 * 0.5 ** i >= 1e-3) i++;
    expect(r).toMatchObject({ iterations: i + 1, converged: true });
  });

  it("a throw is a KernelError whose cause is the thrown error (name, message, stack)", async () => {
    const call = pool.map("fail", [1, 2, 3, 4], { chunkSize: 1 });
    await expect(call).rejects.toThrow(KernelError);
    const error = await pool.apply("fail", [3]).catch((e: unknown) => e) as KernelError;
    expect(error.message).toBe("kernel fail trapped in part 0: no threes (3)");
    const cause = error.cause as Error;
    expect(cause.name).toBe("RangeError");
    expect(cause.message).toBe("no threes (3)");
    expect(cause.stack).toMatch(/js-kernels\.mjs/);
    expect(await pool.apply("add", [1, 1])).toBe(2);
  });

  it("abort and progress work as for wasm kernels", async () => {
    const controller = new AbortController();
    const call = pool.mapReduce("sumSquares", [0, 1e12], { chunkSize: 1e6, signal: controller.signal, onProgress: () => controller.abort() , progressIntervalMs: 10 });
    await expect(call).rejects.toThrow(AbortError);
  });

  it("a module that cannot load, or exports no kernel, is refused by createPool", async () => {
    await expect(createPool({ workers: 1, module: join(ROOT, "test/pool/fixtures/missing.mjs") })).rejects.toThrow(/^module must be a JS module of kernels that can be imported/);
    await expect(createPool({ workers: 1, module: join(ROOT, "test/pool/fixtures/bad-host.mjs") })).rejects.toThrow(InvalidArgumentError);
  });
});
