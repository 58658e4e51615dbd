/**
 * src/platform/task.ts's tasks run in the test's own thread (executeTask on a control block laid
 * out here by hand, task-block.ts), where a mutation-testing run sees their coverage: in a pool
 * they run only in workers (docs/testing.md, "Mutation testing"). This file: range tasks (the
 * part walk, combine, the claim loop, retry parts, cancellation, budget), call, noop and
 * iterate tasks, and the package's own wasm kernels. task-traps-here.test.ts: batch tasks,
 * traps, private-range tasks and the inline path. Expected values come from plain references
 * written here (serial sums, the blocks of a part listed by hand).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { executeTask, runRangeInline, type TaskBudget } from "../../dist/platform/task.js";
import { kernelImports } from "../../dist/kernels/module.js";
import {
  CANCEL, CANCELLED, CLAIMED, DONE, FREE, LOGGED, NEXT, PART_DONE, PENDING, STARTED, TICKET, UNWRITTEN,
  batchTask, job, notified, rangeTask, sumSquares, type Job,
} from "./task-block.js";

/** JS kernels: the calls they got, as [start, end] pairs. */
function recorder(j: Job, during?: (start: number, end: number) => void): { kernels: Record<string, unknown>; calls: number[][]; states: number[][] } {
  const calls: number[][] = [];
  const states: number[][] = [];
  const kernels = {
    sumSquares(start: number, end: number, scale = 1): number {
      calls.push([start, end]);
      states.push([0, 1, 2, 3].map((k) => j.state(k)));
      during?.(start, end);
      return scale * sumSquares(start, end);
    },
    // a value per block whose smallest and largest are not the first block's: 7·b mod 11 − 5
    wave(start: number): number {
      calls.push([start]);
      return ((7 * start) % 11) - 5;
    },
  };
  return { kernels, calls, states };
}

describe("range tasks: the part walk", () => {
  it("a block part is one block, its last one cut at the range's end, each part's sum in its own slot", () => {
    const j = job(3);
    const { kernels, calls } = recorder(j);
    const spec = { scheme: "block", start: 3, end: 13, parts: 3, blockSize: 4 } as const;
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { args: [2] }))).toStrictEqual({ parts: 3 });
    expect(calls).toEqual([[3, 7], [7, 11], [11, 13]]);
    expect([...j.results.subarray(0, 4)]).toEqual([2 * sumSquares(3, 7), 2 * sumSquares(7, 11), 2 * sumSquares(11, 13), UNWRITTEN]);
  });

  it("a block-cyclic part takes every parts-th block, in increasing order, and sums them", () => {
    const j = job(2);
    const { kernels, calls } = recorder(j);
    const spec = { scheme: "block-cyclic", start: 0, end: 22, parts: 2, blockSize: 3 } as const;
    executeTask(kernels, j.memory, rangeTask(spec, "sumSquares"));
    // part 0: [0,3) [6,9) [12,15) [18,21); part 1: [3,6) [9,12) [15,18) [21,22)
    expect(calls).toEqual([[0, 3], [6, 9], [12, 15], [18, 21], [3, 6], [9, 12], [15, 18], [21, 22]]);
    const part0 = sumSquares(0, 3) + sumSquares(6, 9) + sumSquares(12, 15) + sumSquares(18, 21);
    const part1 = sumSquares(3, 6) + sumSquares(9, 12) + sumSquares(15, 18) + sumSquares(21, 22);
    expect([...j.results.subarray(0, 2)]).toEqual([part0, part1]);
  });

  for (const [combine, reference] of [["sum", (a: number, b: number) => a + b], ["min", Math.min], ["max", Math.max]] as const) {
    it(`combine "${combine}" reduces a cyclic part's block values in block order`, () => {
      const j = job(3);
      const { kernels } = recorder(j);
      const spec = { scheme: "cyclic", start: 0, end: 20, parts: 3, blockSize: 1 } as const;
      executeTask(kernels, j.memory, rangeTask(spec, "wave", { combine }));
      const expected = [0, 1, 2].map((p) => {
        let acc = NaN;
        for (let b = p; b < 20; b += 3) acc = b === p ? ((7 * b) % 11) - 5 : reference(acc, ((7 * b) % 11) - 5);
        return acc;
      });
      expect([...j.results.subarray(0, 3)]).toEqual(expected);
    });
  }
});

