/**
 * Mutex (src/sync/mutex.ts, assembly/sync.ts) from the main thread, JS worker threads and
 * kernels; the lost-update hazard and its two fixes; dining philosophers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_DEMOS, within } from "./fixture.js";
import { createPool, type Pool } from "../../dist/index.js";
import { Mutex, MUTEX_WORDS } from "../../dist/sync-entry.js";
import { runJsWorker } from "./js-workers.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

const counter = (): Int32Array => pool.alloc(Int32Array, 16);
const pending = async (p: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => false, () => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

describe("Mutex", () => {
  it("is taken once by tryLock and freed by unlock", () => {
    const m = Mutex.create(pool);
    expect(m.tryLock()).toBe(true);
    expect(m.tryLock()).toBe(false);
    expect(m.isLocked).toBe(true);
    m.unlock();
    expect(m.isLocked).toBe(false);
    expect(m.tryLock()).toBe(true);
    m.unlock();
  });

  it("refuses to unlock a mutex that is not locked", () => {
    const m = Mutex.create(pool);
    expect(() => m.unlock()).toThrow("unlock() of a mutex that is not locked");
    expect(m.tryLock()).toBe(true); // still usable
    m.unlock();
  });

  it("gives up after the timeout while another holds it", async () => {
    const m = Mutex.create(pool);
    m.tryLock();
    const started = performance.now();
    expect(m.lock(30)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(await m.lockAsync(30)).toBe(false);
    expect(m.tryLock()).toBe(false);
    m.unlock();
    expect(await m.lockAsync(30)).toBe(true);
    m.unlock();
  });

  it("rejects a bad timeout or words", () => {
    const m = Mutex.create(pool);
    expect(() => m.lock(-1)).toThrow(/^timeoutMs must be a number of milliseconds, 0 or more/);
    expect(() => new Mutex(new Int32Array(4))).toThrow(/^words must be an Int32Array of at least 1 words on shared memory/);
  });

  it("makes a kernel wait while the main thread holds it", async () => {
    const m = Mutex.create(pool);
    const c = counter();
    m.tryLock();
    const kernel = pool.apply("syncDemoLockedIncrements", [c, m, 1000, 0]);
    expect(await pending(kernel, 100)).toBe(true);
    expect(c[0]).toBe(0);
    m.unlock();
    await within(kernel, 10_000, "a kernel taking the mutex the main thread let go");
    expect(c[0]).toBe(1000);
  });

  it("is shared by kernels, JS worker threads and the main thread without losing an increment", async () => {
    const m = Mutex.create(pool);
    const c = counter();
    const kernels = [0, 1].map(() => pool.apply("syncDemoLockedIncrements", [c, m, 20_000, 2]));
    const threads = [0, 1].map(() => runJsWorker(pool.memory, "lockedIncrements", { mutex: m.byteOffset, counter: c.byteOffset, iterations: 20_000 }));
    for (let i = 0; i < 300; i++) {
      await m.lockAsync();
      c[0] = c[0]! + 1;
      m.unlock();
    }
    await within(Promise.all([...kernels, ...threads]), 30_000, "2 kernels and 2 JS threads incrementing under the mutex");
    expect(c[0]).toBe(4 * 20_000 + 300);
    expect(m.isLocked).toBe(false);
  });
});

describe("the lost-update hazard", () => {
  it("unsynchronized read-modify-writes on 2 workers lose updates", async () => {
    // a lost update needs the two kernels to overlap; on a loaded machine they might not, so
    // try a few times, longer each time, and require a loss in at least one attempt
    const c = counter();
    let lost = 0;
    for (let attempt = 0, n = 1_000_000; attempt < 6 && lost === 0; attempt++, n *= 2) {
      c[0] = 0;
      await Promise.all([0, 1].map(() => pool.apply("syncDemoRacyIncrements", [c, n, 4])));
      lost = 2 * n - c[0]!;
    }
    expect(lost).toBeGreaterThan(0);
  });

  it("atomic increments on 3 workers lose none", async () => {
    const c = counter();
    await Promise.all([0, 1, 2].map(() => pool.apply("syncDemoAtomicIncrements", [c, 1_000_000])));
    expect(c[0]).toBe(3_000_000);
  });

  it("the same read-modify-writes under a mutex on 3 workers lose none", async () => {
    const c = counter();
    const m = Mutex.create(pool);
    await within(Promise.all([0, 1, 2].map(() => pool.apply("syncDemoLockedIncrements", [c, m, 100_000, 4]))), 30_000, "3 kernels incrementing under the mutex");
    expect(c[0]).toBe(300_000);
  });
});

describe("dining philosophers", () => {
  it("with ordered fork acquisition, five philosophers eat every meal, never sharing a fork", async () => {
    const seats = 5;
    const meals = 3000;
    const table = await createPool({ workers: seats, module: SYNC_DEMOS });
    try {
      const forks = table.alloc(Int32Array, seats * MUTEX_WORDS); // fork f: the mutex at byte 64·f
      const holders = table.alloc(Int32Array, seats);
      // −1 would be a fork wait that timed out (10 s): a deadlock shows as a failure, not a hang
      const eaten = await Promise.all(Array.from({ length: seats }, (_, id) =>
        table.apply("syncDemoPhilosopher", [id, seats, forks, holders, meals, 10_000])));
      expect(eaten).toEqual(new Array(seats).fill(meals));
      expect(Array.from(holders)).toEqual(new Array(seats).fill(0));
    } finally {
      await table.close();
    }
  });
});
