/**
 * The blocking waits (lock, acquire, wait) in the test's own thread, against a worker thread that
 * holds or signals: the other tests block only inside worker threads, where a mutation-testing
 * run neither sees their coverage nor activates its mutants (docs/testing.md). Node lets any
 * thread block in Atomics.wait. Each wait has a short limit of its own, so a lost wake-up fails
 * as a `false` (or a timing) within seconds instead of a hang.
 */
import { describe, expect, it } from "vitest";
import { SharedArena } from "../../dist/index.js";
import { BoundedSemaphore, Event, Mutex, RLock, Semaphore } from "../../dist/sync-entry.js";
import { until, within } from "../helpers/deadline.js";
import { inThread } from "./in-thread.js";
import { expectError } from "../helpers/thrown.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => arena.alloc(t, n) };
const memory = arena.memory;

/** Worker body: sleep `ms` without a timer (the worker has nothing else to do). */
const nap = (ms: string): string => `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});`;

describe("Mutex.lock in this thread", () => {
  it("waits while a worker holds the mutex and takes it once the worker unlocks (contended path)", async () => {
    const mutex = Mutex.create(pool);
    const flag = pool.alloc(Int32Array, 1);
    const worker = inThread(memory, `
      const mu = new m.Mutex(at(data.m, 1)); mu.lock(); Atomics.store(at(data.f, 1), 0, 1);
      ${nap("150")} mu.unlock(); return "unlocked";`, { m: mutex.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the mutex");
    const t0 = performance.now();
    expect(mutex.lock(10_000)).toBe(true);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThan(50); // it did wait for the worker's unlock
    expect(waited).toBeLessThan(9_000); // woken by the unlock, not by its own time limit
    expect(mutex.isLocked).toBe(true);
    expect(mutex.tryLock()).toBe(false);
    mutex.unlock();
    expect(Atomics.load(mutex.words, 0)).toBe(0); // unlocked: the word back to 0, not left marked contended
    expect(await worker).toBe("unlocked");
  });

  it("gives up after its time limit while a worker keeps the mutex, and hold() then throws naming the limit", async () => {
    const mutex = Mutex.create(pool);
    const flag = pool.alloc(Int32Array, 2);
    const worker = inThread(memory, `
      const mu = new m.Mutex(at(data.m, 1)); const f = at(data.f, 2); mu.lock(); Atomics.store(f, 0, 1);
      Atomics.wait(f, 1, 0, 20000); mu.unlock(); return "released";`, { m: mutex.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the mutex");
    const t0 = performance.now();
    expect(mutex.lock(80)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(79);
    expectError(() => mutex.hold(30), "timed out after 30 ms waiting for the mutex");
    expect(mutex.lock(0)).toBe(false);
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    expect(await worker).toBe("released");
    const h = mutex.hold(1000);
    expect(mutex.isLocked).toBe(true);
    h.release();
    h.release(); // a second release does nothing
    expect(mutex.isLocked).toBe(false);
  });

  it("refuses a negative or non-number time limit before waiting", () => {
    const mutex = Mutex.create(pool);
    expect(() => mutex.lock(-1)).toThrow(/^timeoutMs must be a number of milliseconds, 0 or more/);
    expect(() => mutex.lock("5" as never)).toThrow(/^timeoutMs must be/);
    expect(mutex.isLocked).toBe(false);
  });
});

describe("RLock.lock in this thread", () => {
  it("waits for a worker's last unlock, then owns the lock with depth 1", async () => {
    const lock = RLock.create(pool);
    const flag = pool.alloc(Int32Array, 1);
    const worker = inThread(memory, `
      const l = new m.RLock(at(data.l, 3)); l.lock(); l.lock(); Atomics.store(at(data.f, 1), 0, 1);
      ${nap("100")} l.unlock(); ${nap("50")} l.unlock(); return "unlocked";`, { l: lock.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the RLock twice");
    expect(lock.owner).not.toBe(lock.me);
    const t0 = performance.now();
    expect(lock.lock(10_000)).toBe(true);
    expect(performance.now() - t0).toBeGreaterThan(80); // through both of the worker's unlocks
    expect([lock.owner, lock.depth]).toEqual([lock.me, 1]);
    lock.unlock();
    expect([lock.owner, lock.depth]).toEqual([0, 0]);
    expect(await worker).toBe("unlocked");
  });

  it("times out while a worker holds it", async () => {
    const lock = RLock.create(pool);
    const flag = pool.alloc(Int32Array, 2);
    const worker = inThread(memory, `
      const l = new m.RLock(at(data.l, 3)); const f = at(data.f, 2); l.lock(); Atomics.store(f, 0, 1);
      Atomics.wait(f, 1, 0, 20000); l.unlock(); return "released";`, { l: lock.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the RLock");
    expect(lock.lock(60)).toBe(false);
    expectError(() => lock.hold(20), "timed out after 20 ms waiting for the RLock");
    expect(lock.depth).toBe(1); // the worker's hold, untouched
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    expect(await worker).toBe("released");
  });
});

describe("Semaphore.acquire in this thread", () => {
  it("waits for a worker's release, takes exactly one permit, and times out when none comes", async () => {
    const sem = Semaphore.create(pool, 0);
    const worker = inThread(memory, `${nap("120")} new m.Semaphore(at(data.s, 3)).release(2); return "released";`, { s: sem.byteOffset });
    const t0 = performance.now();
    expect(sem.acquire(10_000)).toBe(true);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThan(50);
    expect(waited).toBeLessThan(9_000);
    expect(sem.value).toBe(1); // two released, one taken
    expect(sem.acquire(0)).toBe(true);
    expect(sem.value).toBe(0);
    const t1 = performance.now();
    expect(sem.acquire(60)).toBe(false);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(59);
    expectError(() => sem.hold(10), "timed out after 10 ms waiting for the semaphore");
    expect(await worker).toBe("released");
  });

  it("a BoundedSemaphore's hold releases on dispose and refuses a release past its bound, keeping the count", () => {
    const sem = BoundedSemaphore.create(pool, 2);
    expect(sem.bound).toBe(2);
    const h = sem.hold(100);
    expect(sem.value).toBe(1);
    h[Symbol.dispose]();
    expect(sem.value).toBe(2);
    expect(() => sem.release()).toThrow("release(1) would give the bounded semaphore 3 permits, more than its 2: a release without an acquire");
    expect(sem.value).toBe(2);
    expect(() => sem.release(0)).toThrow(/^n must be an integer of at least 1/);
    expect(() => sem.release(1.5)).toThrow(/^n must be an integer of at least 1/);
    const free = Semaphore.create(pool, 0);
    expect(free.bound).toBe(Infinity);
    free.release(3);
    expect(free.value).toBe(3);
    expect(() => free.release(2 ** 31 - 3)).toThrow("release(2147483645) would pass 2^31-1 permits");
    expect(free.value).toBe(3);
  });

  it("refuses a bad initial value, naming it", () => {
    for (const bad of [-1, 0.5, 2 ** 31 - 1]) {
      expect(() => Semaphore.create(pool, bad)).toThrow(/^value must be an integer from 0 to 2\^31-2/);
    }
    expect(Semaphore.create(pool, 2 ** 31 - 2).value).toBe(2 ** 31 - 2);
  });
});

describe("Event.wait in this thread", () => {
  it("is woken by a worker's set, returns false after its limit without one, and at once when set", async () => {
    const e = Event.create(pool);
    const worker = inThread(memory, `${nap("120")} new m.Event(at(data.e, 2)).set(); return "set";`, { e: e.byteOffset });
    const t0 = performance.now();
    expect(e.wait(10_000)).toBe(true);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThan(50);
    expect(waited).toBeLessThan(9_000);
    expect(await worker).toBe("set");
    expect(e.wait(0)).toBe(true);
    e.clear();
    const t1 = performance.now();
    expect(e.wait(60)).toBe(false);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(59);
  });

  it("sees a set that a clear follows at once (a pulse) while it sleeps", async () => {
    const e = Event.create(pool);
    const worker = inThread(memory, `${nap("120")} const ev = new m.Event(at(data.e, 2)); ev.set(); ev.clear(); return "pulsed";`, { e: e.byteOffset });
    expect(e.wait(10_000)).toBe(true);
    expect(await worker).toBe("pulsed");
    expect(e.isSet()).toBe(false); // the clear has run: wait() answered for the set it saw
    expect(e.wait(30)).toBe(false);
  });
});

describe("wake-ups sent from this thread", () => {
  it("Event.set() here wakes a worker asleep with a 20 s limit within seconds (no lost wake-up), and isSet() says so", async () => {
    const e = Event.create(pool);
    const flag = pool.alloc(Int32Array, 1);
    const worker = inThread(memory, `
      const ev = new m.Event(at(data.e, 2)); Atomics.store(at(data.f, 1), 0, 1);
      const t0 = performance.now(); const r = ev.wait(20000); return [r, performance.now() - t0];`, { e: e.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to start waiting");
    await new Promise((r) => setTimeout(r, 100)); // past its spins, asleep
    expect(e.isSet()).toBe(false);
    e.set();
    expect(e.isSet()).toBe(true);
    e.set(); // a second set changes nothing
    expect(e.isSet()).toBe(true);
    const [woken, ms] = (await within(worker, "the worker woken by the set", 10_000)) as [boolean, number];
    expect(woken).toBe(true);
    expect(ms).toBeLessThan(10_000); // woken by the set, not by its 20 s limit
  });

  it("Event.waitAsync here sees a set that a clear followed before it could run (a pulse)", async () => {
    const e = Event.create(pool);
    const done = pool.alloc(Int32Array, 1);
    const waiting = e.waitAsync(3000);
    const worker = inThread(memory, `
      ${nap("100")} const ev = new m.Event(at(data.e, 2)); ev.set(); ev.clear();
      const d = at(data.d, 1); Atomics.store(d, 0, 1); Atomics.notify(d, 0); return "pulsed";`, { e: e.byteOffset, d: done.byteOffset });
    // this thread is held until the pulse is over: the wait's continuation can only see it cleared
    Atomics.wait(done, 0, 0, 10_000);
    expect(e.isSet()).toBe(false);
    const t0 = performance.now();
    expect(await waiting).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2500); // not after its 3 s limit
    expect(await worker).toBe("pulsed");
  });

  it("Mutex.unlock() here wakes a worker asleep in lock() with a 20 s limit within seconds", async () => {
    const mutex = Mutex.create(pool);
    expect(mutex.tryLock()).toBe(true);
    const worker = inThread(memory, `
      const mu = new m.Mutex(at(data.m, 1)); const t0 = performance.now(); const r = mu.lock(20000);
      const ms = performance.now() - t0; if (r) mu.unlock(); return [r, ms];`, { m: mutex.byteOffset });
    await until(() => Atomics.load(mutex.words, 0) === 2, "the worker, to sleep on the mutex");
    mutex.unlock();
    const [got, ms] = (await within(worker, "the worker woken by the unlock", 10_000)) as [boolean, number];
    expect(got).toBe(true);
    expect(ms).toBeLessThan(10_000);
    expect(mutex.isLocked).toBe(false);
  });

  it("Semaphore.release() here wakes a worker asleep in acquire() with a 20 s limit within seconds", async () => {
    const sem = Semaphore.create(pool, 0);
    const flag = pool.alloc(Int32Array, 1);
    const worker = inThread(memory, `
      const s = new m.Semaphore(at(data.s, 3)); Atomics.store(at(data.f, 1), 0, 1);
      const t0 = performance.now(); const r = s.acquire(20000); return [r, performance.now() - t0];`, { s: sem.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to start waiting");
    await new Promise((r) => setTimeout(r, 100));
    sem.release();
    const [got, ms] = (await within(worker, "the worker woken by the release", 10_000)) as [boolean, number];
    expect(got).toBe(true);
    expect(ms).toBeLessThan(10_000);
    expect(sem.value).toBe(0);
  });
});

describe("async holds and tryLock here", () => {
  it("Mutex and Semaphore holdAsync: taken and released, or thrown at the limit naming the primitive", async () => {
    const mutex = Mutex.create(pool);
    const h = await mutex.holdAsync(100);
    expect(mutex.isLocked).toBe(true);
    expectError(await mutex.holdAsync(20).then(() => undefined, (e: unknown) => () => { throw e; }), "timed out after 20 ms waiting for the mutex");
    h[Symbol.dispose]();
    expect(mutex.isLocked).toBe(false);
    const sem = Semaphore.create(pool, 1);
    const s = await sem.holdAsync(100);
    expect(sem.value).toBe(0);
    expectError(await sem.holdAsync(20).then(() => undefined, (e: unknown) => () => { throw e; }), "timed out after 20 ms waiting for the semaphore");
    s.release();
    expect(sem.value).toBe(1);
  });

  it("RLock: tryLock re-enters here and fails while a worker holds it; lockAsync and holdAsync time out; hold succeeds once free", async () => {
    const lock = RLock.create(pool);
    expect(lock.tryLock()).toBe(true);
    expect(lock.tryLock()).toBe(true);
    expect(lock.depth).toBe(2);
    lock.unlock();
    lock.unlock();
    const flag = pool.alloc(Int32Array, 2);
    const worker = inThread(memory, `
      const l = new m.RLock(at(data.l, 3)); const f = at(data.f, 2); l.lock(); Atomics.store(f, 0, 1);
      Atomics.wait(f, 1, 0, 20000); l.unlock(); return "released";`, { l: lock.byteOffset, f: flag.byteOffset });
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the RLock");
    expect(lock.tryLock()).toBe(false);
    expect(await lock.lockAsync(40)).toBe(false);
    expectError(await lock.holdAsync(20).then(() => undefined, (e: unknown) => () => { throw e; }), "timed out after 20 ms waiting for the RLock");
    expect(() => lock.unlock()).toThrow(/^unlock\(\) of an RLock owned by \d+, not by this thread/);
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    expect(await worker).toBe("released");
    const h = lock.hold(1000);
    expect([lock.owner, lock.depth]).toEqual([lock.me, 1]);
    h.release();
    expect(lock.owner).toBe(0);
  });
});

describe("words", () => {
  it("each primitive refuses words that are not shared, naming itself", () => {
    const plain = new Int32Array(16);
    expect(() => new Mutex(plain)).toThrow(/^words must be an Int32Array of at least 1 words on shared memory .* for a mutex; got /);
    expect(() => new RLock(plain)).toThrow(/for a RLock; got /);
    expect(() => new Semaphore(plain)).toThrow(/for a semaphore; got /);
    expect(() => new Event(plain)).toThrow(/for a event; got /);
  });
});

describe("Semaphore under contention", () => {
  it("two workers and this thread taking and returning two permits: never three holders, and no permit lost or doubled", async () => {
    // two permits, so that releases race with each other as well as with takes
    const sem = Semaphore.create(pool, 2);
    const occ = pool.alloc(Int32Array, 4); // [holders now, times a holder found another, workers ready, go]
    // each worker spins for 400 ms from "go", so the two overlap however late each thread starts
    const body = `const s = new m.Semaphore(at(data.s, 3)); const o = at(data.o, 4);
      Atomics.add(o, 2, 1); Atomics.wait(o, 3, 0, 20000);
      const end = performance.now() + 400; let n = 0;
      while (performance.now() < end) {
        for (let i = 0; i < 1000; i++, n++) {
          if (s.tryAcquire()) { if (Atomics.add(o, 0, 1) >= 2) Atomics.add(o, 1, 1); Atomics.sub(o, 0, 1); s.release(); }
        }
      }
      return n > 0 ? "done" : "idle";`;
    const workers = [0, 1].map(() => inThread(memory, body, { s: sem.byteOffset, o: occ.byteOffset }));
    await until(() => Atomics.load(occ, 2) === 2, "both workers, to start", 20_000);
    Atomics.store(occ, 3, 1);
    Atomics.notify(occ, 3);
    // this thread takes part too (and so runs the code under test here)
    for (let i = 0; i < 20_000; i++) {
      if (sem.tryAcquire()) { if (Atomics.add(occ, 0, 1) >= 2) Atomics.add(occ, 1, 1); Atomics.sub(occ, 0, 1); sem.release(); }
    }
    expect(await within(Promise.all(workers), "two workers taking and returning the permit", 60_000)).toEqual(["done", "done"]);
    expect(occ[1]).toBe(0);
    expect(sem.value).toBe(2);
  });
});