describe("range tasks: min and max start from the first block's value, not 0", () => {
  for (const [combine, sign, pick] of [["min", 1, Math.min], ["max", -1, Math.max]] as const) {
    it(`combine "${combine}" over block values all of one sign`, () => {
      const j = job(2);
      const kernels = { k: (start: number, end: number) => sign * sumSquares(start + 1, end + 1) };
      const spec = { scheme: "block-cyclic", start: 0, end: 12, parts: 2, blockSize: 3 } as const;
      executeTask(kernels, j.memory, rangeTask(spec, "k", { combine }));
      const part = (p: number) => pick(...[0, 1].map((k) => sign * sumSquares(3 * (p + 2 * k) + 1, 3 * (p + 2 * k) + 4)));
      expect([...j.results.subarray(0, 2)]).toEqual([part(0), part(1)]);
    });
  }
});

describe("range tasks: claiming parts", () => {
  const spec = { scheme: "block", start: 0, end: 16, parts: 4, blockSize: 4 } as const;

  it("claims parts from NEXT in order, marks each CLAIMED + lane while it runs, then DONE, logged in finishing order", () => {
    const j = job(4);
    const { kernels, states } = recorder(j);
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { lane: 3 }))).toStrictEqual({ parts: 4 });
    expect(states).toEqual([
      [CLAIMED + 3, FREE, FREE, FREE],
      [PART_DONE, CLAIMED + 3, FREE, FREE],
      [PART_DONE, PART_DONE, CLAIMED + 3, FREE],
      [PART_DONE, PART_DONE, PART_DONE, CLAIMED + 3],
    ]);
    expect([j.ctl[NEXT], j.ctl[DONE], j.ctl[CANCEL], j.ctl[LOGGED]]).toEqual([5, 4, 0, 4]);
    expect(j.log()).toEqual([0, 1, 2, 3]);
    expect(j.ticket[0]).toBe(STARTED);
  });

  it("runs its retry parts first, then claims from NEXT, skipping the parts already done", () => {
    const j = job(4);
    const { kernels, calls } = recorder(j);
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { retry: [3, 1] }))).toStrictEqual({ parts: 4 });
    expect(calls).toEqual([[12, 16], [4, 8], [0, 4], [8, 12]]);
    expect(j.log()).toEqual([3, 1, 0, 2]);
    expect([...j.results.subarray(0, 4)]).toEqual([sumSquares(0, 4), sumSquares(4, 8), sumSquares(8, 12), sumSquares(12, 16)]);
  });

  it("skips a part another lane holds, leaving its state and slot alone and not counting it", () => {
    const j = job(4);
    j.ctl[4 + 2] = CLAIMED + 5;
    const { kernels, calls } = recorder(j);
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares"))).toStrictEqual({ parts: 3 });
    expect(calls).toEqual([[0, 4], [4, 8], [12, 16]]);
    expect(j.state(2)).toBe(CLAIMED + 5);
    expect(j.results[2]).toBe(UNWRITTEN);
    expect([j.ctl[DONE], j.ctl[LOGGED]]).toEqual([3, 3]);
  });

  it("a finished part wakes a waiter on DONE", async () => {
    const j = job(1);
    const woken = notified(j.ctl, DONE, 0);
    executeTask(recorder(j).kernels, j.memory, rangeTask({ scheme: "block", start: 0, end: 4, parts: 1, blockSize: 4 }, "sumSquares"));
    expect(await woken).toBe("ok");
  });
});

