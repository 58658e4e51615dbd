/**
 * Barrier calls in the test's own thread (blocking wait, waitAsync, abort, reset, the action),
 * against worker threads that arrive, time out or abort: the other barrier tests wait inside
 * workers, where a mutation-testing run neither sees their coverage nor activates its mutants
 * (docs/testing.md). Every wait has a short limit of its own, so a lost wake-up fails fast.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, SharedArena } from "../../dist/index.js";
import { Barrier, BARRIER_WORDS, BrokenBarrierError } from "../../dist/sync-entry.js";
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

/** What `p` rejects with (or "resolved: value"). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then((v) => `resolved: ${String(v)}`, (e: unknown) => e);
}

function expectBroken(e: unknown, reason: "timed-out" | "aborted" | "reset"): void {
  expect(e).toBeInstanceOf(BrokenBarrierError);
  expect((e as BrokenBarrierError).reason).toBe(reason);
  expect((e as Error).message).toBe(`the barrier is broken (${reason})`);
}

/** Busy-waits (this thread cannot yield inside an action) until `cond()` or `ms` passes. */
function spinUntil(cond: () => boolean, ms: number): boolean {
  const end = performance.now() + ms;
  while (!cond()) if (performance.now() > end) return false;
  return true;
}

/** A worker's barrier wait: `new m.Barrier(at(offset))` then `body` with `b` in scope. */
const party = (barrier: Barrier, body: string): Promise<unknown> =>
  inThread(memory, `const b = new m.Barrier(at(data.b, ${BARRIER_WORDS})); ${body}`, { b: barrier.byteOffset });

describe("Barrier arguments", () => {
  it("create, the constructor and init refuse bad arguments with an InvalidArgumentError naming them", () => {
    const noPool = thrown(() => Barrier.create({} as never, 2));
    expect(noPool).toBeInstanceOf(InvalidArgumentError);
    expect((noPool as InvalidArgumentError).parameter).toBe("pool");
    expect((noPool as Error).message).toMatch(/^pool must be a Pool from createPool\(\) \(or anything with alloc\(Int32Array, n\) on shared memory\) to hold the Barrier; got /);

    const notShared = thrown(() => new Barrier(new Int32Array(BARRIER_WORDS)));
    expect(notShared).toBeInstanceOf(InvalidArgumentError);
    expect((notShared as Error).message).toMatch(/^words must be an Int32Array of at least 16 words on shared memory \(e\.g\. pool\.alloc\(Int32Array, 16\)\) for a barrier; got /);

    const words = pool.alloc(Int32Array, BARRIER_WORDS);
    const badAction = thrown(() => new Barrier(words, { action: 5 as never }));
    expect(badAction).toBeInstanceOf(InvalidArgumentError);
    expect((badAction as InvalidArgumentError).parameter).toBe("action");
    expect((badAction as InvalidArgumentError).allowed).toBe("a function");
    expect((badAction as Error).message).toBe("action must be a function; got 5");
    expect(new Barrier(words, { action: undefined }).action).toBe(undefined);

    const b = new Barrier(words);
    for (const bad of [0, 1.5, 65536, -1, NaN]) {
      const e = thrown(() => b.init(bad));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as Error).message).toMatch(/^parties must be an integer from 1 to 65535; got /);
    }
    expect(b.init(65535).parties).toBe(65535); // the largest count the 16-bit arrival field holds
    expect(b.init(1).parties).toBe(1);
  });

  it("create makes an intact barrier with no party waiting", () => {
    const b = Barrier.create(pool, 3);
    expect([b.parties, b.nWaiting, b.generation, b.broken]).toEqual([3, 0, 0, false]);
  });
});

describe("Barrier state seen from this thread", () => {
  it("nWaiting counts the parties arrived in the round, and is 0 once the barrier is broken", async () => {
    const b = Barrier.create(pool, 3);
    const first = b.waitAsync(5000); // each arrives at once (its first step runs in the call)
    expect(b.nWaiting).toBe(1);
    const second = b.waitAsync(5000);
    expect(b.nWaiting).toBe(2);
    b.abort(); // both are still counted in the round until their continuations run and leave
    expect(b.broken).toBe(true);
    expect(b.nWaiting).toBe(0);
    expectBroken(await within(rejection(first), "the first async party of an aborted barrier"), "aborted");
    expectBroken(await within(rejection(second), "the second async party of an aborted barrier"), "aborted");
  });

  it("abort keeps the reason of a barrier already broken by a timeout", async () => {
    const b = Barrier.create(pool, 2);
    const t0 = performance.now();
    expectBroken(await rejection(b.waitAsync(20)), "timed-out");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    b.abort();
    expectBroken(await rejection(b.waitAsync(1000)), "timed-out");
    expectBroken(thrown(() => b.wait(1000)), "timed-out");
    b.init(2);
    expect(b.broken).toBe(false);
  });

  it("a one-party barrier releases at once while intact, and throws at once once aborted, until reset", async () => {
    const b = Barrier.create(pool, 1);
    expect(b.wait(0)).toBe(0);
    expect(await b.waitAsync(0)).toBe(0);
    expect(b.generation).toBe(2);
    b.abort();
    expectBroken(thrown(() => b.wait(0)), "aborted");
    expectBroken(await rejection(b.waitAsync(0)), "aborted");
    expect(b.generation).toBe(2); // no round released while broken
    b.reset(); // nobody waits: intact again at once
    expect(b.broken).toBe(false);
    expect(b.wait(0)).toBe(0);
    expect(b.generation).toBe(3);
  });
});

