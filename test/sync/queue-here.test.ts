/**
 * Queue and JoinableQueue (src/sync/queue.ts) called in the test's own thread: the argument
 * checks with their exact messages, init over used words, the ring's records (numbers, fixed
 * length, named fields) read back at every slot, the queue's lock held by a worker, and the
 * blocking waits (waitReadable, join) and wake-ups (taskDone) against a worker, and this thread's
 * gets contending with worker producers and a consumer. queue.test.ts
 * runs most of this in pool workers and kernels, where a mutation-testing run neither sees its
 * coverage nor activates its mutants (docs/testing.md, "Mutation testing"). Every wait has a
 * short limit of its own, so a lost wake-up fails within seconds instead of hanging.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, SharedArena } from "../../dist/index.js";
import { JoinableQueue, Queue, queueWords } from "../../dist/sync-entry.js";
import { until, within } from "../helpers/deadline.js";
import { inThread } from "./in-thread.js";
import { expectInvalid } from "../helpers/thrown.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => arena.alloc(t, n) };
const memory = arena.memory;
const HEADER = 16; // Int32 words before the ring (QueueLayout in assembly/sync-layout.ts, one 64-byte block)

/** Worker body: sleep `ms` without a timer (the worker has nothing else to do). */
const nap = (ms: number): string => `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});`;

describe("Queue sizes, checked before any memory is taken", () => {
  const capacityMessage = (got: string): string => `capacity must be an integer from 1 to 16777216; got ${got}`;
  const recordMessage = (got: string): string => `recordLength must be an integer from 1 to 1024; got ${got}`;

  it("refuses a capacity that is not an integer from 1 to 2^24", () => {
    for (const [bad, shown] of [[0, "0"], [-3, "-3"], [1.5, "1.5"], [NaN, "NaN"], [2 ** 24 + 1, "16777217"]] as const) {
      expectInvalid(() => Queue.create(pool, bad), "capacity", capacityMessage(shown));
      expectInvalid(() => new Queue(pool.alloc(Int32Array, HEADER + 2)).init(bad), "capacity", capacityMessage(shown));
    }
  });

  it("refuses a recordLength that is not an integer from 1 to 1024", () => {
    for (const [bad, shown] of [[0, "0"], [-1, "-1"], [2.5, "2.5"], [1025, "1025"]] as const) {
      expectInvalid(() => Queue.create(pool, 2, { recordLength: bad }), "recordLength", recordMessage(shown));
      expectInvalid(() => new Queue(pool.alloc(Int32Array, HEADER + 2)).init(1, bad), "recordLength", recordMessage(shown));
    }
  });

  it("takes the largest sizes, 2^24 and 1024, as sizes: only the words then fall short", () => {
    // 2^24 records would need 128 MiB: init over 18 words checks the sizes, then the words
    const words = pool.alloc(Int32Array, HEADER + 2);
    expectInvalid(() => new Queue(words).init(2 ** 24), "capacity",
      `capacity must be at most what the 18 words hold (${HEADER + 2 * 2 ** 24} are needed); got 16777216`);
    expectInvalid(() => new Queue(words).init(1, 1024), "capacity",
      `capacity must be at most what the 18 words hold (${HEADER + 2 * 1024} are needed); got 1`);
    expectInvalid(() => new Queue(words).init(2), "capacity", "capacity must be at most what the 18 words hold (20 are needed); got 2");
    expect(new Queue(words).init(1).capacity).toBe(1); // 16 + 1·1·2 words: exactly enough
  });

  it("refuses words that are no queue's, naming what a queue needs", () => {
    const got = new Int32Array(new SharedArrayBuffer(4 * 8));
    expectInvalid(() => new Queue(got), "words",
      "words must be an Int32Array of at least 16 words on shared memory (e.g. pool.alloc(Int32Array, 16)) for a queue; got a Int32Array of length 8");
  });

  it("init with record fields wants the recordLength of those fields", () => {
    const words = pool.alloc(Int32Array, queueWords(2, 3));
    const q = new Queue(words, { record: { x: "f64", id: "i32" } }); // 16 bytes: 2 numbers
    expectInvalid(() => q.init(2, 3), "recordLength", "recordLength must be 2 for its record fields; got 3");
    expectInvalid(() => q.init(2, 1), "recordLength", "recordLength must be 2 for its record fields; got 1");
    q.init(2, 2);
    expect([q.capacity, q.recordLength]).toEqual([2, 2]);
  });
});

