/**
 * Kernels that block on a mutex, a semaphore or a barrier (assembly/sync.ts, assembly/barrier.ts)
 * must wake each other: a lost wake-up leaves a worker asleep forever. Each test waits with its
 * own short deadline (test/helpers/deadline.ts) and, on a hang, names who was left waiting,
 * instead of running into vitest's 60 s timeout. terminate() ends workers stuck in a wait.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../dist/index.js";
import { Barrier, Mutex, Semaphore } from "../../dist/sync-entry.js";
import { SYNC_DEMOS } from "../helpers/fixtures.js";
import { allWithin } from "../helpers/deadline.js";

let pool: Pool;
beforeEach(async () => { pool = await createPool({ workers: 3, module: SYNC_DEMOS }); });
// terminate(), not close(): close() lets running calls finish, and a lost wake-up never does
afterEach(async () => { await pool.terminate(); });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("kernels waiting on each other wake up", () => {
  it("mutex: two kernels contending for one lock both finish, every increment counted", async () => {
    const counter = pool.alloc(Int32Array, 1);
    const mutex = Mutex.create(pool);
    // the main thread holds the lock until both kernels are asleep in mutexLock: from then on
    // each unlock must wake the other kernel, or it sleeps forever
    expect(mutex.tryLock()).toBe(true);
    const iterations = 2_000, spin = 200;
    const run = (k: number) => pool.apply("syncDemoLockedIncrements", [counter, mutex, iterations, spin]).then(() => k);
    const kernels = { "kernel 1 in syncDemoLockedIncrements (mutexLock/mutexUnlock)": run(1), "kernel 2 in syncDemoLockedIncrements (mutexLock/mutexUnlock)": run(2) };
    await pause(150);
    expect(counter[0]).toBe(0);
    mutex.unlock();
    await allWithin(kernels, 10_000);
    expect(counter[0]).toBe(2 * iterations);
  });

  it("mutex: a kernel asleep in mutexLock wakes when the main thread unlocks", async () => {
    const counter = pool.alloc(Int32Array, 1);
    const mutex = Mutex.create(pool);
    expect(mutex.tryLock()).toBe(true);
    const kernel = pool.apply("syncDemoLockedIncrements", [counter, mutex, 1, 0]);
    await pause(100); // past its spins: asleep
    expect(counter[0]).toBe(0);
    mutex.unlock();
    await allWithin({ "a kernel in mutexLock after the main thread's unlock": kernel });
    expect(counter[0]).toBe(1);
  });

  it("semaphore: three kernels share one permit, one at a time, and all finish", async () => {
    const sem = Semaphore.create(pool, 1);
    const occupancy = pool.alloc(Int32Array, 1);
    const maxSeen = pool.alloc(Int32Array, 1);
    const run = () => pool.apply("syncDemoSemaphoreOccupancy", [sem, occupancy, maxSeen, 2_000, 300]);
    const refused = await allWithin({
      "kernel 1 in semaphoreAcquire": run(),
      "kernel 2 in semaphoreAcquire": run(),
      "kernel 3 in semaphoreAcquire": run(),
    }, 20_000);
    expect(Object.values(refused)).toEqual([0, 0, 0]);
    expect(maxSeen[0]).toBe(1);
    expect(occupancy[0]).toBe(0);
  });

  it("barrier: kernels asleep at the barrier wake when the last one arrives, round after round", async () => {
    const barrier = Barrier.create(pool, 3);
    for (let round = 0; round < 3; round++) {
      // two arrive and fall asleep (past their spins); the third comes later
      const early = [pool.apply("barrierWait", [barrier, -1]), pool.apply("barrierWait", [barrier, -1])];
      await pause(60);
      const last = pool.apply("barrierWait", [barrier, -1]);
      const met = await allWithin({
        [`round ${round}: early kernel 1 asleep in barrierWait`]: early[0]!,
        [`round ${round}: early kernel 2 asleep in barrierWait`]: early[1]!,
        [`round ${round}: the last kernel at barrierWait`]: last,
      });
      expect(Object.values(met)).toEqual([0, 0, 0]); // BARRIER_OK
    }
  });
});
