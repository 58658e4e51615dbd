import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, KernelError, createPool, type Pool } from "../../dist/index.js";
import { Barrier, BARRIER_WORDS } from "../../dist/sync-entry.js";

// heatSolve is the bundled team kernel: heatSolve(member, members, n, gridA, gridB, ctl,
// tolerance, maxIterations, timeoutMs), control block layout in assembly/heat.ts
const ROWS_WORD = 128 / 4;
const STATUS_ITERATION_LIMIT = 2;

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

/**
 * A 6×6 plate (8×8 grids) and a control block for `members`, rows split as `rows`; the block
 * starts `shift` words into its region.
 */
function plate(members: number, rows: number[], shift = 0) {
  const gridA = pool.alloc(Float64Array, 64);
  const gridB = pool.alloc(Float64Array, 64);
  const region = pool.alloc(Int32Array, 256 + shift);
  const ctl = region.subarray(shift);
  ctl.set(rows, ROWS_WORD);
  const barrier = new Barrier(ctl.subarray(0, BARRIER_WORDS)).init(members);
  const free = () => [gridA, gridB, region].forEach((v) => pool.free(v));
  const args = (maxIterations: number) => [members, 6, gridA.byteOffset, gridB.byteOffset, ctl.byteOffset, 0, maxIterations, 10_000];
  return { barrier, args, free };
}

describe("pool.runTeam", () => {
  it("runs kernel(member, ...args) on `workers` threads at once and returns each member's value", async () => {
    // the members meet at a barrier after every sweep: they finish only if all run at once
    const p = plate(3, [1, 3, 5, 7]);
    try {
      const r = await pool.runTeam({ kernel: "heatSolve", args: p.args(200), workers: 3 });
      expect(r).toEqual({ values: [STATUS_ITERATION_LIMIT, STATUS_ITERATION_LIMIT, STATUS_ITERATION_LIMIT], workers: 3, backend: "workers" });
      expect(p.barrier.generation).toBe(200);
    } finally {
      p.free();
    }
  });

  it("rejects more members than the pool has workers", async () => {
    await expect(pool.runTeam({ kernel: "heatSolve", workers: 4 })).rejects.toThrow(InvalidArgumentError);
    await expect(pool.runTeam({ kernel: "heatSolve", workers: 4 })).rejects.toThrow(/^workers must be an integer from 1 to 3/);
  });

  it("calls onFailure once when a member traps, so the caller can release the others; rejects with KernelError", async () => {
    // a control block 4 bytes off an 8-byte boundary: member 0 alone publishes the sweep's
    // max difference, with an i64 atomic store, which traps when misaligned; member 1 goes on
    // to the next barrier and waits there until onFailure aborts it
    const p = plate(2, [1, 4, 7], 1);
    const failures: Error[] = [];
    try {
      const run = pool.runTeam({
        kernel: "heatSolve", args: p.args(1_000_000), workers: 2,
        onFailure: (e) => { failures.push(e); p.barrier.abort(); },
      });
      await expect(run).rejects.toThrow(KernelError);
      await expect(run).rejects.toThrow(/kernel heatSolve trapped in part 0: .*unaligned/);
      expect(failures).toHaveLength(1);
      expect(p.barrier.broken).toBe(true); // aborted by onFailure
    } finally {
      p.free();
    }
  });

  it("rejects a kernel the module does not export", async () => {
    await expect(pool.runTeam({ kernel: "nope", workers: 1 })).rejects.toThrow(/^kernel must be a function the module exports/);
  });
});