describe("Barrier.reset from this thread", () => {
  it("breaks a waiting party (\"reset\") and is intact again once it has left, for a full round", async () => {
    const b = Barrier.create(pool, 2);
    const waiting = b.waitAsync(3000);
    expect(b.nWaiting).toBe(1);
    b.reset(); // the party is still counted: the reset waits for it to leave
    expect(b.broken).toBe(false); // resetting is not broken...
    expect(b.nWaiting).toBe(0); // ...nor intact
    const t0 = performance.now();
    expectBroken(await within(rejection(waiting), "the async party broken by the reset"), "reset");
    expect(performance.now() - t0).toBeLessThan(2500); // broken by the reset, not by its own limit
    expect([b.broken, b.nWaiting, b.generation]).toEqual([false, 0, 0]);
    const worker = party(b, "return b.wait(5000);");
    const index = await within(b.waitAsync(5000), "this thread's party after the reset");
    expect([index, await within(worker, "the worker's party after the reset")].sort()).toEqual([0, 1]);
    expect(b.generation).toBe(1);
  });
});

describe("Barrier.wait blocking this thread", () => {
  it("waits for a worker that arrives later: this thread gets index 0, the worker 1, one round", async () => {
    const b = Barrier.create(pool, 2);
    const worker = party(b, `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120); return b.wait(5000);`);
    const t0 = performance.now();
    expect(b.wait(5000)).toBe(0);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThan(50); // it did wait for the worker
    expect(waited).toBeLessThan(4500); // released by the worker, not by its own limit
    expect(await within(worker, "the worker, the last party")).toBe(1);
    expect([b.generation, b.nWaiting, b.broken]).toEqual([1, 0, false]);
  });

  it("times out when no other party comes, breaking the barrier (\"timed-out\")", () => {
    const b = Barrier.create(pool, 2);
    const t0 = performance.now();
    expectBroken(thrown(() => b.wait(40)), "timed-out");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    expect(b.broken).toBe(true);
    expect(b.nWaiting).toBe(0);
  });

  it("is broken by a worker's abort (\"aborted\") long before its limit", async () => {
    const b = Barrier.create(pool, 3);
    const worker = party(b, `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120); b.abort(); return "aborted";`);
    const t0 = performance.now();
    expectBroken(thrown(() => b.wait(8000)), "aborted");
    expect(performance.now() - t0).toBeLessThan(7000);
    expect(await within(worker, "the aborting worker")).toBe("aborted");
  });
});

describe("Barrier action run by this thread", () => {
  it("a wait during the action (the round full) neither joins the round nor breaks it; waitAsync there joins the next round", async () => {
    let during: { blocking: unknown; broken: boolean; nWaiting: number } | undefined;
    let next: Promise<number> | undefined;
    const b = Barrier.create(pool, 2, {
      action: () => {
        if (next) return; // the next round's action, if this thread's waitAsync arrives last there
        during = { blocking: thrown(() => b.wait(15)), broken: b.broken, nWaiting: b.nWaiting };
        next = b.waitAsync(5000);
      },
    });
    const worker = party(b, "return [b.wait(5000), b.wait(5000)];");
    await until(() => b.nWaiting === 1, "the worker, to arrive in round 1");
    expect(b.wait(5000)).toBe(1); // the last party of round 1
    expectBroken(during?.blocking, "timed-out"); // a party that never arrived times out...
    expect(during?.broken).toBe(false); // ...leaving the barrier intact
    expect(during?.nWaiting).toBe(2);
    const mine = await within(next!, "this thread's party of round 2");
    const [w1, w2] = (await within(worker, "the worker's two rounds")) as number[];
    expect(w1).toBe(0);
    expect([mine, w2].sort()).toEqual([0, 1]);
    expect([b.generation, b.broken]).toEqual([2, false]);
  });

  it("a wait during the action, after another party's timeout broke the round, throws \"timed-out\" at once", async () => {
    let inner: unknown;
    const b = Barrier.create(pool, 2, {
      action: () => {
        if (inner !== undefined) return;
        inner = "the worker's timeout not seen within 3 s";
        if (spinUntil(() => b.broken, 3000)) inner = thrown(() => b.wait(1000));
      },
    });
    const worker = party(b, "return b.wait(40);");
    await until(() => b.nWaiting === 1, "the worker, to arrive");
    expectBroken(thrown(() => b.wait(5000)), "timed-out"); // the round broke before its release
    expectBroken(inner, "timed-out");
    expect(await within(worker, "the worker whose wait timed out")).toEqual({ error: "the barrier is broken (timed-out)" });
    expect(b.nWaiting).toBe(0);
  });

  it("an action that throws: that party throws the action's error, the barrier is aborted, and reset makes it usable again", () => {
    const boom = new Error("boom");
    let calls = 0;
    const b = Barrier.create(pool, 1, { action: () => { if (calls++ === 0) throw boom; } });
    expect(thrown(() => b.wait(0))).toBe(boom);
    expect(b.broken).toBe(true);
    expectBroken(thrown(() => b.wait(0)), "aborted");
    b.reset(); // the throwing party has left the round, so the reset settles at once
    expect(b.broken).toBe(false);
    expect(b.wait(0)).toBe(0);
    expect(calls).toBe(2);
    expect(b.generation).toBe(1);
  });

  it("an action that throws in waitAsync rejects with its error and breaks the other parties (\"aborted\")", async () => {
    const boom = new Error("boom");
    const b = Barrier.create(pool, 2, { action: () => { throw boom; } });
    const worker = party(b, "return b.wait(5000);");
    await until(() => b.nWaiting === 1, "the worker, to arrive");
    expect(await rejection(b.waitAsync(5000))).toBe(boom);
    expect(await within(worker, "the worker of the aborted round")).toEqual({ error: "the barrier is broken (aborted)" });
    expect(b.broken).toBe(true);
  });
});
