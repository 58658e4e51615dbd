/**
 * The wait drivers of src/sync/wait.ts in the test's own thread: sleepAsyncOn (the pool's start-up
 * wait), drive's Atomics.waitAsync sleep and the timer that keeps Node alive while it lasts, the
 * polling fallback for engines without Atomics.waitAsync (reached honestly: Atomics.waitAsync is
 * deleted from this thread for the test and put back after), allocWords' refusals (a
 * non-allocator, a real Cluster on a real redis-server), and the RLock owner id (src/sync/owner.ts).
 * Other tests reach these only from worker threads or child processes, which a mutation-testing
 * run does not see (docs/testing.md).
 */
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedArena, createCluster, type Cluster } from "../../dist/index.js";
import { Barrier, Condition, Event, Mutex, Queue, RLock, Semaphore, Value, ownerId } from "../../dist/sync-entry.js";
import { setOwnerId } from "../../dist/sync/owner.js";
import { block, deadlineOf, drive, remaining, sleepAsyncOn, sleepOn, type WaitLoop, type WaitResult } from "../../dist/sync/wait.js";
import { startRedis, type RedisServer } from "../cluster/helpers.js";
import { within } from "../helpers/deadline.js";
import { expectInvalid } from "../helpers/thrown.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => arena.alloc(t, n) };
const word = (): Int32Array => pool.alloc(Int32Array, 1);
const later = (ms: number, fn: () => void): void => void setTimeout(fn, ms);
/** Stores `value` and wakes the word's sleepers (as a primitive's release does). */
const storeAndWake = (w: Int32Array, value: number): void => {
  Atomics.store(w, 0, value);
  Atomics.notify(w, 0);
};
/** The ref'd timers of this thread (what keeps Node's event loop alive). */
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/**
 * A wait loop as the primitives write them: until words[0] leaves 0 or the time is up, sleeping
 * for what is left; notes each sleep's limit and how it ended.
 */
function* untilChanged(w: Int32Array, timeoutMs: number, sleeps: Array<[number, WaitResult]>): WaitLoop<string> {
  const deadline = deadlineOf(timeoutMs);
  for (;;) {
    if (Atomics.load(w, 0) !== 0) return "changed";
    const left = remaining(deadline);
    if (left === 0) return "out of time";
    const result = yield sleepOn(w, 0, 0, left);
    sleeps.push([left, result]);
    if (result === "timed-out") return "timed-out";
  }
}

