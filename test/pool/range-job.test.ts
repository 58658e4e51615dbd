import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, createPool, partition, type Pool } from "../../dist/index.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("Pool.runRange", () => {
  it("returns one partial per part, in part order, for every scheme", async () => {
    for (const scheme of ["block", "cyclic", "block-cyclic"] as const) {
      const spec = partition(1, 1001, { scheme, chunkSize: 7, parts: 5 });
      const r = await pool.runRange({ kernel: "piMidpointScalar", args: [1000], spec });
      expect(r.partials.length).toBe(spec.parts);
      // the parts cover every term once, so they add up to the whole sum
      const whole = await pool.runRange({ kernel: "piMidpointScalar", args: [1000], spec: partition(1, 1001, { chunkSize: 1000 }) });
      expect(r.partials.reduce((a, b) => a + b, 0)).toBeCloseTo(whole.partials[0]!, 10);
    }
  });

  it("names the exports when the kernel does not exist", async () => {
    const spec = partition(0, 10);
    await expect(pool.runRange({ kernel: "nope", spec })).rejects.toThrow(InvalidArgumentError);
    await expect(pool.runRange({ kernel: "nope", spec })).rejects.toThrow(/kernel must be a function the module exports \(.*piMidpointSimd/);
  });

  it("frees the job's control block and results after the job", async () => {
    const before = pool.arena.allocatedBytes;
    await pool.runRange({ kernel: "piMidpointSimd", args: [1e6], spec: partition(1, 1e6 + 1, { chunkSize: 1000 }) });
    expect(pool.arena.allocatedBytes).toBe(before);
  });

  it("refuses work after close()", async () => {
    const p = await createPool({ workers: 1 });
    await p.close();
    await expect(p.runRange({ kernel: "piMidpointSimd", args: [10], spec: partition(1, 11) })).rejects.toThrow(/pool is closed/);
  });
});
