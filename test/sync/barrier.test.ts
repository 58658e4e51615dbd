import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_DEMOS, within } from "./fixture.js";
import { InvalidArgumentError, createPool, type Pool } from "../../dist/index.js";
import { Barrier, BARRIER_WORDS, BrokenBarrierError } from "../../dist/sync-entry.js";

const BARRIER_MODULE = new URL("../../dist/sync/barrier.js", import.meta.url).href;

/**
 * Runs `body` in a new worker thread with `Barrier` imported and `words` (the barrier's
 * Int32Array) and `data` in scope; resolves with what body returns.
 */
function inThread(words: Int32Array, body: string, data: unknown = null): Promise<unknown> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(${JSON.stringify(BARRIER_MODULE)}).then(({ Barrier }) => {
      const { buffer, offset, data } = workerData;
      const words = new Int32Array(buffer, offset, ${BARRIER_WORDS});
      return (() => { ${body} })();
    }).then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage(e.name === "BrokenBarrierError" ? "broken: " + e.reason : String(e)));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { buffer: words.buffer, offset: words.byteOffset, data } });
    worker.once("message", (m) => { resolve(m); void worker.terminate(); });
    worker.once("error", reject);
  });
}

function sharedWords(extra = 0): Int32Array {
  return new Int32Array(new SharedArrayBuffer((BARRIER_WORDS + extra) * 4));
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 2, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

describe("Barrier (JS)", () => {
  it("releases no party before every party has arrived, round after round", async () => {
    const rounds = 200;
    const parties = 3;
    const words = sharedWords(rounds);
    new Barrier(words.subarray(0, BARRIER_WORDS)).init(parties);
    // each party counts its arrival for the round, waits, then checks that all have counted
    const body = `
      const barrier = new Barrier(words);
      const arrivals = new Int32Array(buffer, offset + ${BARRIER_WORDS * 4}, data.rounds);
      let early = 0;
      for (let r = 0; r < data.rounds; r++) {
        Atomics.add(arrivals, r, 1);
        barrier.wait(10000);
        if (Atomics.load(arrivals, r) !== data.parties) early++;
      }
      return early;`;
    const results = await Promise.all(Array.from({ length: parties }, () => inThread(words, body, { rounds, parties })));
    expect(results).toEqual([0, 0, 0]);
    expect(new Barrier(words).generation).toBe(rounds);
  });

  it("times out with a BrokenBarrierError (\"timed-out\") and stays broken, so later waits throw at once", async () => {
    const barrier = new Barrier(sharedWords()).init(2);
    await expect(barrier.waitAsync(20)).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
    await expect(barrier.waitAsync()).rejects.toMatchObject({ reason: "timed-out" });
  });

  it("tells the other parties of a timeout: they throw \"timed-out\" instead of waiting on", async () => {
    const words = sharedWords();
    const barrier = new Barrier(words).init(3);
    const patient = inThread(words, "return new Barrier(words).wait();");
    await expect(barrier.waitAsync(30)).rejects.toMatchObject({ reason: "timed-out" });
    expect(await within(patient, 5000, "a JS party of a barrier broken by a timeout")).toBe("broken: timed-out");
  });

  it("abort breaks every waiting party (\"aborted\"), until the next init", async () => {
    const words = sharedWords();
    const barrier = new Barrier(words).init(3);
    const waiting = [inThread(words, "return new Barrier(words).wait();"), inThread(words, "return new Barrier(words).wait();")];
    while (Atomics.load(words, 0) < 2) await new Promise((r) => setTimeout(r, 1)); // both have arrived
    barrier.abort();
    expect(await within(Promise.all(waiting), 5000, "2 JS parties of an aborted barrier")).toEqual(["broken: aborted", "broken: aborted"]);
    expect(() => barrier.wait(0)).toThrow("the barrier is broken (aborted)");
    barrier.init(1);
    expect(barrier.wait(0)).toBe(0);
  });

  it("a party arriving while a reset waits for a party that never leaves (a dead worker) times out, leaving the barrier as it is", async () => {
    const words = sharedWords();
    const barrier = new Barrier(words).init(2);
    const wait = inThread(words, "return new Barrier(words).wait(10000);");
    while (barrier.nWaiting < 1) await new Promise((r) => setTimeout(r, 1));
    Atomics.add(words, 0, 1); // a second party counted in the round that never leaves: as if its worker died
    barrier.reset(); // the live party leaves broken; the "dead" one keeps the reset from settling
    expect(await within(wait, 5000, "the live party broken by the reset")).toBe("broken: reset");
    await expect(within(barrier.waitAsync(30), 5000, "a party arriving during the unsettled reset")).rejects.toMatchObject({ reason: "timed-out" });
    expect(barrier.broken).toBe(false);
  });

  it("rejects a party count below 1 and a view that is too short or not shared", () => {
    expect(() => new Barrier(sharedWords()).init(0)).toThrow(InvalidArgumentError);
    expect(() => new Barrier(sharedWords()).init(0)).toThrow(/^parties must be an integer from 1 to 65535/);
    expect(() => new Barrier(new Int32Array(new SharedArrayBuffer(8)))).toThrow(/^words must be an Int32Array of at least 16 words/);
    expect(() => new Barrier(new Int32Array(BARRIER_WORDS))).toThrow(InvalidArgumentError);
  });

  it("takes shared memory where the SharedArrayBuffer global is hidden (a page that is not cross-origin isolated)", () => {
    const words = new Int32Array(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer, 0, BARRIER_WORDS);
    const global = Object.getOwnPropertyDescriptor(globalThis, "SharedArrayBuffer")!;
    delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
    try {
      expect(new Barrier(words).init(1).parties).toBe(1);
      expect(() => new Barrier(new Int32Array(BARRIER_WORDS))).toThrow(InvalidArgumentError);
    } finally {
      Object.defineProperty(globalThis, "SharedArrayBuffer", global);
    }
  });
});

describe("Barrier (wasm kernels, the same words)", () => {
  it("lets kernels on two workers and the main thread meet, round after round", async () => {
    const barrier = new Barrier(pool.alloc(Int32Array, BARRIER_WORDS)).init(3);
    try {
      for (let round = 1; round <= 20; round++) {
        const kernels = [0, 1].map(() => pool.apply("barrierWait", [barrier.byteOffset, 10_000]));
        const index = await barrier.waitAsync(10_000);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(3);
        expect(await within(Promise.all(kernels), 10_000, `2 kernel parties in round ${round}`)).toEqual([0, 0]);
        expect(barrier.generation).toBe(round);
      }
    } finally {
      pool.free(barrier.words);
    }
  });

  it("returns 1 from a kernel whose wait times out, and breaks the barrier for JS parties", async () => {
    const barrier = new Barrier(pool.alloc(Int32Array, BARRIER_WORDS)).init(2);
    try {
      expect(await pool.apply("barrierWait", [barrier.byteOffset, 20])).toBe(1);
      expect(await pool.apply("barrierState", [barrier.byteOffset])).toBe(1);
      await expect(barrier.waitAsync()).rejects.toMatchObject({ reason: "timed-out" });
    } finally {
      pool.free(barrier.words);
    }
  });

  it("returns 2 from a waiting kernel when JS aborts the barrier", async () => {
    const barrier = new Barrier(pool.alloc(Int32Array, BARRIER_WORDS)).init(2);
    try {
      const waiting = pool.apply("barrierWait", [barrier.byteOffset, -1]);
      while (Atomics.load(barrier.words, 0) < 1) await new Promise((r) => setTimeout(r, 1)); // it has arrived
      barrier.abort();
      expect(await within(waiting, 5000, "a kernel party of an aborted barrier")).toBe(2);
    } finally {
      pool.free(barrier.words);
    }
  });

  it("barrierInit from a kernel sets up a barrier that JS parties use", async () => {
    const barrier = new Barrier(pool.alloc(Int32Array, BARRIER_WORDS));
    try {
      await pool.apply("barrierInit", [barrier.byteOffset, 1]);
      expect(barrier.parties).toBe(1);
      expect(barrier.broken).toBe(false);
      expect(barrier.wait(0)).toBe(0);
      expect(barrier.generation).toBe(1);
    } finally {
      pool.free(barrier.words);
    }
  });
});
