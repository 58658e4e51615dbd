/**
 * src/platform/task.ts in the test's own thread, continued from task-here.test.ts: batch tasks
 * (each arity's argument words, the chunk's last part, cancellation every 256 items, map's
 * failFast: false), traps (kernel's message, part, item counted from firstItem), private-range
 * tasks, the inline path, and the kernel lookup. Expected values are computed here from the
 * arguments the test wrote.
 */
import { describe, expect, it } from "vitest";
import { PATH_WARM_UP_KERNELS, executeTask, kernelFunction, kernelNames, runRangeInline } from "../../dist/platform/task.js";
import { expectError } from "../helpers/thrown.js";
import { CANCEL, CLAIMED, DONE, FAILED, PART_DONE, UNWRITTEN, batchTask, job, notified, rangeTask, sumSquares } from "./task-block.js";

/** Σ a_k·10^k: tells every argument's place apart. */
const digits = (...a: number[]): number => a.reduce((s, v, k) => s + v * 10 ** k, 0);

describe("batch tasks: items", () => {
  for (const arity of [1, 2, 3, 4, 5, 6]) {
    it(`arity ${arity}: item i gets words [i·${arity}, (i+1)·${arity}) and its result goes to word i`, () => {
      const items = 7;
      const j = job(3);
      const args = Array.from({ length: items * arity }, (_, k) => (k * 7) % 10);
      j.args.set(args);
      const got: number[] = [];
      const kernel = (...a: number[]) => { got.push(a.length); return digits(...a); };
      expect(executeTask({ kernel }, j.memory, batchTask("kernel", items, 3, arity))).toStrictEqual({ parts: 3 });
      const expected = Array.from({ length: items }, (_, i) => digits(...args.slice(i * arity, (i + 1) * arity)));
      expect([...j.results.subarray(0, items + 1)]).toEqual([...expected, UNWRITTEN]);
      expect(got).toEqual(Array(items).fill(arity));
    });
  }

  it("arity 0: each item is a call without arguments", () => {
    const j = job(2);
    let n = 0;
    const kernel = (...a: number[]) => (a.length === 0 ? ++n : NaN);
    expect(executeTask({ kernel }, j.memory, batchTask("kernel", 5, 3, 0))).toStrictEqual({ parts: 2 });
    expect([...j.results.subarray(0, 6)]).toEqual([1, 2, 3, 4, 5, UNWRITTEN]);
  });

  it("claims its retry part first, and each part's items land in their own words", () => {
    const j = job(3);
    j.args.set([10, 11, 12, 13, 14, 15, 16]);
    const order: number[] = [];
    const kernel = (x: number) => { order.push(x); return x * x; };
    executeTask({ kernel }, j.memory, batchTask("kernel", 7, 3, 1, { retry: [2] }));
    expect(order).toEqual([16, 10, 11, 12, 13, 14, 15]);
    expect([...j.results.subarray(0, 7)]).toEqual([100, 121, 144, 169, 196, 225, 256]);
  });
});

describe("batch tasks: cancellation every 256 items", () => {
  it("a cancel set by item 10 of a 600-item part stops it after item 255", () => {
    const j = job(1);
    j.args.set(Array.from({ length: 600 }, (_, i) => i));
    const kernel = (x: number) => { if (x === 10) j.ctl[CANCEL] = 1; return 2 * x; };
    expect(executeTask({ kernel }, j.memory, batchTask("kernel", 600, 600, 1, { lane: 2 }))).toStrictEqual({ parts: 0 });
    expect([j.results[255], j.results[256], j.state(0), j.ctl[DONE]]).toEqual([510, UNWRITTEN, CLAIMED + 2, 0]);
  });

  it("a cancel set inside a part of exactly 256 items lets the part finish", () => {
    const j = job(2);
    j.args.set(Array.from({ length: 512 }, (_, i) => i));
    const kernel = (x: number) => { if (x === 10) j.ctl[CANCEL] = 1; return 2 * x; };
    expect(executeTask({ kernel }, j.memory, batchTask("kernel", 512, 256, 1))).toStrictEqual({ parts: 1 });
    expect([j.results[255], j.results[256], j.state(0), j.state(1)]).toEqual([510, UNWRITTEN, PART_DONE, 0]);
  });

  it("failFast: false: a cancel set by item 10 of a 600-item part stops it after item 255", () => {
    const j = job(1);
    j.args.set(Array.from({ length: 600 }, (_, i) => i));
    const kernel = (x: number) => { if (x === 10) j.ctl[CANCEL] = 1; return 2 * x; };
    expect(executeTask({ kernel }, j.memory, batchTask("kernel", 600, 600, 1, { failed: FAILED }))).toStrictEqual({ parts: 0 });
    expect([j.results[255], j.results[256], j.ctl[DONE]]).toEqual([510, UNWRITTEN, 0]);
  });
});

