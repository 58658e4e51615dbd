/**
 * Condition calls in the test's own thread (wait, waitAsync, waitFor, notify, notifyAll and the
 * argument checks), against worker threads that wait or notify: the other condition tests wait
 * and notify inside workers and kernels, where a mutation-testing run neither sees their coverage
 * nor activates its mutants (docs/testing.md). Every wait has a short limit of its own.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, SharedArena } from "../../dist/index.js";
import { Condition, Mutex, RLock } from "../../dist/sync-entry.js";
import { until, within } from "../helpers/deadline.js";
import { inThread } from "./in-thread.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => arena.alloc(t, n) };
const memory = arena.memory;

/** What `fn` throws (or "nothing thrown"). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return "nothing thrown";
}

function expectInvalid(e: unknown, parameter: string, message: RegExp): void {
  expect(e).toBeInstanceOf(InvalidArgumentError);
  expect((e as InvalidArgumentError).parameter).toBe(parameter);
  expect((e as Error).message).toMatch(message);
}

/** Worker body prefix: `c`, the condition, and `lk`, its lock, in scope. */
const cond = (c: Condition): string => `const c = new m.Condition(at(${c.byteOffset}, 4)); const lk = c.lock;`;
const nap = (ms: number): string => `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});`;

describe("Condition arguments", () => {
  it("create refuses a bad pool (naming the Condition) and a lock that is not a Mutex or RLock in the same memory", () => {
    const mutex = Mutex.create(pool);
    expectInvalid(thrown(() => Condition.create({} as never, mutex)), "pool",
      /^pool must be a Pool from createPool\(\) \(or anything with alloc\(Int32Array, n\) on shared memory\) to hold the Condition; got /);
    expectInvalid(thrown(() => Condition.create(pool, {} as never)), "lock", /^lock must be a Mutex or an RLock in the same memory; got /);
    const elsewhere = new Mutex(new Int32Array(new SharedArrayBuffer(64)));
    expectInvalid(thrown(() => Condition.create(pool, elsewhere)), "lock", /^lock must be a Mutex or an RLock in the same memory; got a Mutex/);
    const elsewhereR = new RLock(new Int32Array(new SharedArrayBuffer(64)));
    expectInvalid(thrown(() => Condition.create(pool, elsewhereR)), "lock", /^lock must be a Mutex or an RLock in the same memory; got a RLock/);
  });

  it("the words name their lock: another Condition over the same words finds a Mutex or an RLock at the same place", () => {
    const mutex = Mutex.create(pool);
    const overMutex = new Condition(Condition.create(pool, mutex).words);
    expect(overMutex.lock).toBeInstanceOf(Mutex);
    expect(overMutex.lock.byteOffset).toBe(mutex.byteOffset);
    const rlock = RLock.create(pool);
    const overRLock = new Condition(Condition.create(pool, rlock).words);
    expect(overRLock.lock).toBeInstanceOf(RLock);
    expect(overRLock.lock.byteOffset).toBe(rlock.byteOffset);
    expect(new Condition(Condition.create(pool).words).lock).toBeInstanceOf(RLock); // the default lock
  });

  it("the constructor refuses words that are not shared, or not a condition's", () => {
    expectInvalid(thrown(() => new Condition(new Int32Array(16))), "words", /^words must be an Int32Array of at least 4 words on shared memory \(e\.g\. pool\.alloc\(Int32Array, 4\)\) for a condition; got /);
    expectInvalid(thrown(() => new Condition(pool.alloc(Int32Array, 16))), "words", /^words must be the words of a condition made by Condition\.create; got a Int32Array of length 16/);
  });

  it("notify refuses an n that is not an integer of at least 0, before the lock check; notify(0) is allowed", () => {
    const c = Condition.create(pool, Mutex.create(pool));
    for (const bad of [-1, 1.5, NaN, "1"]) {
      expectInvalid(thrown(() => c.notify(bad as never)), "n", /^n must be an integer of at least 0; got /);
    }
    expect(c.lock.lock(100)).toBe(true);
    expect(thrown(() => c.notify(0))).toBe("nothing thrown");
    expect(thrown(() => c.notify(3))).toBe("nothing thrown");
    c.lock.unlock();
  });

  it("wait, notify and notifyAll without the lock throw, naming the call (a Mutex and an RLock condition)", async () => {
    for (const c of [Condition.create(pool, Mutex.create(pool)), Condition.create(pool, RLock.create(pool))]) {
      for (const [what, call] of [["wait", () => c.wait(0)], ["notify", () => c.notify()], ["notifyAll", () => c.notifyAll()], ["wait", () => c.waitFor(() => false, 50)]] as const) {
        const e = thrown(call);
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toBe(`${what}() on a condition whose lock this thread does not hold`);
      }
      const e = await c.waitAsync(0).then(() => "resolved", (x: unknown) => x);
      expect((e as Error).message).toBe("wait() on a condition whose lock this thread does not hold");
    }
  });

  it("an RLock held by another thread is not held by this one: notify throws", async () => {
    const c = Condition.create(pool, RLock.create(pool));
    const flag = pool.alloc(Int32Array, 2);
    const worker = inThread(memory, `${cond(c)} const f = at(${flag.byteOffset}, 2); lk.lock(); Atomics.store(f, 0, 1);
      Atomics.wait(f, 1, 0, 20000); lk.unlock(); return "released";`);
    await until(() => Atomics.load(flag, 0) === 1, "the worker, to take the RLock");
    expect((thrown(() => c.notify()) as Error).message).toBe("notify() on a condition whose lock this thread does not hold");
    expect((thrown(() => c.notifyAll()) as Error).message).toBe("notifyAll() on a condition whose lock this thread does not hold");
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    expect(await within(worker, "the worker holding the RLock")).toBe("released");
    c.lock.lock(100);
    c.notify(); // held now: no error
    c.lock.unlock();
  });
});

