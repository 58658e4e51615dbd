/**
 * pool.iterate: users' own convergence loops, one long task per lane, a barrier and a reduction
 * in shared memory per step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, KernelError, createPool, type Pool } from "../../dist/index.js";
import { compileCore } from "../helpers/asc.js";

let pool: Pool;

beforeAll(async () => {
  pool = await createPool({ workers: 3, module: compileCore() });
});

afterAll(async () => {
  await pool.close();
});

/** The same 1-D Jacobi solve as the jacobiStep kernel, serially. */
function serialJacobi(n: number, tolerance: number, maxIterations: number): { u: Float64Array; iterations: number; value: number } {
  let from = new Float64Array(n);
  let to = new Float64Array(n);
  from[0] = to[0] = 100;
  let value = 0;
  let iterations = 0;
  while (iterations < maxIterations) {
    value = 0;
    for (let i = 1; i < n - 1; i++) {
      const v = (from[i - 1]! + from[i + 1]!) * 0.5;
      value = Math.max(value, Math.abs(v - from[i]!));
      to[i] = v;
    }
    iterations++;
    [from, to] = [to, from];
    if (value < tolerance) break;
  }
  return { u: from, iterations, value };
}

describe("pool.iterate", () => {
  it("stops on the right step: the first whose reduced value is below the tolerance", async () => {
    for (const lanes of [1, 2, 3]) {
      const r = await pool.iterate({ kernel: "decayStep", args: [1], lanes, reduce: "max", until: { below: 1e-3 }, maxIterations: 100 });
      // max over lanes = lanes · 2^−i; first i with lanes · 2^−i < 1e-3, and i + 1 steps ran
      let i = 0;
      while (lanes * 0.5 ** i >= 1e-3) i++;
      expect(r).toMatchObject({ iterations: i + 1, value: lanes * 0.5 ** i, converged: true, lanes, backend: "workers" });
    }
  });

  it("reduces with sum and min in lane order, and reports the iteration limit", async () => {
    const sum = await pool.iterate({ kernel: "decayStep", args: [3], lanes: 3, reduce: "sum", maxIterations: 4 });
    expect(sum).toMatchObject({ iterations: 4, value: 3 * (1 + 2 + 3) * 0.125, converged: false });
    const min = await pool.iterate({ kernel: "decayStep", args: [1], lanes: 3, reduce: "min", until: { above: 10 }, maxIterations: 2, checkEvery: 1 });
    expect(min).toMatchObject({ iterations: 2, value: 0.5, converged: false });
  });

  it("gives the same bits as a serial solve for 1, 2 and 3 lanes (a 1-D Jacobi sweep per step)", async () => {
    const n = 301;
    const want = serialJacobi(n, 1e-6, 5000);
    for (const lanes of [1, 2, 3]) {
      const a = pool.alloc(Float64Array, n);
      const b = pool.alloc(Float64Array, n);
      a[0] = b[0] = 100;
      const r = await pool.iterate({ kernel: "jacobiStep", args: [a, b, n], lanes, until: { below: 1e-6 }, maxIterations: 5000 });
      expect(r.iterations).toBe(want.iterations);
      expect(r.value).toBe(want.value);
      const u = r.iterations % 2 === 1 ? b : a;
      expect(Array.from(u)).toEqual(Array.from(want.u));
      pool.free(a);
      pool.free(b);
    }
  });

  it("rejects with an AbortError when aborted mid-iteration, and the pool goes on", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const call = pool.iterate({
      kernel: "decayStep", args: [1], lanes: 2, maxIterations: 2 ** 31 - 1, signal: controller.signal, progressIntervalMs: 5,
      onProgress: (p) => { seen.push(p.iteration); if (p.iteration > 1000) controller.abort(); },
    });
    await expect(call).rejects.toThrow(AbortError);
    expect(seen.at(-1)).toBeGreaterThan(1000);
    expect((await pool.iterate({ kernel: "decayStep", args: [1], lanes: 3, maxIterations: 3 })).iterations).toBe(3);
  });

  it("rejects with a KernelError naming the lane that trapped, and releases the others", async () => {
    const call = pool.iterate({ kernel: "trapStep", args: [50], lanes: 3, maxIterations: 1000 });
    await expect(call).rejects.toThrow(KernelError);
    await expect(pool.iterate({ kernel: "trapStep", args: [50], lanes: 3, maxIterations: 1000 })).rejects.toThrow(/^kernel trapStep trapped in part 1: unreachable/);
    expect((await pool.iterate({ kernel: "trapStep", args: [-1], lanes: 3, maxIterations: 10 })).iterations).toBe(10);
  });

  it("fails with a WorkerError when a lane waits at the barrier too long (a lane held up behind other work)", async () => {
    const small = await createPool({ workers: 2, module: compileCore() });
    const busy = small.apply("spin", [3e8]); // holds one of the two workers
    const started = performance.now();
    await expect(small.iterate({ kernel: "decayStep", args: [1], lanes: 2, maxIterations: 10, barrierTimeoutMs: 200 }))
      .rejects.toThrow(/waited at the step barrier for more than barrierTimeoutMs = 200 ms/);
    expect(performance.now() - started).toBeLessThan(2000);
    await busy;
    await small.close();
  });

  it("checks its options before anything runs", async () => {
    await expect(pool.iterate({ kernel: "decayStep", args: [1], maxIterations: 0 })).rejects.toThrow(/^maxIterations must be an integer from 1/);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], lanes: 4, maxIterations: 5 })).rejects.toThrow(/^lanes must be an integer from 1 to 3/);
    await expect(pool.iterate({ kernel: "decayStep", maxIterations: 5 })).rejects.toThrow(/^args must be 1 argument after \(lane, lanes, iteration\)/);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], maxIterations: 5, until: { near: 1 } as never })).rejects.toThrow(InvalidArgumentError);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], maxIterations: 5, reduce: "mean" as never })).rejects.toThrow(/^reduce must be one of "max", "min", "sum"/);
  });
});


