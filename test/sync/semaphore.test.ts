/** Semaphore (src/sync/semaphore.ts, assembly/sync.ts): the bound holds for kernels and JS threads together. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_DEMOS, within } from "./fixture.js";
import { createPool, type Pool } from "../../dist/index.js";
import { BoundedSemaphore, Semaphore } from "../../dist/sync-entry.js";
import { runJsWorker } from "./js-workers.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 4, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

describe("Semaphore", () => {
  it("hands out its permits and no more, and takes them back", () => {
    const s = Semaphore.create(pool, 3);
    expect([s.tryAcquire(), s.tryAcquire(), s.tryAcquire(), s.tryAcquire()]).toEqual([true, true, true, false]);
    expect(s.value).toBe(0);
    s.release(2);
    expect(s.value).toBe(2);
    s.release();
    expect(s.value).toBe(3);
  });

  it("as Python's: counts past its initial value (unbounded); a BoundedSemaphore refuses that, keeping its count", () => {
    const s = Semaphore.create(pool, 2);
    s.release(2);
    expect([s.value, s.bound]).toEqual([4, Infinity]);
    const b = BoundedSemaphore.create(pool, 2);
    b.tryAcquire();
    expect(() => b.release(2)).toThrow("release(2) would give the bounded semaphore 3 permits, more than its 2: a release without an acquire");
    expect([b.value, b.bound]).toEqual([1, 2]);
  });

  it("a kernel's release past a BoundedSemaphore's value is refused too, on the same words", async () => {
    const b = BoundedSemaphore.create(pool, 1);
    expect(await pool.apply("syncDemoSemaphoreOccupancy", [b, pool.alloc(Int32Array, 16), pool.alloc(Int32Array, 16), 10, 0])).toBe(0);
    b.tryAcquire();
    b.release();
    expect(b.value).toBe(1);
  });

  it("gives up after the timeout when none is free, and wakes an async waiter on release", async () => {
    const s = Semaphore.create(pool, 1);
    s.tryAcquire();
    expect(s.acquire(20)).toBe(false);
    expect(await s.acquireAsync(20)).toBe(false);
    const waiter = s.acquireAsync();
    setTimeout(() => s.release(), 20);
    expect(await waiter).toBe(true);
    expect(s.value).toBe(0);
  });

  it("takes Semaphore(0) and rejects a negative or fractional value", () => {
    expect(Semaphore.create(pool, 0).value).toBe(0);
    expect(() => Semaphore.create(pool, -1)).toThrow(/^value must be an integer from 0 to 2\^31-2/);
    expect(() => BoundedSemaphore.create(pool, 1.5)).toThrow(/^value must be an integer from 0 to 2\^31-2/);
  });

  for (const permits of [1, 2, 3]) {
    it(`never admits more than its count (${permits}) among 4 kernels and a JS thread`, async () => {
      const s = BoundedSemaphore.create(pool, permits);
      const occupancy = pool.alloc(Int32Array, 16);
      const maxSeen = pool.alloc(Int32Array, 16);
      const refused = await within(Promise.all([
        ...[0, 1, 2, 3].map(() => pool.apply("syncDemoSemaphoreOccupancy", [s, occupancy, maxSeen, 20_000, 20])),
        runJsWorker(pool.memory, "semaphoreOccupancy", { semaphore: s.byteOffset, occupancy: occupancy.byteOffset, maxSeen: maxSeen.byteOffset, iterations: 20_000 }).then(() => 0),
      ]), 30_000, "4 kernels and a JS thread taking turns at the semaphore");
      expect(refused).toEqual([0, 0, 0, 0, 0]);
      expect(maxSeen[0]).toBeGreaterThanOrEqual(1);
      expect(maxSeen[0]).toBeLessThanOrEqual(permits);
      expect(occupancy[0]).toBe(0);
      expect(s.value).toBe(permits);
    });
  }
});