describe("sleepAsyncOn and drive with Atomics.waitAsync", () => {
  it("sleepAsyncOn sleeps while the word holds the value: until its limit, or until a store and notify", async () => {
    const w = word();
    let t0 = performance.now();
    await within(sleepAsyncOn(w, 0, 0, 60), "sleepAsyncOn(60 ms) on a word nobody touches");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50); // the whole limit (less a loaded host's timer slop): no early return
    t0 = performance.now();
    later(40, () => storeAndWake(w, 1));
    await within(sleepAsyncOn(w, 0, 0, 20_000), "sleepAsyncOn, until the store 40 ms later");
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(10_000); // woken by the notify, not by its limit
    t0 = performance.now();
    await within(sleepAsyncOn(w, 0, 0, 20_000), "sleepAsyncOn on a word that no longer holds the value"); // 1 ≠ 0: returns at once
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it("a timed sleep holds one ref'd timer (Node stays alive) and clears it when woken early", async () => {
    const w = word();
    const before = timers();
    const sleeping = sleepAsyncOn(w, 0, 0, 20_000);
    expect(timers()).toBe(before + 1);
    storeAndWake(w, 1);
    await within(sleeping, "sleepAsyncOn(20 s), woken at once");
    expect(timers()).toBe(before); // not left behind for 20 s
  });

  it("a sleep without a limit holds no timer and raises no TimeoutOverflowWarning", async () => {
    const w = word();
    const warnings: string[] = [];
    const onWarning = (e: Error): void => void warnings.push(e.name);
    process.on("warning", onWarning);
    try {
      const before = timers();
      const sleeping = sleepAsyncOn(w, 0, 0);
      expect(timers()).toBe(before);
      await new Promise((resolve) => setTimeout(resolve, 30));
      storeAndWake(w, 1);
      await within(sleeping, "sleepAsyncOn(Infinity), woken after 30 ms");
      await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on a later tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it("drive hands the loop each sleep's result: not-equal at once, timed-out at the limit, ok when woken", async () => {
    const w = word();
    const one = (value: number, ms: number): WaitLoop<WaitResult> => (function* () { return yield sleepOn(w, 0, value, ms); })();
    expect(await within(drive(one(7, 20_000)), "drive: a sleep on a value the word does not hold")).toBe("not-equal");
    expect(await within(drive(one(0, 20)), "drive: a sleep of 20 ms")).toBe("timed-out");
    later(20, () => storeAndWake(w, 2));
    expect(await within(drive(one(0, 20_000)), "drive: a sleep woken after 20 ms")).toBe("ok");
    // block: the same loops in this thread with Atomics.wait
    expect(block(one(7, 20_000))).toBe("not-equal");
    expect(block(one(2, 20))).toBe("timed-out");
  });
});

/** Runs `fn` in this thread as an engine without Atomics.waitAsync would (some Firefox and Safari versions). */
async function withoutWaitAsync<T>(fn: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(Atomics, "waitAsync");
  expect(typeof saved?.value).toBe("function");
  delete (Atomics as { waitAsync?: unknown }).waitAsync;
  try {
    return await fn();
  } finally {
    Object.defineProperty(Atomics, "waitAsync", saved!);
  }
}

describe("drive without Atomics.waitAsync: the polling fallback", () => {
  it("polls with timers of 0, 1, 2, 4, 8 then 16 ms: each sleep is ok, or timed-out once its slice covers the time left", async () => {
    const sleeps: Array<[number, WaitResult]> = [];
    const t0 = performance.now();
    const out = await withoutWaitAsync(() => within(drive(untilChanged(word(), 60, sleeps)), "a polled wait of 60 ms"));
    // Node times a timer from its event loop's cached clock, which a loaded host can leave a few ms stale
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50);
    expect(out === "timed-out" || out === "out of time").toBe(true); // a timer late past the deadline ends it as "out of time"
    // the documented schedule, written here: slice i is 0, then 2^(i-1) ms, at most 16
    const slice = (i: number): number => (i === 0 ? 0 : Math.min(2 ** (i - 1), 16));
    sleeps.forEach(([left, result], i) => expect(result, `sleep ${i} with ${left} ms left`).toBe(left <= slice(i) ? "timed-out" : "ok"));
    expect(sleeps.length).toBeGreaterThanOrEqual(3);
    // 60 ms hold at most 8 slices of this schedule (0+1+2+4+8+16+16 = 47 < 60 ≤ 63): a 9th sleep
    // means the timers were shorter than documented
    expect(sleeps.length).toBeLessThanOrEqual(9);
    expect(sleeps[0]![1]).toBe("ok"); // the first poll (0 ms) never ends a 60 ms wait
  });

  it("the schedule exactly, whatever the timers' lateness: a sleep of limit L at poll i times out iff L ≤ its slice", async () => {
    // slice i as documented (0, 1, 2, 4, 8, then 16): a sleep whose limit equals its slice
    // ends "timed-out", one half a millisecond longer ends "ok" (a spurious wake-up)
    const slices = [0, 1, 2, 4, 8, 16, 16, 16];
    const run = (extra: number): Promise<WaitResult[]> => {
      const w = word();
      const loop = (function* (): WaitLoop<WaitResult[]> {
        const results: WaitResult[] = [];
        for (const slice of slices) results.push(yield sleepOn(w, 0, 0, slice + extra));
        return results;
      })();
      return within(drive(loop), `8 polled sleeps of their slice + ${extra} ms`);
    };
    expect(await withoutWaitAsync(() => run(0))).toEqual(slices.map(() => "timed-out"));
    expect(await withoutWaitAsync(() => run(0.5))).toEqual(slices.map(() => "ok"));
  });

  it("a last slice during which the word changed ends ok, not timed-out", async () => {
    const w = word();
    const loop = (function* (): WaitLoop<WaitResult[]> {
      const results: WaitResult[] = [];
      for (const slice of [0, 1, 2, 4, 8]) results.push(yield sleepOn(w, 0, 0, slice + 0.5)); // polls 0-4: "ok"
      later(4, () => Atomics.store(w, 0, 1)); // during poll 5's timer of 16 ms (both timers set now: 4 < 16 fires first)
      results.push(yield sleepOn(w, 0, 0, 16)); // its slice covers the limit, but the word no longer holds 0
      return results;
    })();
    expect(await withoutWaitAsync(() => within(drive(loop), "6 polled sleeps, the word stored during the last"))).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
  });

  it("returns not-equal at once when the word no longer holds the value", async () => {
    const w = word();
    Atomics.store(w, 0, 5);
    const sleeps: Array<[number, WaitResult]> = [];
    const one = (function* () { sleeps.push([20_000, yield sleepOn(w, 0, 0, 20_000)]); return "done"; })();
    expect(await withoutWaitAsync(() => within(drive(one), "a polled sleep on a changed word"))).toBe("done");
    expect(sleeps).toEqual([[20_000, "not-equal"]]);
  });

  it("sees a store made during a long wait within a few slices (the 16 ms cap), not at its limit", async () => {
    const w = word();
    const sleeps: Array<[number, WaitResult]> = [];
    let storedAt = 0;
    later(150, () => { storedAt = performance.now(); Atomics.store(w, 0, 1); }); // no notify: polling must find it
    const out = await withoutWaitAsync(() => within(drive(untilChanged(w, 20_000, sleeps)), "a polled wait for a store at 150 ms"));
    expect(out).toBe("changed");
    expect(storedAt).toBeGreaterThan(0);
    expect(performance.now() - storedAt).toBeLessThan(120); // a slice of 16 ms, with room for a loaded host
    expect(sleeps.every(([, result]) => result === "ok")).toBe(true);
  });

  it("the primitives' async waits work on it: Event.waitAsync times out, and is woken by a set", async () => {
    const e = Event.create(pool);
    await withoutWaitAsync(async () => {
      expect(typeof (Atomics as { waitAsync?: unknown }).waitAsync).toBe("undefined");
      const t0 = performance.now();
      expect(await within(e.waitAsync(30), "Event.waitAsync(30) polled")).toBe(false);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(20); // timer slop, as above
      later(30, () => e.set());
      expect(await within(e.waitAsync(20_000), "Event.waitAsync polled, set after 30 ms")).toBe(true);
      const m = Mutex.create(pool);
      m.lock();
      later(30, () => m.unlock());
      expect(await within(m.lockAsync(20_000), "Mutex.lockAsync polled, unlocked after 30 ms")).toBe(true);
    });
    expect(typeof Atomics.waitAsync).toBe("function"); // put back
  });
});

describe("allocWords: where a primitive's words come from", () => {
  const allowed = (what: string): string => `a Pool from createPool() (or anything with alloc(Int32Array, n) on shared memory) to hold the ${what}`;

  it("refuses what cannot allocate, naming pool and the primitive", () => {
    const makers: Array<[string, (p: never) => unknown]> = [
      ["Mutex", (p) => Mutex.create(p)], ["RLock", (p) => RLock.create(p)], ["Semaphore", (p) => Semaphore.create(p, 1)],
      ["Barrier", (p) => Barrier.create(p, 2)], ["Queue", (p) => Queue.create(p, 4)],
      ["Value", (p) => Value.create(p, "f64")], ["Condition", (p) => Condition.create(p)],
    ];
    const bad: Array<[unknown, string]> = [
      [undefined, "undefined"], [null, "null"], [42, "42"], [{}, "{}"], [{ alloc: 1 }, '{"alloc":1}'],
      [Object.assign(() => {}, { alloc: () => new Int32Array(new SharedArrayBuffer(64)) }), "a function"],
    ];
    for (const [what, make] of makers) {
      for (const [pool, shown] of bad) expectInvalid(() => make(pool as never), "pool", `pool must be ${allowed(what)}; got ${shown}`);
    }
  });

  describe("a Cluster (a real one, on a real redis-server)", () => {
    let redis: RedisServer | undefined;
    let cluster: Cluster | undefined;
    beforeAll(async () => {
      redis = await startRedis();
      cluster = await createCluster({ connection: redis.url, redisTimeoutMs: 3000 });
    }, 30_000);
    afterAll(async () => {
      await cluster?.close();
      await redis?.stop();
    });

    it("is refused: its alloc hands out the coordinator's memory, which the other machines never see", () => {
      const view = cluster!.alloc(Int32Array, 4); // it can allocate …
      expect(view).toBeInstanceOf(Int32Array);
      cluster!.free(view);
      for (const [what, make] of [["Mutex", () => Mutex.create(cluster!)], ["Event", () => Event.create(cluster!)], ["Value", () => Value.create(cluster!, "i32")]] as const) {
        expectInvalid(make, "pool", `pool must be a Pool from createPool(): a ${what} lives in one machine's shared memory, which a Cluster's other machines cannot see; got a Cluster`);
      }
    });
  });
});

describe("ownerId: the id an RLock records for this thread", () => {
  it("in Node: this thread's threadId + 1, the same on every call", () => {
    expect(ownerId()).toBe(threadId + 1);
    expect(ownerId()).toBe(threadId + 1);
    const lock = RLock.create(pool);
    lock.lock();
    expect(lock.owner).toBe(threadId + 1);
    lock.unlock();
  });

  it("where no platform set one: a random positive id of at most 30 bits, drawn once", () => {
    const ids = new Set<number>();
    try {
      for (let i = 0; i < 20; i++) {
        setOwnerId(0); // as in a thread where nothing set it
        const id = ownerId();
        expect(Number.isInteger(id)).toBe(true);
        expect(id).toBeGreaterThanOrEqual(1);
        expect(id).toBeLessThanOrEqual(2 ** 30);
        expect(ownerId()).toBe(id); // kept
        ids.add(id);
      }
    } finally {
      setOwnerId(threadId + 1);
    }
    expect(ids.size).toBeGreaterThan(1); // drawn, not a constant
    expect(ownerId()).toBe(threadId + 1);
  });
});