describe("batch tasks: traps", () => {
  const throwsAt = (bad: number[]) => (x: number) => {
    if (bad.includes(x)) throw new Error(`bad ${x}`);
    return x + 0.5;
  };

  it("a throwing item fails its part: the trap names the item counted from firstItem, and the job is cancelled", async () => {
    const j = job(3);
    j.args.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const result = executeTask({ kernel: throwsAt([5]) }, j.memory, batchTask("kernel", 10, 4, 1, { firstItem: 100 }));
    expect(result).toStrictEqual({ trap: "bad 5 (item 105)", part: 1, stack: expect.stringContaining("bad 5"), errorName: "Error", errorMessage: "bad 5" });
    expect([...j.results.subarray(0, 7)]).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, UNWRITTEN, UNWRITTEN]);
    expect([j.ctl[CANCEL], j.state(1), j.state(2), j.ctl[DONE]]).toEqual([1, CLAIMED, 0, 1]);
  });

  it("without firstItem the trap names the task's own item index", () => {
    const j = job(3);
    j.args.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(executeTask({ kernel: throwsAt([9]) }, j.memory, batchTask("kernel", 10, 4, 1))).toMatchObject({ trap: "bad 9 (item 9)", part: 2 });
  });

  it("a kernel that returns an i64 fails its item with the i64 message", () => {
    const j = job(1);
    expect(executeTask({ kernel: () => 5n }, j.memory, batchTask("kernel", 2, 2, 0))).toMatchObject({
      trap: "the kernel returned an i64 (5n); kernels return f64 or i32 (an i64 would be rounded to a double) (item 0)", part: 0, errorName: "TypeError",
    });
  });

  it("a trap in the first part wakes a waiter on DONE", async () => {
    const j = job(2);
    const woken = notified(j.ctl, DONE, 0);
    executeTask({ kernel: throwsAt([0]) }, j.memory, batchTask("kernel", 4, 2, 1));
    expect(await woken).toBe("ok");
  });

  it("failFast: false: a throwing item gets NaN and a failed flag, is listed with its trap, and its part goes on", () => {
    const j = job(2);
    j.args.set([0, 1, 2, 3, 4, 5]);
    const result = executeTask({ kernel: throwsAt([1, 4]) }, j.memory, batchTask("kernel", 6, 3, 1, { failed: FAILED, firstItem: 20 }));
    const failure = (i: number) => ({ trap: `bad ${i} (item ${20 + i})`, part: i, stack: expect.stringContaining(`bad ${i}`), errorName: "Error", errorMessage: `bad ${i}` });
    expect(result).toStrictEqual({ parts: 2, failures: [failure(1), failure(4)] });
    expect([...j.results.subarray(0, 6)]).toEqual([0.5, NaN, 2.5, 3.5, NaN, 5.5]);
    expect([...j.failed.subarray(0, 6)]).toEqual([0, 1, 0, 0, 1, 0]);
    expect([j.ctl[CANCEL], j.ctl[DONE]]).toEqual([0, 2]);
  });

  it("failFast: false: item i of arity 2 gets words 2i and 2i + 1", () => {
    const j = job(2);
    j.args.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const kernel = (a: number, b: number) => 10 * a + b;
    expect(executeTask({ kernel }, j.memory, batchTask("kernel", 4, 2, 2, { failed: FAILED }))).toStrictEqual({ parts: 2 });
    expect([...j.results.subarray(0, 4)]).toEqual([12, 34, 56, 78]);
  });

  it("failFast: false without firstItem names the task's own item; a task with no failures has no failures field", () => {
    const j = job(2);
    j.args.set([0, 1, 2, 3, 4, 5]);
    expect(executeTask({ kernel: throwsAt([3]) }, j.memory, batchTask("kernel", 6, 3, 1, { failed: FAILED }))).toMatchObject({ failures: [{ trap: "bad 3 (item 3)", part: 3 }] });
    const k = job(2);
    expect(executeTask({ kernel: throwsAt([]) }, k.memory, batchTask("kernel", 6, 3, 1, { failed: FAILED }))).toStrictEqual({ parts: 2 });
  });

  it("failFast: false on a cancelled ticket returns cancelled", () => {
    const j = job(2);
    j.ticket[0] = 2;
    expect(executeTask({ kernel: throwsAt([0]) }, j.memory, batchTask("kernel", 6, 3, 1, { failed: FAILED }))).toStrictEqual({ cancelled: true });
  });
});

