/**
 * The wire format's numbers: every double, -0, NaN and ±Infinity included, comes back with the
 * same bits after encodeNumber → JSON → decodeNumber; anything else is refused.
 */
import { describe, expect, it } from "vitest";
import { blockSubSpec, decodeNumber, encodeNumber } from "../../dist/cluster/wire.js";
import { forEachBlockReference } from "./partition-reference.js";

const roundTrip = (v: number): number => decodeNumber(JSON.parse(JSON.stringify(encodeNumber(v))));
const bits = (v: number): bigint => new BigUint64Array(new Float64Array([v]).buffer)[0]!;

describe("numbers across the wire", () => {
  it("keeps -0, NaN, ±Infinity, the extremes and integer counts past 2^53", () => {
    for (const v of [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 - 1, 2 ** 53 + 2, 1e21, 0.1, 1 / 3]) {
      expect(Object.is(roundTrip(v), v), String(v)).toBe(true);
    }
    expect(encodeNumber(5761455)).toBe("5761455"); // counts are plain decimals
  });

  it("keeps the bits of 100 000 doubles drawn from random bit patterns", () => {
    const words = new Uint32Array(2);
    const view = new Float64Array(words.buffer);
    let seed = 0x9e3779b9;
    const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (let i = 0; i < 100_000; i++) {
      words[0] = next();
      words[1] = next();
      const v = view[0]!;
      if (Number.isNaN(v)) continue; // NaN payloads are not kept: every NaN is NaN
      expect(bits(roundTrip(v))).toBe(bits(v));
    }
  });

  it("refuses what it did not write", () => {
    for (const t of ["", " 1", "1 ", "nan", "0x10", "abc", 1, null]) expect(() => decodeNumber(t)).toThrow(TypeError);
  });
});

describe("a part-job's sub-range of a block partition", () => {
  it("has the blocks of the parts it covers, the last one cut at the range's end", () => {
    const spec = { scheme: "block" as const, start: 7, end: 1007, parts: 10, blockSize: 100 };
    const sub = blockSubSpec(spec, 8, 2);
    expect(sub).toEqual({ scheme: "block", start: 807, end: 1007, parts: 2, blockSize: 100 });
    const whole = forEachBlockReference(spec);
    expect(forEachBlockReference(sub)).toEqual(whole.slice(8, 10));
    const odd = { scheme: "block" as const, start: 0, end: 950, parts: 10, blockSize: 100 };
    expect(forEachBlockReference(blockSubSpec(odd, 3, 7))).toEqual(forEachBlockReference(odd).slice(3));
  });
});