describe("Queue in this thread", () => {
  it("reports its capacity and recordLength, and an empty get leaves it empty", () => {
    const q = Queue.create(pool, 3);
    expect([q.capacity, q.recordLength, q.size, q.closed]).toEqual([3, 1, 0, false]);
    expect(q.tryGet()).toBeUndefined();
    expect(q.get(0)).toBeUndefined();
    expect(q.size).toBe(0); // a get that found nothing took nothing
    for (const x of [10, 20, 30]) expect(q.tryPut(x)).toBe(true);
    expect(q.tryPut(40)).toBe(false);
    expect([q.size, q.tryGet(), q.tryGet(), q.tryGet(), q.tryGet(), q.size]).toEqual([3, 10, 20, 30, undefined, 0]);
    const r = Queue.create(pool, 5, { recordLength: 4 });
    expect([r.capacity, r.recordLength]).toEqual([5, 4]);
  });

  it("init over a used queue's words empties and reopens it", () => {
    const q = JoinableQueue.create(pool, 4);
    for (const x of [1, 2, 3]) q.tryPut(x);
    expect(q.tryGet()).toBe(1); // head moved on
    q.close();
    expect([q.size, q.closed, q.unfinished]).toEqual([2, true, 3]);
    Atomics.store(q.words, 0, 2); // a lock word left taken (a holder that died mid-put)
    q.init(4);
    expect([q.size, q.closed, q.unfinished, Atomics.load(q.words, 0)]).toEqual([0, false, 0, 0]);
    expect(q.tryGet()).toBeUndefined();
    for (const x of [5, 6, 7, 8]) expect(q.tryPut(x)).toBe(true);
    expect(q.tryPut(9)).toBe(false); // full at 4 again: the count restarted at 0
    expect([q.tryGet(), q.tryGet(), q.tryGet(), q.tryGet()]).toEqual([5, 6, 7, 8]);
    expect(q.join(0)).toBe(false); // 4 puts since init, none done
  });

  it("fixed-length records keep their neighbours whole through the ring's wrap", () => {
    const q = Queue.create(pool, 2, { recordLength: 2 });
    expect(q.tryPut([1, 2])).toBe(true);
    expect(q.tryPut([3, 4])).toBe(true);
    expect(Array.from(q.getRecord(undefined, 0)!)).toEqual([1, 2]);
    expect(q.tryPut(new Float64Array([5, 6]))).toBe(true); // into slot 0, just before [3, 4]
    expect(Array.from(q.getRecord(undefined, 0)!)).toEqual([3, 4]);
    expect(Array.from(q.getRecord(undefined, 0)!)).toEqual([5, 6]);
    expect(q.tryPut([NaN, 7])).toBe(true);
    const got = q.getRecord(undefined, 0)!;
    expect([Number.isNaN(got[0]), got[1]]).toEqual([true, 7]);
  });

  it("getRecord fills only the record's numbers into a longer `out`", async () => {
    const q = Queue.create(pool, 3, { recordLength: 2 });
    for (const r of [[1, 2], [3, 4], [5, 6]]) q.tryPut(r);
    const out = new Float64Array([-1, -1, -1, -1, -1]);
    expect(q.getRecord(out, 0)).toBe(out);
    expect(Array.from(out)).toEqual([1, 2, -1, -1, -1]);
    out.fill(-1);
    expect(await q.getRecordAsync(out, 0)).toBe(out);
    expect(Array.from(out)).toEqual([3, 4, -1, -1, -1]);
    const exact = new Float64Array(2);
    expect(Array.from(q.getRecord(exact, 0)!)).toEqual([5, 6]);
    expect(q.getRecord(exact, 0)).toBeUndefined();
  });

  it("getRecord refuses an `out` that is not a Float64Array of recordLength numbers, before any wait", async () => {
    const q = Queue.create(pool, 1, { recordLength: 2 });
    q.tryPut([1, 2]);
    expectInvalid(() => q.getRecord(new Float64Array(1), 0), "out", "out must be a Float64Array of at least 2 numbers; got a Float64Array of length 1");
    expectInvalid(() => q.getRecord([0, 0, 0] as never, 0), "out", "out must be a Float64Array of at least 2 numbers; got an array of length 3");
    expectInvalid(() => q.getRecord(new Float32Array(2) as never, 0), "out", "out must be a Float64Array of at least 2 numbers; got a Float32Array of length 2");
    await expect(q.getRecordAsync(new Float64Array(1), 0)).rejects.toThrow(InvalidArgumentError);
    expect(q.size).toBe(1); // nothing was taken
  });

  it("a record queue refuses an item that is not an array of recordLength numbers", () => {
    const q = Queue.create(pool, 2, { recordLength: 2 });
    const message = (got: string): string => `item must be an array of 2 numbers (the queue's recordLength); got ${got}`;
    expectInvalid(() => q.tryPut(null as never), "item", message("null"));
    expectInvalid(() => q.tryPut(5 as never), "item", message("5"));
    expectInvalid(() => q.tryPut([1, 2, 3]), "item", message("an array of length 3"));
    expectInvalid(() => q.tryPut([1]), "item", message("an array of length 1"));
    expectInvalid(() => q.tryPut(["1", 2] as never), "item", message("an array of length 2"));
    expect(q.size).toBe(0);
  });

  it("named records come back field by field from every slot of the ring", async () => {
    const q = Queue.create(pool, 3, { record: { x: "f64", id: "i32", flag: "u8" } });
    expect(q.recordLength).toBe(2); // 8 + 4 + 1 bytes, rounded up to 16
    const items = [{ x: 0.5, id: -7, flag: 255 }, { x: -1e300, id: 2 ** 31 - 1, flag: 1 }, { x: 3.25, id: 9, flag: 0 }];
    for (const r of items) expect(q.tryPut(r)).toBe(true);
    expect([q.tryGet(), await q.getAsync(0)]).toEqual(items.slice(0, 2));
    expect(await q.putAsync({ x: 4, id: 4, flag: 4 }, 0)).toBe(true); // wraps into slot 0
    expect([q.tryGet(), q.get(0)]).toEqual([items[2], { x: 4, id: 4, flag: 4 }]);
    // the bytes, as a kernel reads its @unmanaged class { x: f64; id: i32; flag: u8 }: x at 0, id at 8, flag at 12
    const ring = new DataView(q.words.buffer, q.byteOffset + 4 * HEADER, 3 * 16);
    expect([ring.getFloat64(16, true), ring.getInt32(16 + 8, true), ring.getUint8(16 + 12)]).toEqual([-1e300, 2 ** 31 - 1, 1]);
  });
});