describe("range tasks: cancellation", () => {
  const spec = { scheme: "block", start: 0, end: 16, parts: 4, blockSize: 4 } as const;

  it("a cancelled ticket runs nothing and claims nothing", () => {
    const j = job(4);
    j.ticket[0] = CANCELLED;
    const { kernels, calls } = recorder(j);
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { retry: [2] }))).toStrictEqual({ cancelled: true });
    expect(calls).toEqual([]);
    expect(j.ctl[NEXT]).toBe(0);
    expect(j.ticket[0]).toBe(CANCELLED);
  });

  it("a cancel flag already set: the lane starts, runs no retry part and claims nothing", () => {
    const j = job(4);
    j.ctl[CANCEL] = 1;
    const { kernels, calls } = recorder(j);
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { retry: [2] }))).toStrictEqual({ parts: 0 });
    expect(calls).toEqual([]);
    expect(j.ctl[NEXT]).toBe(0);
    expect(j.ticket[0]).toBe(STARTED);
  });

  it("a cancel during a part: that part finishes (one block), the next is never claimed", () => {
    const j = job(4);
    const { kernels, calls } = recorder(j, (start) => { if (start === 4) j.ctl[CANCEL] = 1; });
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares"))).toStrictEqual({ parts: 2 });
    expect(calls).toEqual([[0, 4], [4, 8]]);
    expect([j.ctl[NEXT], j.state(2)]).toEqual([2, FREE]);
  });

  it("a cancel during a retry part: the later retry parts are not run", () => {
    const j = job(4);
    const { kernels, calls } = recorder(j, (start) => { if (start === 12) j.ctl[CANCEL] = 1; });
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { retry: [3, 1] }))).toStrictEqual({ parts: 1 });
    expect(calls).toEqual([[12, 16]]);
  });

  it("a cancel between a part's blocks: its later blocks are not run and the part is neither done nor logged", () => {
    const j = job(2);
    const { kernels, calls } = recorder(j, () => { j.ctl[CANCEL] = 1; });
    const cyclic = { scheme: "block-cyclic", start: 0, end: 16, parts: 2, blockSize: 2 } as const;
    expect(executeTask(kernels, j.memory, rangeTask(cyclic, "sumSquares", { lane: 1 }))).toStrictEqual({ parts: 0 });
    expect(calls).toEqual([[0, 2]]);
    expect([j.state(0), j.state(1), j.ctl[DONE], j.ctl[LOGGED], j.results[0]]).toEqual([CLAIMED + 1, FREE, 0, 0, UNWRITTEN]);
  });
});

describe("budgets (maxTasksPerWorker)", () => {
  const spec = { scheme: "block", start: 0, end: 16, parts: 4, blockSize: 4 } as const;

  it("a range lane spends one per part and stops claiming when the budget is spent", () => {
    const j = job(4);
    const budget: TaskBudget = { left: 2 };
    expect(executeTask(recorder(j).kernels, j.memory, rangeTask(spec, "sumSquares"), budget)).toStrictEqual({ parts: 2 });
    expect(budget.left).toBe(0);
    expect([j.ctl[NEXT], j.state(2)]).toEqual([2, FREE]);
  });

  it("a range lane with budget to spare spends exactly one per part it ran, none for a part it skipped", () => {
    const j = job(4);
    j.ctl[4 + 1] = CLAIMED + 7;
    const budget: TaskBudget = { left: 10 };
    expect(executeTask(recorder(j).kernels, j.memory, rangeTask(spec, "sumSquares"), budget)).toStrictEqual({ parts: 3 });
    expect(budget.left).toBe(7);
  });

  it("a batch lane spends one per part too, not one for the task", () => {
    const j = job(3);
    const budget: TaskBudget = { left: 10 };
    expect(executeTask({ k: () => 1 }, j.memory, batchTask("k", 7, 3, 0), budget)).toStrictEqual({ parts: 3 });
    expect(budget.left).toBe(7);
  });

  it("retry parts run past a spent budget, and then no part is claimed", () => {
    const j = job(4);
    const budget: TaskBudget = { left: 1 };
    const { kernels, calls } = recorder(j);
    expect(executeTask(kernels, j.memory, rangeTask(spec, "sumSquares", { retry: [3, 2] }), budget)).toStrictEqual({ parts: 2 });
    expect(calls).toEqual([[12, 16], [8, 12]]);
    expect([budget.left, j.ctl[NEXT]]).toEqual([-1, 0]);
  });

  it("a call, an iterate lane and a noop spend one each; a cancelled call spends none", () => {
    const j = job(0);
    const budget: TaskBudget = { left: 5 };
    const kernels = { seven: () => 7, step: () => 1 };
    executeTask(kernels, j.memory, { kind: "call", kernel: "seven", args: [] }, budget);
    executeTask(kernels, j.memory, { kind: "noop" }, budget);
    executeTask(kernels, j.memory, iterateTask(iterateBlock(j), { maxIterations: 1 }), budget);
    j.ticket[0] = CANCELLED;
    expect(executeTask(kernels, j.memory, { kind: "call", kernel: "seven", args: [], ticket: TICKET }, budget)).toStrictEqual({ cancelled: true });
    expect(budget.left).toBe(2);
  });
});

