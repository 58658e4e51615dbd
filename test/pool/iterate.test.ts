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

/** The same 1-D red–black Gauss–Seidel solve as the redBlackStep kernel, serially: odd cells, then even ones. */
function serialRedBlack(n: number, tolerance: number, maxIterations: number): { u: Float64Array; iterations: number; value: number } {
  const u = new Float64Array(n);
  u[0] = 100;
  let value = 0;
  let iterations = 0;
  while (iterations < maxIterations) {
    for (const parity of [1, 0]) {
      value = 0;
      for (let i = 1; i < n - 1; i++) {
        if (i % 2 !== parity) continue;
        const v = (u[i - 1]! + u[i + 1]!) * 0.5;
        value = Math.max(value, Math.abs(v - u[i]!));
        u[i] = v;
      }
    }
    iterations++;
    if (value < tolerance) break;
  }
  return { u, iterations, value };
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

  it("runs an iteration as `phases` steps with a barrier after each, reducing and testing only the last phase's values", async () => {
    const n = 61;
    const want = serialRedBlack(n, 1e-4, 20_000);
    expect(want.iterations).toBeGreaterThan(10);
    expect(want.iterations).toBeLessThan(20_000);
    for (const lanes of [1, 2, 3]) {
      const u = pool.alloc(Float64Array, n);
      u[0] = 100;
      const seen: Array<{ iteration: number; value: number }> = [];
      const r = await pool.iterate({
        kernel: "redBlackStep", args: [u, n], lanes, phases: 2, until: { below: 1e-4 }, maxIterations: 20_000,
        progressIntervalMs: 1, onProgress: (p) => seen.push({ iteration: p.iteration, value: p.value }),
      });
      expect(r).toMatchObject({ iterations: want.iterations, value: want.value, converged: true, lanes });
      expect(Array.from(u)).toEqual(Array.from(want.u));
      // progress counts whole iterations and never shows a first phase's value
      expect(seen.at(-1)).toEqual({ iteration: want.iterations, value: want.value });
      for (const p of seen) expect(p.value).not.toBe(1e300);
      pool.free(u);
    }
  });

  it("counts maxIterations and checkEvery in whole iterations when phased", async () => {
    const n = 51;
    const u = pool.alloc(Float64Array, n);
    u[0] = 100;
    const r = await pool.iterate({ kernel: "redBlackStep", args: [u, n], lanes: 2, phases: 2, until: { below: 1e-300 }, maxIterations: 7 });
    expect(r).toMatchObject({ iterations: 7, value: serialRedBlack(n, 0, 7).value, converged: false });
    expect(Array.from(u)).toEqual(Array.from(serialRedBlack(n, 0, 7).u));
    u.fill(0);
    u[0] = 100;
    // the first iteration whose value is below 1e-2, rounded up to a multiple of 4
    const first = serialRedBlack(n, 1e-2, 10_000).iterations;
    const checked = Math.ceil(first / 4) * 4;
    const every = await pool.iterate({ kernel: "redBlackStep", args: [u, n], lanes: 3, phases: 2, until: { below: 1e-2 }, checkEvery: 4, maxIterations: 10_000 });
    expect(every).toMatchObject({ iterations: checked, value: serialRedBlack(n, 0, checked).value, converged: true });
    pool.free(u);
  });

  it("checks its options before anything runs", async () => {
    await expect(pool.iterate({ kernel: "redBlackStep", args: [0, 5], phases: 0, maxIterations: 5 })).rejects.toThrow(/^phases must be an integer from 1/);
    // with phases the kernel takes the phase after the iteration
    await expect(pool.iterate({ kernel: "redBlackStep", args: [0, 5], maxIterations: 5 })).rejects.toThrow(/^args must be 3 arguments after \(lane, lanes, iteration\)/);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], phases: 2, maxIterations: 5 })).rejects.toThrow(/^args must be 0 arguments after \(lane, lanes, iteration, phase\)/);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], maxIterations: 0 })).rejects.toThrow(/^maxIterations must be an integer from 1/);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], lanes: 4, maxIterations: 5 })).rejects.toThrow(/^lanes must be an integer from 1 to 3/);
    await expect(pool.iterate({ kernel: "decayStep", maxIterations: 5 })).rejects.toThrow(/^args must be 1 argument after \(lane, lanes, iteration\)/);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], maxIterations: 5, until: { near: 1 } as never })).rejects.toThrow(InvalidArgumentError);
    await expect(pool.iterate({ kernel: "decayStep", args: [1], maxIterations: 5, reduce: "mean" as never })).rejects.toThrow(/^reduce must be one of "max", "min", "sum"/);
  });
});