describe("Condition.wait blocking this thread", () => {
  /**
   * A worker that, after `ms`, takes the lock, bumps `state[0]`, notifies, keeps the lock 60 ms
   * (Python's order: notify, then release) and writes state[1] = 1 just before it unlocks.
   */
  const notifier = (c: Condition, state: Int32Array, ms = 100): Promise<unknown> => inThread(memory, `${cond(c)}
    const s = at(${state.byteOffset}, 2); ${nap(ms)} lk.lock(); Atomics.add(s, 0, 1); c.notify();
    ${nap(60)} Atomics.store(s, 1, 1); lk.unlock(); return "notified";`);

  it("over a Mutex: notified by a worker, it returns true, holding the mutex again only after the worker let it go", async () => {
    const c = Condition.create(pool, Mutex.create(pool));
    const state = pool.alloc(Int32Array, 2);
    const worker = notifier(c, state);
    expect(c.lock.lock(1000)).toBe(true);
    const t0 = performance.now();
    expect(c.wait(5000)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(4500);
    expect(Atomics.load(state, 0)).toBe(1);
    expect(Atomics.load(state, 1)).toBe(1); // the worker had let the mutex go
    expect((c.lock as Mutex).isLocked).toBe(true);
    expect(thrown(() => c.lock.unlock())).toBe("nothing thrown"); // it was this thread's to unlock
    expect(await within(worker, "the notifying worker")).toBe("notified");
  });

  it("over an RLock held twice: notified, it owns the RLock again with depth 2", async () => {
    const c = Condition.create(pool, RLock.create(pool));
    const lock = c.lock as RLock;
    const state = pool.alloc(Int32Array, 2);
    const worker = notifier(c, state);
    lock.lock(1000);
    lock.lock(1000);
    expect(c.wait(5000)).toBe(true);
    expect(Atomics.load(state, 1)).toBe(1);
    expect([lock.owner, lock.depth]).toEqual([lock.me, 2]);
    lock.unlock();
    lock.unlock();
    expect(lock.owner).toBe(0);
    expect(await within(worker, "the notifying worker")).toBe("notified");
  });

  it("returns false after its limit without a notify, holding the lock again", () => {
    const c = Condition.create(pool, Mutex.create(pool));
    c.lock.lock(100);
    const t0 = performance.now();
    expect(c.wait(40)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    expect((c.lock as Mutex).isLocked).toBe(true);
    c.lock.unlock();
  });

  it("waitFor returns the predicate's value at once when it holds, else its last value after the limit, else once a worker makes it true", async () => {
    const c = Condition.create(pool, RLock.create(pool));
    const state = pool.alloc(Int32Array, 2);
    c.lock.lock(100);
    let t0 = performance.now();
    expect(c.waitFor(() => "ready", 2000)).toBe("ready");
    expect(performance.now() - t0).toBeLessThan(1000);
    t0 = performance.now();
    expect(c.waitFor(() => 0, 40)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    const worker = notifier(c, state, 50);
    let calls = 0;
    expect(c.waitFor(() => (calls++, Atomics.load(state, 0) * 7), 5000)).toBe(7);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(Atomics.load(state, 1)).toBe(1);
    c.lock.unlock();
    expect(await within(worker, "the notifying worker")).toBe("notified");
  });

  it("ping-pong with a worker, 200 turns each, the notifier still holding the lock at each wake-up: no turn lost or doubled", async () => {
    const c = Condition.create(pool, Mutex.create(pool));
    const s = pool.alloc(Int32Array, 3); // [turn, turns taken, a holder found another holder]
    const turns = 200;
    const body = `
      const end = performance.now() + 8000;
      for (let i = 0; i < ${turns}; i++) {
        while (Atomics.load(s, 0) !== 1) { c.wait(300); if (performance.now() > end) return "timed out"; }
        if (Atomics.add(s, 1, 1) % 2 !== 1) Atomics.add(s, 2, 1);
        Atomics.store(s, 0, 0); c.notify();
      }
      return "done";`;
    const worker = inThread(memory, `${cond(c)} const s = at(${s.byteOffset}, 3); lk.lock(); const r = (() => { ${body} })(); lk.unlock(); return r;`);
    // this thread: body(0), in TypeScript
    const mine = (): string => {
      const end = performance.now() + 8000; // a lost wake-up costs each turn a whole 300 ms wait
      for (let i = 0; i < turns; i++) {
        while (Atomics.load(s, 0) !== 0) { c.wait(300); if (performance.now() > end) return "timed out"; }
        if (Atomics.add(s, 1, 1) % 2 !== 0) Atomics.add(s, 2, 1);
        Atomics.store(s, 0, 1);
        c.notify();
      }
      return "done";
    };
    c.lock.lock(5000);
    const result = mine();
    c.lock.unlock();
    expect(result).toBe("done");
    expect(await within(worker, "the worker's turns", 20_000)).toBe("done");
    expect([Atomics.load(s, 1), Atomics.load(s, 2)]).toEqual([2 * turns, 0]);
  });
});

describe("Condition.waitAsync in this thread", () => {
  it("notified by a worker, resolves true holding the mutex, only after the worker let it go; false after its limit", async () => {
    const c = Condition.create(pool, Mutex.create(pool));
    const state = pool.alloc(Int32Array, 2);
    const worker = inThread(memory, `${cond(c)}
      const s = at(${state.byteOffset}, 2); ${nap(80)} lk.lock(); Atomics.add(s, 0, 1); c.notify();
      ${nap(60)} Atomics.store(s, 1, 1); lk.unlock(); return "notified";`);
    expect(await c.lock.lockAsync(1000)).toBe(true);
    expect(await within(c.waitAsync(5000), "the async waiter")).toBe(true);
    expect(Atomics.load(state, 1)).toBe(1);
    expect((c.lock as Mutex).isLocked).toBe(true);
    expect(await c.waitAsync(30)).toBe(false);
    expect((c.lock as Mutex).isLocked).toBe(true);
    expect(thrown(() => c.lock.unlock())).toBe("nothing thrown");
    expect(await within(worker, "the notifying worker")).toBe("notified");
  });

  it("waitForAsync returns a true predicate's value at once, and the last value after the limit", async () => {
    const c = Condition.create(pool);
    await c.lock.lockAsync(100);
    let t0 = performance.now();
    expect(await within(c.waitForAsync(() => 42, 2000), "waitForAsync with a true predicate")).toBe(42);
    expect(performance.now() - t0).toBeLessThan(1000);
    t0 = performance.now();
    expect(await c.waitForAsync(() => "", 30)).toBe("");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
    c.lock.unlock();
  });
});

describe("wake-ups sent from this thread", () => {
  /** A worker that waits (lock, wait with a 20 s limit, unlock); state[0] = 1 once it is about to wait. */
  const sleeper = (c: Condition, state: Int32Array): Promise<unknown> => inThread(memory, `${cond(c)}
    const s = at(${state.byteOffset}, 1); lk.lock(); Atomics.add(s, 0, 1);
    const t0 = performance.now(); const r = c.wait(20000); const ms = performance.now() - t0; lk.unlock(); return [r, ms];`);

  it("notify() here wakes a worker asleep with a 20 s limit within seconds", async () => {
    const c = Condition.create(pool, Mutex.create(pool));
    const state = pool.alloc(Int32Array, 1);
    const worker = sleeper(c, state);
    await until(() => Atomics.load(state, 0) === 1, "the worker, to start waiting");
    await new Promise((r) => setTimeout(r, 100)); // past its polling, asleep
    expect(c.lock.lock(2000)).toBe(true); // the waiter let it go
    c.notify();
    c.lock.unlock();
    const [woken, ms] = (await within(worker, "the worker woken by notify", 10_000)) as [boolean, number];
    expect(woken).toBe(true);
    expect(ms).toBeLessThan(10_000);
  });

  it("notifyAll() here wakes two workers asleep with 20 s limits within seconds (an RLock condition)", async () => {
    const c = Condition.create(pool, RLock.create(pool));
    const state = pool.alloc(Int32Array, 1);
    const workers = [sleeper(c, state), sleeper(c, state)];
    await until(() => Atomics.load(state, 0) === 2, "both workers, to start waiting");
    await new Promise((r) => setTimeout(r, 100));
    expect(c.lock.lock(2000)).toBe(true);
    c.notifyAll();
    c.lock.unlock();
    const results = (await within(Promise.all(workers), "two workers woken by notifyAll", 10_000)) as [boolean, number][];
    for (const [woken, ms] of results) {
      expect(woken).toBe(true);
      expect(ms).toBeLessThan(10_000);
    }
  });
});