describe("range and call traps", () => {
  it("a range kernel's trap names its part and leaves the part claimed, not done", () => {
    const j = job(3);
    const kernel = (start: number) => { if (start === 4) throw new Error("no good"); return 1; };
    const spec = { scheme: "block", start: 0, end: 12, parts: 3, blockSize: 4 } as const;
    expect(executeTask({ kernel }, j.memory, rangeTask(spec, "kernel", { lane: 4 }))).toMatchObject({ trap: "no good", part: 1, errorName: "Error" });
    expect([j.state(1), j.state(2), j.ctl[CANCEL], j.ctl[DONE]]).toEqual([CLAIMED + 4, 0, 1, 1]);
  });

  it("a trap in a retry part is reported with that part", () => {
    const j = job(3);
    const kernel = (start: number) => { if (start === 8) throw new Error("late"); return 1; };
    const spec = { scheme: "block", start: 0, end: 12, parts: 3, blockSize: 4 } as const;
    expect(executeTask({ kernel }, j.memory, rangeTask(spec, "kernel", { retry: [2] }))).toMatchObject({ trap: "late", part: 2 });
  });

  it("a thrown non-Error is reported as its string, with no stack or error name", () => {
    const j = job(0);
    expect(executeTask({ k: () => { throw "plain text"; } }, j.memory, { kind: "call", kernel: "k", args: [] })).toStrictEqual({ trap: "plain text", part: 0 });
  });

  it("a call's trap reports part 0 with the error's class and message", () => {
    const j = job(0);
    const result = executeTask({ k: () => { throw new TypeError("wrong"); } }, j.memory, { kind: "call", kernel: "k", args: [] });
    expect(result).toStrictEqual({ trap: "wrong", part: 0, stack: expect.stringContaining("TypeError: wrong"), errorName: "TypeError", errorMessage: "wrong" });
  });
});

describe("private-range tasks", () => {
  const spec = { scheme: "block", start: 0, end: 20, parts: 5, blockSize: 4 } as const;
  const OUT = 4096;

  it("grows the memory to memoryBytes, copies the inputs in, and returns its parts' partials and output bytes", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    // kernel: Σ (i² + input word) over the block, and the block's first byte as its part's output byte
    const kernel = (start: number, end: number) => {
      const input = new Float64Array(memory.buffer, 40_000, 1)[0]!;
      new Uint8Array(memory.buffer, OUT + start / 4, 1)[0] = 200 + start;
      return sumSquares(start, end) + input * (end - start);
    };
    const result = executeTask({ kernel }, memory, {
      kind: "private-range", kernel: "kernel", args: [], spec, combine: "sum", first: 1, count: 3,
      memoryBytes: 2 * 65536 + 1, inputs: [{ offset: 40_000, bytes: new Uint8Array(new Float64Array([0.5]).buffer) }],
      outputs: [{ offset: OUT, bytesPerPart: 1 }],
    });
    expect(memory.buffer.byteLength).toBe(3 * 65536);
    expect(result).toStrictEqual({
      partials: new Float64Array([sumSquares(4, 8) + 2, sumSquares(8, 12) + 2, sumSquares(12, 16) + 2]),
      outputs: [new Uint8Array([204, 208, 212])],
    });
  });

  it("runs exactly its count of parts, and returns copies of their two-byte output slots", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const calls: number[] = [];
    // part p (block [4p, 4p + 4)) writes bytes p + 10 and p + 20 into its slot
    const kernel = (start: number) => {
      calls.push(start);
      new Uint8Array(memory.buffer, OUT + (start / 4) * 2, 2).set([start / 4 + 10, start / 4 + 20]);
      return start;
    };
    const result = executeTask({ kernel }, memory, { kind: "private-range", kernel: "kernel", args: [], spec, combine: "sum", first: 1, count: 2, memoryBytes: 65536, outputs: [{ offset: OUT, bytesPerPart: 2 }] });
    new Uint8Array(memory.buffer, OUT, 16).fill(0);
    expect(calls).toEqual([4, 8]);
    expect(result).toStrictEqual({ partials: new Float64Array([4, 8]), outputs: [new Uint8Array([11, 21, 12, 22])] });
  });

  it("leaves a memory already larger than memoryBytes as it is", () => {
    const memory = new WebAssembly.Memory({ initial: 3, maximum: 16, shared: true });
    const result = executeTask({ kernel: sumSquares }, memory, { kind: "private-range", kernel: "kernel", args: [], spec, combine: "sum", first: 0, count: 1, memoryBytes: 65536, outputs: [] });
    expect(result).toStrictEqual({ partials: new Float64Array([sumSquares(0, 4)]), outputs: [] });
    expect(memory.buffer.byteLength).toBe(3 * 65536);
  });

  it("a trap names the pool's part number, first + i", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const kernel = (start: number) => { if (start === 12) throw new Error("at 12"); return 0; };
    const result = executeTask({ kernel }, memory, { kind: "private-range", kernel: "kernel", args: [], spec, combine: "sum", first: 2, count: 3, memoryBytes: 65536, outputs: [] });
    expect(result).toMatchObject({ trap: "at 12", part: 3 });
  });
});

