/**
 * Breaking out of an imap loop cancels the rest of the call (docs/pool.md): the workers claim
 * no part after the break. Each item here puts one number into a queue of capacity 1, so a
 * worker can run an item only after the main thread has taken the previous number: the count of
 * numbers taken says how many items ran.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../dist/index.js";
import { Queue } from "../../dist/sync-entry.js";
import { SYNC_DEMOS } from "../helpers/fixtures.js";
import { allWithin, within } from "../helpers/deadline.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 2, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

/** Takes numbers from the queue until it is closed; returns them. */
async function drain(q: Queue): Promise<number[]> {
  const taken: number[] = [];
  for (;;) {
    const v = await q.getAsync();
    if (v === undefined) return taken;
    taken.push(v);
  }
}

describe.each(["imap", "imapUnordered"] as const)("breaking out of %s", (method) => {
  it("cancels the items not yet started; the call ends and the pool stays usable", async () => {
    const items = 1000;
    const q = Queue.create(pool, 1);
    const drained = drain(q);
    let seen = 0;
    const loop = (async () => {
      // syncDemoProduce(q, first, count) puts first … first + count − 1: here one number per item
      const calls = pool[method]("syncDemoProduce", Array.from({ length: items }, (_, i) => [q, i, 1]), { chunkSize: 1 });
      for await (const r of calls) {
        expect(method === "imap" ? r : (r as [number, number])[1]).toBe(1);
        if (++seen === 3) break;
      }
    })();
    // the break returns only once the call has ended: with the cancellation that is soon;
    // without it, after all 1000 items
    await within(loop, `the ${method} loop's break, for the call to end`);
    q.close(); // ends the drain
    const { taken } = await allWithin({ taken: drained });
    expect(seen).toBe(3);
    // items claimed before the cancellation reached the workers still finish: some, not all
    expect(taken.length).toBeGreaterThanOrEqual(3);
    expect(taken.length).toBeLessThan(items / 2);
    expect(await pool.map("syncDemoAtomicIncrements", [[pool.alloc(Int32Array, 1), 5]])).toEqual([NaN]);
  });
});
