import { describe, expect, it } from "vitest";
import { fromBitsHex, primesUpTo, serialHeat } from "./known-answers.js";

describe("known answers", () => {
  it("the plain sieve gives the published π(x) and prime sums", () => {
    expect(primesUpTo(100)).toEqual({ count: 25, sum: 1060n, last: 97 });
    expect(primesUpTo(2e6).sum).toBe(142913828922n); // Σ p < 2·10⁶ (Project Euler 10)
    expect(primesUpTo(1e7).count).toBe(664579); // π(10⁷)
  });

  it("the serial heat solve keeps a symmetric plate symmetric and converges", () => {
    const r = serialHeat(10, 100, 1e-6, 100_000);
    expect(r.converged).toBe(true);
    expect(r.centre).toBeGreaterThan(0);
    expect(r.centre).toBeLessThan(25); // the top edge is one of four: the centre of a square plate is 25 at most
    expect(serialHeat(4, 100, 0, 3).iterations).toBe(3);
  });

  it("reads back bitsHex", () => {
    const bytes = new Uint8Array(new Float64Array([Math.PI, -0.5]).buffer);
    expect(fromBitsHex(Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""))).toEqual([Math.PI, -0.5]);
  });
});
