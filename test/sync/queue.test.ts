/**
 * Queue (src/sync/queue.ts, assembly/sync.ts): FIFO, backpressure, close; producers and
 * consumers in kernels, JS worker threads and the main thread deliver every item exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_DEMOS, within } from "./fixture.js";
import { createPool, InvalidArgumentError, type Pool } from "../../dist/index.js";
import { Queue } from "../../dist/sync-entry.js";
import { runJsWorker } from "./js-workers.js";

let pool: Pool;
// blocking kernels hold their worker: enough workers for every producer and consumer at once
beforeAll(async () => { pool = await createPool({ workers: 4, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

const pending = async (p: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => false, () => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

describe("Queue", () => {
  it("is first in, first out, and refuses a put when full and a get when empty", () => {
    const q = Queue.create(pool, 4);
    for (let i = 1; i <= 4; i++) expect(q.tryPut(i)).toBe(true);
    expect(q.tryPut(5)).toBe(false);
    expect(q.size).toBe(4);
    expect([q.tryGet(), q.tryGet()]).toEqual([1, 2]);
    expect(q.tryPut(5)).toBe(true); // wraps around the ring
    expect(q.tryPut(6)).toBe(true);
    expect([q.get(), q.get(), q.get(), q.get()]).toEqual([3, 4, 5, 6]);
    expect(q.tryGet()).toBeUndefined();
  });

  it("carries fixed-size records", async () => {
    const q = Queue.create(pool, 2, { recordLength: 3 });
    expect(q.tryPut([1, 2, 3])).toBe(true);
    expect(await q.putAsync(new Float64Array([4, 5, 6]))).toBe(true);
    expect(Array.from(q.getRecord()!)).toEqual([1, 2, 3]);
    const out = new Float64Array(3);
    expect(await q.getRecordAsync(out)).toBe(out);
    expect(Array.from(out)).toEqual([4, 5, 6]);
    expect(() => q.tryPut([1, 2])).toThrow(/^item must be an array of 3 numbers/);
    expect(() => q.get()).toThrow("the queue holds records of 3 numbers: use getRecord");
  });

  it("after close, refuses puts and drains what is left", async () => {
    const q = Queue.create(pool, 4);
    q.tryPut(7);
    q.tryPut(8);
    q.close();
    expect(q.closed).toBe(true);
    expect(q.tryPut(9)).toBe(false);
    expect(await q.putAsync(9)).toBe(false);
    expect([q.get(), await q.getAsync(), q.get(), await q.getAsync()]).toEqual([7, 8, undefined, undefined]);
  });

  it("wakes waiting getters and putters when closed", async () => {
    const empty = Queue.create(pool, 1);
    const getter = empty.getAsync();
    const full = Queue.create(pool, 1);
    full.tryPut(1);
    const putter = full.putAsync(2);
    expect(await pending(getter, 30)).toBe(true);
    expect(await pending(putter, 30)).toBe(true);
    empty.close();
    full.close();
    expect(await within(getter, 5000, "a main-thread get on a queue closed while it waited")).toBeUndefined();
    expect(await within(putter, 5000, "a main-thread put on a queue closed while it waited")).toBe(false);
  });

  it("wakes a kernel waiting on an empty queue when closed", async () => {
    const q = Queue.create(pool, 2);
    const seen = pool.alloc(Int32Array, 16);
    const consumer = pool.apply("syncDemoConsume", [q, seen]);
    expect(await pending(consumer, 50)).toBe(true);
    q.close();
    expect(await within(consumer, 5000, "a kernel consumer of a queue closed while it waited")).toBe(0);
  });

  it("gives up a get after its timeout", async () => {
    const q = Queue.create(pool, 1);
    expect(q.get(10)).toBeUndefined();
    expect(await q.getAsync(10)).toBeUndefined();
    expect(q.closed).toBe(false);
  });

  it("holds a producer back while full (backpressure) until consumers take", async () => {
    const q = Queue.create(pool, 4);
    const seen = pool.alloc(Int32Array, 1000);
    const producer = pool.apply("syncDemoProduce", [q, 0, 1000]);
    for (let i = 0; i < 500 && q.size < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(q.size).toBe(4); // full…
    expect(await pending(producer, 100)).toBe(true); // …and the producer waits for room
    expect(q.size).toBe(4);
    const consumer = pool.apply("syncDemoConsume", [q, seen]);
    expect(await within(producer, 10_000, "a kernel producer held back by a full queue")).toBe(1000);
    q.close();
    expect(await within(consumer, 10_000, "a kernel consumer after close")).toBe(1000);
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it("delivers every item exactly once from kernel and main-thread producers to kernel and JS-thread consumers", async () => {
    const perProducer = 20_000;
    const fromMain = 2_000;
    const total = 2 * perProducer + fromMain;
    const q = Queue.create(pool, 4); // small: producers keep waiting for room
    const seen = pool.alloc(Int32Array, total);
    const consumers = [
      ...[0, 1].map(() => pool.apply("syncDemoConsume", [q, seen])),
      runJsWorker(pool.memory, "consume", { queue: q.byteOffset, seen: seen.byteOffset }),
    ];
    const producers = [0, 1].map((k) => pool.apply("syncDemoProduce", [q, k * perProducer, perProducer]));
    for (let v = 2 * perProducer; v < total; v++) expect(await q.putAsync(v)).toBe(true);
    expect(await within(Promise.all(producers), 20_000, "2 kernel producers")).toEqual([perProducer, perProducer]);
    q.close();
    const taken = await within(Promise.all(consumers), 20_000, "2 kernel consumers and a JS-thread consumer after close");
    expect(taken.reduce((a, b) => a + b, 0)).toBe(total);
    const wrong = Array.from(seen).findIndex((v) => v !== 1);
    expect(wrong).toBe(-1);
  });

  it("delivers records whole, never torn, between kernels", async () => {
    const perProducer = 10_000;
    const q = Queue.create(pool, 3, { recordLength: 3 });
    const seen = pool.alloc(Int32Array, 2 * perProducer);
    const scratch = [0, 1, 2, 3].map(() => pool.alloc(Float64Array, 3));
    const consumers = [0, 1].map((k) => pool.apply("syncDemoConsumeRecords", [q, seen, scratch[k]!]));
    const producers = [0, 1].map((k) => pool.apply("syncDemoProduceRecords", [q, k * perProducer, perProducer, scratch[2 + k]!]));
    expect(await within(Promise.all(producers), 20_000, "2 kernel record producers")).toEqual([perProducer, perProducer]);
    q.close();
    const taken = await within(Promise.all(consumers), 20_000, "2 kernel record consumers after close");
    expect(taken.every((t) => t >= 0)).toBe(true); // −1: a torn record
    expect(taken[0]! + taken[1]!).toBe(2 * perProducer);
    expect(Array.from(seen).every((v) => v === 1)).toBe(true);
  });

  it("a number queue refuses what is not a number, before any wait", async () => {
    const q = Queue.create(pool, 1);
    for (const bad of ["5", [5], null, undefined, 5n, { valueOf: () => 5 }]) {
      expect(() => q.tryPut(bad as never)).toThrow(InvalidArgumentError);
      await expect(q.putAsync(bad as never)).rejects.toThrow(/^item must be a number \(the queue holds numbers\)/);
    }
    expect(q.size).toBe(0);
    const r = Queue.create(pool, 1, { recordLength: 2 });
    expect(() => r.tryPut([1, "2"] as never)).toThrow(/^item must be an array of 2 numbers/);
  });

  it("a NaN item is an item: a kernel consumer takes it and every item behind it, and stops only at close", async () => {
    const q = Queue.create(pool, 8);
    const items = [1, NaN, 2, NaN, 3];
    for (const x of items) expect(q.tryPut(x)).toBe(true);
    // a NaN with another payload (e.g. the kernels' closed mark, 0x7ffc105ed0000000) is stored as the canonical NaN
    const odd = new Float64Array(new BigUint64Array([0x7ffc105ed0000000n]).buffer)[0]!;
    expect(q.tryPut(odd)).toBe(true);
    q.close();
    expect(await within(pool.apply("syncDemoCount", [q]), 5000, "a kernel counting the items of a closed queue")).toBe(items.length + 1);
    expect(q.size).toBe(0);
  });
});