describe("call and noop tasks", () => {
  const kernels = { affine: (a: number, b: number, c: number) => a * 100 + b * 10 + c, yes: () => true };

  it("a call passes its arguments in order and returns the kernel's value as a number", () => {
    const j = job(0);
    expect(executeTask(kernels, j.memory, { kind: "call", kernel: "affine", args: [3, 4, 5] })).toStrictEqual({ value: 345 });
    expect(executeTask(kernels, j.memory, { kind: "call", kernel: "yes", args: [] })).toStrictEqual({ value: 1 });
  });

  it("a call with a ticket moves it from PENDING to STARTED; one without ignores the word at offset 0", () => {
    const j = job(0);
    expect(executeTask(kernels, j.memory, { kind: "call", kernel: "affine", args: [1, 2, 3], ticket: TICKET })).toStrictEqual({ value: 123 });
    expect(j.ticket[0]).toBe(STARTED);
    j.ticket[0] = CANCELLED;
    expect(executeTask(kernels, j.memory, { kind: "call", kernel: "affine", args: [0, 0, 9] })).toStrictEqual({ value: 9 });
    expect(j.ticket[0]).toBe(CANCELLED);
  });

  it("a call whose ticket was cancelled returns cancelled without calling", () => {
    const j = job(0);
    j.ticket[0] = CANCELLED;
    let called = false;
    expect(executeTask({ k: () => { called = true; } }, j.memory, { kind: "call", kernel: "k", args: [], ticket: TICKET })).toStrictEqual({ cancelled: true });
    expect(called).toBe(false);
  });

  it("a noop returns null and touches nothing", () => {
    const j = job(0);
    expect(executeTask({}, j.memory, { kind: "noop" })).toBeNull();
    expect(j.ticket[0]).toBe(PENDING);
  });
});

/** An iterate block (iterate-block.ts) at byte 4096: status RUNNING, counters 0. */
function iterateBlock(j: Job): Int32Array {
  return new Int32Array(j.memory.buffer, 4096, 32).fill(0);
}
function iterateTask(_block: Int32Array, more: Record<string, unknown> = {}) {
  return { kind: "iterate", kernel: "step", args: [], lane: 0, lanes: 1, block: 4096, maxIterations: 3, reduce: 2, untilMode: -1, threshold: 0, checkEvery: 1, barrierTimeoutMs: 1000, ...more } as const;
}

