/**
 * Python's primitives on shared words, each used from the main thread (async), a JS worker
 * thread (blocking) and a kernel (assembly/sync-demos.ts) at once. Every wait has its own short
 * deadline (`within`) that names who was left waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../dist/index.js";
import { Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, JoinableQueue, Mutex, Pipe, Queue, RLock, Semaphore, SharedArray, Value, recordType } from "../../dist/sync-entry.js";
import { SYNC_DEMOS, within } from "./fixture.js";
import { inThread } from "./in-thread.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });
const ints = (n = 16): Int32Array => pool.alloc(Int32Array, n);

describe("Event", () => {
  it("set() wakes a kernel, a JS thread and the main thread waiting on it; wait returns true", async () => {
    const e = Event.create(pool);
    const woken = ints();
    // the waits' own limits are well past the test's deadline: a wait that timed out would still
    // answer true (the flag is set by then), so only a real wake-up passes within 5 s
    const kernel = pool.apply("syncDemoEventWait", [e, woken, 30_000]);
    const thread = inThread(pool.memory, "return new m.Event(at(data.e)).wait(30000);", { e: e.byteOffset });
    const main = e.waitAsync(30_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(e.isSet()).toBe(false);
    e.set();
    expect(await within(Promise.all([kernel, thread, main]), 5000, "kernel, JS thread and main thread waiting for the event")).toEqual([1, true, true]);
    expect(woken[0]).toBe(1);
  });

  it("wait returns false after its timeout; clear() lowers the flag; a kernel's set wakes the main thread", async () => {
    const e = Event.create(pool);
    expect(await e.waitAsync(20)).toBe(false);
    e.set();
    expect(e.wait(0)).toBe(true);
    e.clear();
    expect(e.isSet()).toBe(false);
    const waiting = e.waitAsync(30_000); // past the deadline below: a timed-out wait would answer true too
    await pool.apply("syncDemoEventSet", [e]);
    expect(await within(waiting, 5000, "the main thread waiting for a kernel's set")).toBe(true);
  });
});

describe("RLock", () => {
  it("is re-entrant, records its owner, and refuses an unlock by another thread or kernel", async () => {
    const lock = RLock.create(pool);
    expect(lock.lock()).toBe(true);
    expect(lock.lock()).toBe(true);
    expect([lock.owner, lock.depth]).toEqual([lock.me, 2]);
    expect(await inThread(pool.memory, "try { new m.RLock(at(data.l)).unlock(); return 'unlocked'; } catch (e) { return e.message; }", { l: lock.byteOffset }))
      .toMatch(/^unlock\(\) of an RLock owned by \d+, not by this thread/);
    expect(await pool.apply("syncDemoRLockUnlock", [lock, -7])).toBe(0);
    lock.unlock();
    expect(lock.depth).toBe(1);
    lock.unlock();
    expect(lock.owner).toBe(0);
    expect(() => lock.unlock()).toThrow("unlock() of an RLock that is not locked");
  });

  it("guards a counter shared by kernels, a JS thread and the main thread (using a hold)", async () => {
    const lock = RLock.create(pool);
    const c = ints();
    const kernels = [-1, -2].map((owner) => pool.apply("syncDemoRLockIncrements", [c, lock, owner, 20_000]));
    const thread = inThread(pool.memory, `
      const l = new m.RLock(at(data.l)); const c = at(data.c, 1);
      for (let i = 0; i < 20000; i++) { const h = l.hold(); l.lock(); c[0]++; l.unlock(); h[Symbol.dispose](); } // Node 20's JS has no using
      return 0;`, { l: lock.byteOffset, c: c.byteOffset });
    for (let i = 0; i < 200; i++) {
      const h = await lock.holdAsync();
      c[0]!++;
      h[Symbol.dispose]();
    }
    expect(await within(Promise.all([...kernels, thread]), 20_000, "2 kernels and a JS thread incrementing under the RLock")).toEqual([0, 0, 0]);
    expect(c[0]).toBe(60_200);
    expect(lock.owner).toBe(0);
  });
});

describe("Semaphore and BoundedSemaphore", () => {
  it("Semaphore(0) is the signalling idiom and is unbounded; BoundedSemaphore refuses a release past its value", async () => {
    const s = Semaphore.create(pool, 0);
    expect(s.tryAcquire()).toBe(false);
    const waiting = s.acquireAsync(5000);
    s.release();
    expect(await within(waiting, 5000, "the main thread acquiring a released permit")).toBe(true);
    s.release(5);
    expect([s.value, s.bound]).toEqual([5, Infinity]);
    const b = BoundedSemaphore.create(pool, 2);
    expect(b.tryAcquire()).toBe(true);
    b.release();
    expect(() => b.release()).toThrow(/more than its 2: a release without an acquire/);
    expect(b.value).toBe(2);
    {
      using _hold = b.hold();
      expect(b.value).toBe(1);
    }
    expect(b.value).toBe(2);
    expect(() => Semaphore.create(pool, -1)).toThrow(/^value must be an integer from 0/);
  });
});

describe("Condition", () => {
  it("notifyAll wakes a kernel, a JS thread and the main thread waiting for a predicate; no wake-up is lost", async () => {
    const cond = Condition.create(pool); // over a new RLock
    const lock = cond.lock as RLock;
    const counter = ints();
    const target = 300;
    const kernel = pool.apply("syncDemoConditionAwait", [cond, lock, -1, counter, target, 5000]);
    const thread = inThread(pool.memory, `
      const c = new m.Condition(at(data.c)); const n = at(data.n, 1);
      c.lock.lock(); const ok = c.waitFor(() => Atomics.load(n, 0) >= data.target, 10000); c.lock.unlock(); return ok;`,
    { c: cond.byteOffset, n: counter.byteOffset, target });
    const main = (async () => {
      await lock.lockAsync();
      try {
        return await cond.waitForAsync(() => Atomics.load(counter, 0) >= target, 10_000);
      } finally {
        lock.unlock();
      }
    })();
    // a kernel bumps the counter 300 times, notifying all each time
    await pool.apply("syncDemoConditionBump", [cond, lock, -2, counter, target]);
    expect(await within(Promise.all([kernel, thread, main]), 10_000, "kernel, JS thread and main thread waiting on the condition"))
      .toEqual([target, true, true]);
  });

  it("wait returns false after its timeout, holding the lock again; notify without the lock is an error", async () => {
    const cond = Condition.create(pool, Mutex.create(pool));
    expect(() => cond.notify()).toThrow("notify() on a condition whose lock this thread does not hold");
    await cond.lock.lockAsync();
    expect(await cond.waitAsync(20)).toBe(false);
    expect((cond.lock as Mutex).isLocked).toBe(true);
    cond.lock.unlock();
  });
});

describe("Barrier", () => {
  it("gives each party a distinct index, runs the action once per round before the release, with kernel and JS parties", async () => {
    const parties = 3;
    const rounds = 50;
    const runs = ints();
    const indexes = ints(parties * rounds);
    const barrier = Barrier.create(pool, parties, { action: () => { runs[0]!++; } });
    const kernel = pool.apply("syncDemoBarrierRounds", [barrier, parties, rounds, runs, indexes, 5000]);
    const party = `
      const b = new m.Barrier(at(data.b), { action: () => { at(data.runs, 1)[0]++; } }); const idx = at(data.indexes, data.parties * data.rounds);
      for (let r = 0; r < data.rounds; r++) { if (at(data.runs, 1)[0] !== r) return -10; Atomics.add(idx, r * data.parties + b.wait(5000), 1); }
      return data.rounds;`;
    const data = { b: barrier.byteOffset, runs: runs.byteOffset, indexes: indexes.byteOffset, parties, rounds };
    const thread = inThread(pool.memory, party, data);
    const main = (async () => {
      for (let r = 0; r < rounds; r++) {
        if (runs[0] !== r) return -10;
        Atomics.add(indexes, r * parties + await barrier.waitAsync(5000), 1);
      }
      return rounds;
    })();
    expect(await within(Promise.all([kernel, thread, main]), 20_000, "a kernel, a JS thread and the main thread at the barrier")).toEqual([rounds, rounds, rounds]);
    expect(runs[0]).toBe(rounds);
    expect(Array.from(indexes)).toEqual(new Array(parties * rounds).fill(1));
  });

  it("abort breaks waiting parties and later waits; reset makes it usable again; a timeout breaks it", async () => {
    const barrier = Barrier.create(pool, 2, { timeoutMs: 5000 });
    const waiting = barrier.waitAsync();
    await new Promise((r) => setTimeout(r, 20));
    expect(barrier.nWaiting).toBe(1);
    barrier.abort();
    await expect(waiting).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
    await expect(barrier.waitAsync()).rejects.toMatchObject({ reason: "aborted" });
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const again = barrier.waitAsync();
    const other = inThread(pool.memory, "return new m.Barrier(at(data.b)).wait(5000);", { b: barrier.byteOffset });
    expect((await within(Promise.all([again, other]), 5000, "two parties after reset")).sort()).toEqual([0, 1]);
    await expect(barrier.waitAsync(20)).rejects.toMatchObject({ reason: "timed-out" });
  });

  it("reset breaks the parties waiting now with reason \"reset\"", async () => {
    const barrier = Barrier.create(pool, 3);
    const waiting = [barrier.waitAsync(5000), barrier.waitAsync(5000)];
    await new Promise((r) => setTimeout(r, 20));
    barrier.reset();
    for (const w of waiting) await expect(within(w, 5000, "a party broken by reset")).rejects.toMatchObject({ reason: "reset" });
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
  });
});

describe("JoinableQueue", () => {
  it("join resolves once kernel and JS-thread workers marked every item done", async () => {
    const q = JoinableQueue.create(pool, 8);
    const n = 2000;
    const seen = ints(n);
    const kernel = pool.apply("syncDemoConsumeTasks", [q, seen]);
    const thread = inThread(pool.memory, `
      const q = new m.JoinableQueue(at(data.q, m.queueWords(8, 1))); const seen = at(data.seen, data.n);
      for (let v = q.get(); v !== undefined; v = q.get()) { Atomics.add(seen, v, 1); q.taskDone(); } return 0;`,
    { q: q.byteOffset, seen: seen.byteOffset, n });
    for (let v = 0; v < n; v++) await q.putAsync(v);
    expect(await within(q.joinAsync(), 10_000, "join, for the kernel and JS thread to mark every item done")).toBe(true);
    expect(q.unfinished).toBe(0);
    expect(Array.from(seen).every((x) => x === 1)).toBe(true);
    q.close();
    expect(await within(Promise.all([kernel, thread]), 5000, "the workers after close")).toEqual([0, 0]);
    expect(() => q.taskDone()).toThrow("taskDone() called more times than there were items put");
  });

  it("a kernel's join waits for the main thread's taskDone calls", async () => {
    const q = JoinableQueue.create(pool, 4);
    q.tryPut(1);
    q.tryPut(2);
    const joined = pool.apply("syncDemoJoin", [q, 5000]);
    await new Promise((r) => setTimeout(r, 30));
    expect(await Promise.race([joined, "waiting"])).toBe("waiting");
    expect([q.tryGet(), q.tryGet()]).toEqual([1, 2]);
    q.taskDone();
    expect(q.join(0)).toBe(false);
    q.taskDone();
    expect(await within(joined, 5000, "a kernel in queueJoin")).toBe(1);
  });
});

describe("Pipe", () => {
  it("is duplex between the main thread and a kernel; poll, close, and a one-way pipe", async () => {
    const [mine, theirs] = Pipe.create(pool, { capacity: 2 });
    const echo = pool.apply("syncDemoPipeEcho", [theirs]);
    expect(mine.poll()).toBe(false);
    for (let i = 0; i < 100; i++) {
      await mine.sendAsync(i);
      expect(await within(mine.pollAsync(5000), 5000, "poll for the kernel's answer")).toBe(true);
      expect(await mine.recvAsync(5000)).toBe(2 * i);
    }
    mine.close();
    expect(await within(echo, 5000, "the kernel's echo loop after close")).toBe(100);
    const [r, w] = Pipe.create(pool, { duplex: false });
    expect(() => r.send(1)).toThrow("this end of a one-way pipe only receives");
    const reader = inThread(pool.memory, "const c = new m.Connection(at(data.r)); const a = c.recv(5000); const b = c.recv(5000); return [a, b];", { r: r.byteOffset });
    w.send(3);
    w.close();
    expect(await within(reader, 5000, "a JS thread receiving then seeing the close")).toEqual([3, undefined]);
  });
});

describe("Value and SharedArray", () => {
  it("Value('f64') with its lock: kernels and a JS thread add under getLock() without losing an update", async () => {
    const v = Value.create(pool, "f64", 0.5);
    expect(v.value).toBe(0.5);
    const kernels = [-1, -2].map((owner) => pool.apply("syncDemoValueAdd", [v, owner, 10_000]));
    const thread = inThread(pool.memory, `
      const v = new m.Value(at(data.v, 18), "f64"); for (let i = 0; i < 10000; i++) { const h = v.getLock().hold(); v.value += 1; h[Symbol.dispose](); } return 0;`, { v: v.byteOffset });
    await within(Promise.all([...kernels, thread]), 20_000, "2 kernels and a JS thread adding to the Value");
    expect(v.value).toBe(30_000.5);
    const a = SharedArray.create(pool, "i32", [1, 2, 3], { lock: false });
    expect(Array.from(a.array)).toEqual([1, 2, 3]);
    expect(() => a.getLock()).toThrow("made with lock: false, so it has no lock");
    expect(() => Value.create(pool, "f65" as "f64")).toThrow(/^type must be one of f64/);
  });
});

describe("named records", () => {
  it("are laid out as an AssemblyScript @unmanaged class with the same fields: a kernel's { x: f64, id: i32 } reads back in JS", async () => {
    const type = recordType({ x: "f64", id: "i32" });
    expect([type.offsets, type.byteLength]).toEqual([{ x: 0, id: 8 }, 16]);
    expect(recordType({ a: "u8", b: "f64", c: "i16" }).offsets).toEqual({ a: 0, b: 8, c: 16 });
    const q = Queue.create(pool, 4, { record: { x: "f64", id: "i32" } });
    const scratch = pool.alloc(Float64Array, 2);
    const producer = pool.apply("syncDemoPutPoints", [q, 50, scratch]);
    for (let id = 0; id < 50; id++) expect(await within(q.getAsync(5000), 5000, `record ${id} from the kernel`)).toEqual({ x: id / 2, id });
    expect(await producer).toBe(50);
    expect(() => q.tryPut({ x: 1 } as never)).toThrow(/^item must be a record \{ x: number, id: number \}/);
  });
});
