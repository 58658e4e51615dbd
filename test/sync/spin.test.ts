/**
 * The adaptive poll of blocking Event and Condition waits (src/sync/spin.ts): how the budget
 * moves. (That a wait never misses a wake-up whatever the budget is what the primitives' own
 * tests check.)
 */
import { describe, expect, it } from "vitest";
import { MAX_WAKE_SPINS, MIN_WAKE_SPINS, Spinner } from "../../dist/sync/spin.js";

const word = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));
const still = (s: Spinner, w: Int32Array): boolean => s.poll(w, 0, 0); // the word holds 0: never changes
const moved = (s: Spinner, w: Int32Array): boolean => s.poll(w, 0, 1); // the word is not 1: changed

describe("Spinner", () => {
  it("starts at the full budget and halves it after each poll that saw nothing, down to the floor", () => {
    const s = new Spinner(), w = word();
    expect(s.budget).toBe(MAX_WAKE_SPINS);
    const seen: number[] = [];
    for (let i = 0; i < 9; i++) {
      expect(still(s, w)).toBe(false);
      seen.push(s.budget);
    }
    expect(seen).toEqual([10000, 5000, 2500, 1250, 625, 312, 156, 78, 64]);
    expect(MIN_WAKE_SPINS).toBe(64);
  });

  it("doubles the budget after a poll that saw the change, up to the full budget", () => {
    const s = new Spinner(), w = word();
    for (let i = 0; i < 3; i++) still(s, w); // 2500
    expect(moved(s, w)).toBe(true);
    expect(s.budget).toBe(5000);
    for (let i = 0; i < 5; i++) moved(s, w);
    expect(s.budget).toBe(MAX_WAKE_SPINS);
  });

  it("at the floor, probes with the full budget, less often after each probe that fails", () => {
    const s = new Spinner(), w = word();
    for (let i = 0; i < 9; i++) still(s, w);
    expect(s.budget).toBe(MIN_WAKE_SPINS);
    // which polls are probes: a probe that sees the change restores the full budget, a plain
    // poll at the floor only doubles it; so probe each poll position on a copy of the state
    const isProbe = (polls: number): boolean => {
      const t = new Spinner();
      for (let i = 0; i < 9; i++) still(t, w);
      for (let i = 0; i < polls; i++) still(t, w);
      moved(t, w);
      return t.budget === MAX_WAKE_SPINS;
    };
    const probes = Array.from({ length: 16 }, (_, k) => k).filter(isProbe);
    // the first at once, then 2, 4, 8 polls after each failed one
    expect(probes).toEqual([0, 2, 6, 14]);
    expect(s.budget).toBe(MIN_WAKE_SPINS);
  });

  it("a probe that sees the change brings back the full budget and probes at every visit to the floor", () => {
    const s = new Spinner(), w = word();
    for (let i = 0; i < 9 + 2; i++) still(s, w); // the floor; the probe at 0 failed, poll 1 plain
    expect(moved(s, w)).toBe(true); // poll 2: a probe
    expect(s.budget).toBe(MAX_WAKE_SPINS);
    for (let i = 0; i < 9; i++) still(s, w); // back at the floor
    expect(s.budget).toBe(MIN_WAKE_SPINS);
    moved(s, w); // the next poll is a probe again (gap 1)
    expect(s.budget).toBe(MAX_WAKE_SPINS);
  });
});