describe("runRangeInline", () => {
  it("runs every part in order into a plain array of partials, passing the arguments after the block", () => {
    const calls: number[][] = [];
    const kernel = (start: number, end: number, k: number) => { calls.push([start, end, k]); return k * sumSquares(start, end); };
    const spec = { scheme: "block-cyclic", start: 0, end: 10, parts: 2, blockSize: 3 } as const;
    const out = runRangeInline({ kernel }, { kernel: "kernel", spec, args: [3], combine: "sum" });
    expect(out).toStrictEqual(new Float64Array([3 * (sumSquares(0, 3) + sumSquares(6, 9)), 3 * (sumSquares(3, 6) + sumSquares(9, 10))]));
    expect(calls).toEqual([[0, 3, 3], [6, 9, 3], [3, 6, 3], [9, 10, 3]]);
  });

  it("returns the first trap with its part", () => {
    const kernel = (start: number) => { if (start >= 6) throw new Error(`block ${start}`); return 1; };
    const spec = { scheme: "block", start: 0, end: 12, parts: 4, blockSize: 3 } as const;
    expect(runRangeInline({ kernel }, { kernel: "kernel", spec, args: [], combine: "sum" })).toMatchObject({ trap: "block 6", part: 2 });
  });
});

describe("kernel lookup", () => {
  const exports = { a: () => 1, b: () => 2, __hidden: () => 3, memory: new WebAssembly.Memory({ initial: 1 }), n: 5 };

  it("kernelNames lists the exported functions, not those starting with __, nor other exports", () => {
    expect(kernelNames(exports)).toEqual(["a", "b"]);
  });

  it("kernelFunction returns the export of that name", () => {
    expect(kernelFunction(exports, "b")).toBe(exports.b);
  });

  it("kernelFunction refuses a missing name or a non-function, listing the kernels", () => {
    expectError(() => kernelFunction(exports, "c"), 'the module exports no kernel named "c"; it exports: a, b');
    expectError(() => kernelFunction(exports, "memory"), 'the module exports no kernel named "memory"; it exports: a, b');
  });

  it("a task naming a missing kernel throws the lookup's error", () => {
    const j = job(1);
    expectError(() => executeTask(exports, j.memory, { kind: "call", kernel: "zz", args: [] }), 'the module exports no kernel named "zz"; it exports: a, b');
  });

  it("the pool's two warm-up kernels add and subtract, the second argument defaulting to 0", () => {
    expect(PATH_WARM_UP_KERNELS).toEqual(["__wasmMpPathWarmUpAdd", "__wasmMpPathWarmUpSub"]);
    const add = kernelFunction({}, "__wasmMpPathWarmUpAdd");
    const sub = kernelFunction({}, "__wasmMpPathWarmUpSub");
    expect([add(2, 3), add(4), sub(9, 3), sub(4)]).toEqual([5, 4, 6, 4]);
  });
});