describe("Queue and its lock, held by a worker", () => {
  it("tryPut and tryGet give up, and a get waits, while a worker holds the queue's lock", async () => {
    const q = Queue.create(pool, 2);
    q.tryPut(42);
    const flag = pool.alloc(Int32Array, 2);
    // the queue's lock is a Mutex in the queue's first word (QueueLayout.lock), as a kernel takes it
    const worker = inThread(memory, `
      const mu = new m.Mutex(at(data.q, 1)); const f = at(data.f, 2); mu.lock(); Atomics.store(f, 0, 1);
      Atomics.wait(f, 1, 0, 20000); ${nap(100)} mu.unlock(); return "unlocked";`, { q: q.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the queue's lock");
    expect(q.tryGet()).toBeUndefined();
    expect(q.tryPut(43)).toBe(false);
    expect(q.get(30)).toBeUndefined();
    expect(await q.getAsync(20)).toBeUndefined();
    expect(q.size).toBe(1); // nothing taken, nothing added
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    const t0 = performance.now();
    expect(q.get(5000)).toBe(42); // waits out the worker's last 100 ms with the lock
    expect(performance.now() - t0).toBeGreaterThan(50);
    expect(await within(worker, "the worker, to let the lock go")).toBe("unlocked");
    expect([q.size, Atomics.load(q.words, 0)]).toEqual([0, 0]);
  });
});

describe("Queue.waitReadable in this thread", () => {
  it("is true at once when an item is there or the queue is closed, and false after its limit otherwise", async () => {
    const q = Queue.create(pool, 2);
    expect(q.waitReadable()).toBe(false);
    const t0 = performance.now();
    expect(q.waitReadable(40)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    q.tryPut(1);
    expect(q.waitReadable()).toBe(true);
    expect(await q.waitReadableAsync()).toBe(true);
    expect(q.size).toBe(1); // a poll takes nothing
    q.tryGet();
    q.close();
    expect(q.waitReadable()).toBe(true); // closed: a get would return (undefined) at once
    expect(await q.waitReadableAsync()).toBe(true);
  });

  it("a poll woken by a put passes the wake-up on to a getter asleep behind it", async () => {
    const q = Queue.create(pool, 2);
    const flag = pool.alloc(Int32Array, 3); // [getter ready, putter ready, go]
    const go = `const f = at(data.f, 3); Atomics.store(f, data.me, 1); Atomics.wait(f, 2, 0, 20000);`;
    // the getter sleeps on notEmpty after this thread's poll (Atomics.notify wakes sleepers first in, first out)
    const getter = inThread(memory, `${go} ${nap(150)}
      const q = new m.Queue(at(data.q, m.queueWords(2, 1))); const t0 = performance.now(); const v = q.get(8000);
      return [v, performance.now() - t0];`, { q: q.byteOffset, f: flag.byteOffset, me: 0 });
    const putter = inThread(memory, `${go} ${nap(350)}
      const q = new m.Queue(at(data.q, m.queueWords(2, 1))); return q.put(7, 1000);`, { q: q.byteOffset, f: flag.byteOffset, me: 1 });
    await until(() => Atomics.load(flag, 0) === 1 && Atomics.load(flag, 1) === 1, "the getter and putter workers to start");
    Atomics.store(flag, 2, 1);
    Atomics.notify(flag, 2);
    const t0 = performance.now();
    expect(q.waitReadable(8000)).toBe(true); // woken by the put (first asleep), it passes the wake-up on
    expect(performance.now() - t0).toBeLessThan(7000);
    expect(await within(putter, "the putter")).toBe(true);
    const [v, waited] = await within(getter, "the getter, woken through the poll") as [number, number];
    expect(v).toBe(7);
    expect(waited).toBeLessThan(4000); // ~200 ms; without the passed-on wake-up it sleeps its whole 8 s
  });
});

describe("JoinableQueue in this thread", () => {
  it("join waits for a worker's taskDone calls, and join(0) says whether all are done", async () => {
    const q = JoinableQueue.create(pool, 4);
    expect(q.join(0)).toBe(true);
    expect(await q.joinAsync(0)).toBe(true);
    q.tryPut(1);
    q.tryPut(2);
    expect([q.unfinished, q.join(0), q.join(20)]).toEqual([2, false, false]);
    const worker = inThread(memory, `
      const q = new m.JoinableQueue(at(data.q, m.queueWords(4, 1))); q.get(1000); ${nap(60)} q.taskDone();
      q.get(1000); ${nap(60)} q.taskDone(); return q.unfinished;`, { q: q.byteOffset });
    const t0 = performance.now();
    expect(q.join(5000)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(4500); // woken by the last taskDone, not by its limit
    expect(q.unfinished).toBe(0);
    expect(await within(worker, "the worker marking both done")).toBe(0);
  });

  it("the last taskDone wakes a worker asleep in join; an earlier one does not end the join", async () => {
    const q = JoinableQueue.create(pool, 4);
    q.tryPut(1);
    q.tryPut(2);
    const flag = pool.alloc(Int32Array, 1);
    const worker = inThread(memory, `
      const q = new m.JoinableQueue(at(data.q, m.queueWords(4, 1))); Atomics.store(at(data.f, 1), 0, 1);
      const t0 = performance.now(); const ok = q.join(20000); return [ok, q.unfinished, performance.now() - t0];`,
    { q: q.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to start its join");
    await new Promise((r) => setTimeout(r, 50)); // let it fall asleep
    q.taskDone();
    await new Promise((r) => setTimeout(r, 30));
    expect(q.unfinished).toBe(1);
    q.taskDone();
    const [ok, left, waited] = await within(worker, "a worker in join, after the last taskDone") as [boolean, number, number];
    expect([ok, left]).toEqual([true, 0]);
    expect(waited).toBeLessThan(10_000);
    expect(() => q.taskDone()).toThrow("taskDone() called more times than there were items put");
    expect(q.unfinished).toBe(0); // the refused taskDone left the count as it was
  });
});

describe("Queue under contention", () => {
  it("two worker producers and a worker consumer against this thread's gets deliver every item exactly once", async () => {
    const perProducer = 10_000;
    const total = 2 * perProducer;
    const q = Queue.create(pool, 2); // tiny: every put and get contends for the lock
    const seen = pool.alloc(Int32Array, total);
    const producers = [0, 1].map((k) => inThread(memory, `
      const q = new m.Queue(at(data.q, m.queueWords(2, 1)));
      for (let v = data.from; v < data.from + data.n; v++) if (!q.put(v, 5000)) return "refused " + v;
      return "done";`, { q: q.byteOffset, from: k * perProducer, n: perProducer }));
    const consumer = inThread(memory, `
      const q = new m.Queue(at(data.q, m.queueWords(2, 1))); const seen = at(data.seen, data.n); let taken = 0;
      for (let v = q.get(5000); v !== undefined; v = q.get(5000)) { Atomics.add(seen, v, 1); taken++; }
      return taken;`, { q: q.byteOffset, seen: seen.byteOffset, n: total });
    let mine = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 10_000) {
      const v = q.get(mine === 0 ? 5000 : 200); // the first: while the workers start
      if (v === undefined) break; // the producers are done (or stuck: then the checks below fail)
      Atomics.add(seen, v as number, 1);
      mine++;
      if (mine % 2000 === 0) await new Promise((r) => setTimeout(r, 0)); // let the workers' replies in
    }
    expect(await within(Promise.all(producers), "2 worker producers")).toEqual(["done", "done"]);
    q.close();
    const theirs = await within(consumer, "the worker consumer after close") as number;
    expect(mine).toBeGreaterThan(0);
    expect(mine + theirs).toBe(total);
    const wrong = Array.from(seen).findIndex((x) => x !== 1);
    expect(wrong).toBe(-1);
  });
});
