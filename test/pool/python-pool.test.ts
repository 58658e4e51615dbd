/** Python's Pool behaviours: initializer/initArgs, apply_async's handle. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncResult, InvalidArgumentError, TimeoutError, createPool, type Pool } from "../../dist/index.js";
import { compileCore } from "../helpers/asc.js";

let pool: Pool;

beforeAll(async () => {
  pool = await createPool({ workers: 2, module: compileCore(), initializer: "setOffset", initArgs: [100] });
});

afterAll(async () => {
  await pool.close();
});

describe("initializer and initArgs", () => {
  it("run once in every worker (and the calling thread) before the first task", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    expect(await pool.map("addOffset", items, { chunkSize: 1 })).toEqual(items.map((i) => i + 100));
    const perWorker = pool.stats().perWorker.filter((w) => w.tasksRun > 0);
    expect(perWorker.length).toBe(2); // both workers ran items, and both were initialized
    const inline = await pool.runRange({ kernel: "rangeSum", spec: { scheme: "block", start: 0, end: 3, parts: 1, blockSize: 3 }, inlineBelow: 10 });
    expect(inline.backend).toBe("inline");
  });

  it("are checked: the initializer is an export, initArgs numbers, and a throwing initializer fails createPool", async () => {
    await expect(createPool({ workers: 1, module: compileCore(), initializer: "nothing" })).rejects.toThrow(/^initializer must be one of/);
    await expect(createPool({ workers: 1, module: compileCore(), initializer: "setOffset", initArgs: ["a"] as never })).rejects.toThrow(InvalidArgumentError);
    await expect(createPool({ workers: 1, module: compileCore(), initArgs: [1] })).rejects.toThrow(/^initArgs must be absent unless an initializer is given/);
  });
});

describe("applyAsync", () => {
  it("returns a handle at once; get() gives the value, ready() and successful() say how it ended", async () => {
    const r = pool.applyAsync("add", [20, 22]);
    expect(r).toBeInstanceOf(AsyncResult);
    expect(r.ready()).toBe(false);
    expect(() => r.successful()).toThrow(/has not finished/);
    expect(await r.get()).toBe(42);
    expect(r.ready()).toBe(true);
    expect(r.successful()).toBe(true);
  });

  it("get(timeoutMs) rejects with a TimeoutError while the call runs on, and gives the value later", async () => {
    const r = pool.applyAsync("spin", [2e8]);
    await expect(r.get(10)).rejects.toThrow(TimeoutError);
    expect(r.ready()).toBe(false);
    await r.wait();
    expect(await r.get(0)).toBeGreaterThan(1);
  });

  it("a failed call: successful() is false and get() rejects with its error", async () => {
    const r = pool.applyAsync("add", [1]);
    await r.wait();
    expect(r.successful()).toBe(false);
    await expect(r.get()).rejects.toThrow(InvalidArgumentError);
  });
});