describe("iterate tasks", () => {
  it("a one-lane iterate task returns the iterations it ran, calling the step with (lane, lanes, iteration, ...args)", () => {
    const j = job(0);
    const seen: number[][] = [];
    const step = (...a: number[]) => { seen.push(a); return 1; };
    expect(executeTask({ step }, j.memory, iterateTask(iterateBlock(j), { args: [9] }))).toStrictEqual({ value: 3 });
    expect(seen).toEqual([[0, 1, 0, 9], [0, 1, 1, 9], [0, 1, 2, 9]]);
  });

  it("a trap in an iterate lane is reported with the lane as its part", () => {
    const j = job(0);
    const result = executeTask({ step: () => { throw new RangeError("step failed"); } }, j.memory, iterateTask(iterateBlock(j), { lane: 1, lanes: 2 }));
    expect(result).toMatchObject({ trap: "step failed", part: 1, errorName: "RangeError", errorMessage: "step failed" });
  });

  it("an iterate lane whose ticket was cancelled runs nothing; one without a ticket ignores the word at offset 0", () => {
    const j = job(0);
    let calls = 0;
    const step = () => ++calls;
    j.ticket[0] = CANCELLED;
    expect(executeTask({ step }, j.memory, { ...iterateTask(iterateBlock(j)), ticket: TICKET })).toStrictEqual({ cancelled: true });
    expect(calls).toBe(0);
    expect(executeTask({ step }, j.memory, iterateTask(iterateBlock(j), { maxIterations: 2 }))).toStrictEqual({ value: 2 });
    expect(calls).toBe(2);
  });
});

describe("the package's wasm kernels", () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 256, shared: true });
  const wasm = new WebAssembly.Module(readFileSync(new URL("../../build/kernels.wasm", import.meta.url)));
  const { exports } = new WebAssembly.Instance(wasm, kernelImports(memory));
  // Σ 1/(1 + x²), x = (i − 0.5)/n, for i in [start, end): the midpoint rule's terms (assembly/pi.ts)
  const midpoint = (start: number, end: number, n: number): number => {
    let s = 0;
    for (let i = start; i < end; i++) s += 1 / (1 + ((i - 0.5) / n) ** 2);
    return s;
  };

  it("a range task of piMidpointScalar fills each part's slot with its midpoint sum", () => {
    const j = job(4, memory);
    const spec = { scheme: "block", start: 1, end: 1001, parts: 4, blockSize: 250 } as const;
    expect(executeTask(exports, memory, rangeTask(spec, "piMidpointScalar", { args: [1000] }))).toStrictEqual({ parts: 4 });
    [0, 1, 2, 3].forEach((p) => expect(j.results[p]).toBeCloseTo(midpoint(1 + 250 * p, 251 + 250 * p, 1000), 10));
    const pi = (4 / 1000) * [...j.results.subarray(0, 4)].reduce((a, b) => a + b);
    expect(pi).toBeCloseTo(Math.PI, 6);
  });

  it("the inline path gives the same partials, in a plain array", () => {
    const spec = { scheme: "cyclic", start: 1, end: 11, parts: 3, blockSize: 1 } as const;
    const out = runRangeInline(exports, { kernel: "piMidpointScalar", spec, args: [10], combine: "sum" }) as Float64Array;
    expect(out).toBeInstanceOf(Float64Array);
    const expected = [0, 1, 2].map((p) => { let s = 0; for (let i = 1 + p; i < 11; i += 3) s += midpoint(i, i + 1, 10); return s; });
    expect([...out].map((v, k) => v - expected[k]!).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect(out.length).toBe(3);
  });

  it("a batch task of piMidpointScalar reads three arguments per item", () => {
    const j = job(2, memory);
    j.args.set([1, 5, 4, 5, 9, 4, 2, 3, 8]);
    expect(executeTask(exports, memory, batchTask("piMidpointScalar", 3, 2, 3))).toStrictEqual({ parts: 2 });
    const expected = [midpoint(1, 5, 4), midpoint(5, 9, 4), midpoint(2, 3, 8)];
    expected.forEach((v, i) => expect(j.results[i]).toBeCloseTo(v, 12));
  });
});
