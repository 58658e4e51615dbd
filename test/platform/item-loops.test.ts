/**
 * The batch item loops (src/platform/item-loops.ts), in the test's own thread: every call shape
 * gives each item its own arguments and result slot, and a throw names its item with the
 * results before it kept. (Their warm-up changes only V8's tiers: its effect is the
 * "firstcall" benchmark, not a test.)
 */
import { describe, expect, it } from "vitest";
import { ItemTrap, runItems, warmUpItemLoops } from "../../dist/platform/item-loops.js";

/** Item i's arguments: 10·i + k for k < arity. */
function argsFor(items: number, arity: number): Float64Array {
  return Float64Array.from({ length: items * arity }, (_, j) => 10 * Math.floor(j / arity) + (j % arity));
}

describe("the batch item loops", () => {
  for (const arity of [0, 1, 2, 3, 4, 5, 7]) {
    it(`arity ${arity}: items [from, to) get the sum of their own arguments, the rest untouched`, () => {
      const a = argsFor(6, arity);
      const out = new Float64Array(6).fill(-1);
      const sum = (...xs: number[]): number => xs.length * 1000 + xs.reduce((s, x) => s + x, 0);
      runItems(sum, a, out, arity, 1, 5);
      const want = [-1, ...[1, 2, 3, 4].map((i) => arity * 1000 + Array.from({ length: arity }, (_, k) => 10 * i + k).reduce((s, x) => s + x, 0)), -1];
      expect(Array.from(out)).toEqual(want);
    });

    it(`arity ${arity}: a throw at item 3 is an ItemTrap naming item 3 with the thrown error; items 1 and 2 keep their results`, () => {
      const a = argsFor(6, arity);
      const out = new Float64Array(6);
      const boom = new Error("boom");
      let calls = 0;
      const fn = (): number => {
        if (++calls === 3) throw boom;
        return calls;
      };
      let caught: unknown;
      try {
        runItems(fn, a, out, arity, 1, 6);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ItemTrap);
      expect((caught as ItemTrap).item).toBe(3);
      expect((caught as ItemTrap).error).toBe(boom);
      expect(Array.from(out)).toEqual([0, 1, 2, 0, 0, 0]);
    });
  }

  it("a result that is no number (an i64 kernel's BigInt) is an ItemTrap at its item, naming the i64", () => {
    const out = new Float64Array(3);
    let caught: unknown;
    try {
      runItems((x: number) => (x === 1 ? 5n : x) as unknown as number, Float64Array.of(0, 1, 2), out, 1, 0, 3);
    } catch (e) {
      caught = e;
    }
    expect((caught as ItemTrap).item).toBe(1);
    expect(String((caught as ItemTrap).error)).toMatch(/the kernel returned an i64 \(5n\)/);
  });

  it("the warm-up calls no kernel but its own, and leaves the loops working for any kernel", () => {
    warmUpItemLoops();
    const out = new Float64Array(2);
    runItems((x: number, y: number) => x * y, Float64Array.of(2, 3, 4, 5), out, 2, 0, 2);
    expect(Array.from(out)).toEqual([6, 20]);
  });
});
