/**
 * Byte offsets past 2 GiB (a pool's memory may grow to 4 GiB): a task's ticket there is still
 * claimed by its worker. `ticket >> 2` made such an index negative ("Invalid atomic access
 * index"), and every call failed once a large region had pushed the ticket ring past 2 GiB.
 */
import { describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../dist/index.js";

const GiB = 2 ** 30;

describe("calls on a memory grown past 2 GiB", () => {
  it("apply, map and mapReduce run when their tickets and control blocks lie past 2 GiB", async () => {
    const pool: Pool = await createPool({ workers: 2, warmUp: false });
    try {
      // not zeroed: a fresh memory is zero already, and writing 2 GiB would cost seconds
      const arena = (pool as unknown as { arena: { alloc(t: Uint8ArrayConstructor, n: number, align: number, zero: boolean): Uint8Array } }).arena;
      const big = arena.alloc(Uint8Array, 2 * GiB + 4096, 64, false);
      expect(big.byteOffset + big.byteLength).toBeGreaterThan(2 * GiB);
      const xs = pool.alloc(Float64Array, 4);
      expect(xs.byteOffset).toBeGreaterThan(2 * GiB); // the next regions (tickets, control blocks) come after it
      expect(await pool.apply("piMidpointScalar", [1, 11, 10])).toBeCloseTo(midpointTerms(1, 11, 10), 12);
      const items = Array.from({ length: 1000 }, (_, i) => [i + 1, i + 101, 1000]);
      const sums = await pool.starmap("piMidpointScalar", items, { chunkSize: 50 });
      sums.forEach((v, i) => expect(v).toBeCloseTo(midpointTerms(i + 1, i + 101, 1000), 12));
      const whole = await pool.mapReduce("piMidpointScalar", [1, 1e5 + 1], { args: [1e5], parts: 8 });
      expect(whole).toBeCloseTo(midpointTerms(1, 1e5 + 1, 1e5), 8);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

/** piMidpointScalar's documented sum: Σ 1/(1 + x_i²), x_i = (i − ½)/n, i in [start, end). */
function midpointTerms(start: number, end: number, n: number): number {
  let s = 0;
  for (let i = start; i < end; i++) {
    const x = (i - 0.5) / n;
    s += 1 / (1 + x * x);
  }
  return s;
}
