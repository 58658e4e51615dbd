/**
 * The classic programs of examples/classics, rewritten with wasm-mp/sync, checked against plain
 * references and invariants written here: each example's function returns what it observed in
 * shared memory, and the tests judge it. Then each script is run as a user runs it.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/asc.js";
// the examples are plain JS (what a user writes); each exports its program as a function
import { producerConsumer } from "../../examples/classics/producer-consumer.mjs";
import { diningPhilosophers } from "../../examples/classics/dining-philosophers.mjs";
import { barrierMax } from "../../examples/classics/barrier-max.mjs";
import { startSignal } from "../../examples/classics/start-signal.mjs";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("producer–consumer on a JoinableQueue", () => {
  it("consumes every item exactly once, with several producers and consumers on a small queue", async () => {
    const r = await producerConsumer({ producers: 3, consumers: 4, perProducer: 250, capacity: 4, workUs: 20 });
    expect(r.seen).toEqual(new Array(750).fill(1));
    expect(r.put).toEqual([250, 250, 250]);
    expect(r.taken.reduce((a: number, b: number) => a + b, 0)).toBe(750);
  });

  it("resolves join() only after every taskDone()", async () => {
    // consumers count an item done before its taskDone(): a join that resolved early would see fewer
    const r = await producerConsumer({ producers: 2, consumers: 2, perProducer: 100, capacity: 8, workUs: 500 });
    expect(r.doneAtJoin).toBe(200);
    expect(r.unfinishedAfter).toBe(0);
  });
});

describe("dining philosophers with a waiter (a Condition)", () => {
  it("every philosopher eats every meal, and no two neighbours ever eat at once", async () => {
    const r = await diningPhilosophers({ philosophers: 5, meals: 15, eatMs: 1, thinkMs: 0 });
    expect(r.returned).toEqual([15, 15, 15, 15, 15]);
    expect(r.meals).toEqual([15, 15, 15, 15, 15]);
    expect(r.clashes).toBe(0);
    expect(r.mostAtOnce).toBeGreaterThanOrEqual(1);
    expect(r.mostAtOnce).toBeLessThanOrEqual(2); // ⌊5/2⌋ seats have both forks free at once
    expect(r.forks).toEqual([0, 0, 0, 0, 0]);
  });

  it("with two philosophers (both share both forks) only one eats at a time", async () => {
    const r = await diningPhilosophers({ philosophers: 2, meals: 15, eatMs: 1, thinkMs: 0 });
    expect(r.meals).toEqual([15, 15]);
    expect(r.clashes).toBe(0);
    expect(r.mostAtOnce).toBe(1);
  });
});

/** The values of barrier-max.ts, written again: a 32-bit integer hash of (round, i). */
function value(round: number, i: number): number {
  let h = (Math.imul(i, 0x9e3779b1) ^ Math.imul(round, 0x85ebca77)) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}

describe("a barrier whose action reduces a global maximum (AssemblyScript parties)", () => {
  it("each round's global maximum equals a plain serial maximum, and every party sees it", async () => {
    const parties = 3, n = 10_007, rounds = 25; // 10 007 = 3·3335 + 2: slices of unequal sizes
    const r = await barrierMax({ parties, n, rounds });
    const serial = range(rounds).map((round) => range(n).reduce((m, i) => Math.max(m, value(round, i)), 0));
    expect(r.completed).toEqual([rounds, rounds, rounds]);
    expect(r.maxima).toEqual(serial);
    expect(r.seen).toEqual(serial.map((m) => [m, m, m]));
  });

  it("gives each party of a round a distinct arrival index 0 … parties−1", async () => {
    const r = await barrierMax({ parties: 4, n: 1000, rounds: 30 });
    for (const round of r.indices) expect([...round].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe("an Event as a start signal (AssemblyScript workers)", () => {
  it("no worker starts before set(); all start after it, having seen what was written before it", async () => {
    const r = await startSignal({ workers: 5, holdMs: 100 });
    expect(r.startedBeforeSet).toBe(0);
    expect(r.isSetBefore).toBe(false);
    expect(r.started).toBe(5);
    expect(r.starts).toEqual([1, 1, 1, 1, 1]);
    expect(r.answers).toEqual([1, 1, 1, 1, 1]);
  });
});

describe("the scripts, run as a user runs them", () => {
  const run = promisify(execFile);
  for (const [name, last] of [
    ["producer-consumer", "join() resolved only after every taskDone()"],
    ["dining-philosophers", "every philosopher ate every meal, never beside an eating neighbour"],
    ["barrier-max", "every round's global max equals the serial max, and every party saw it"],
    ["start-signal", "none started before the signal; all started after it"],
  ] as const) {
    it(`node examples/classics/${name}.mjs prints its result and exits by itself`, async () => {
      const { stdout } = await run(process.execPath, [join(ROOT, `examples/classics/${name}.mjs`)], { cwd: ROOT, timeout: 50_000 });
      expect(stdout.trim().split("\n").at(-1)).toBe(last);
    });
  }
});
