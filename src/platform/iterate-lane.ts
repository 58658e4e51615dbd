/**
 * One lane of an iterate job, run in a worker as one long task: step, meet the other lanes at
 * the barrier, and let the last one to arrive reduce the lanes' values in lane order (the same
 * bits whichever lane that is) and decide whether to go on. No message per step: everything
 * goes through the block (iterate-block.ts).
 */
import { numberOf } from "../kernels/result.js";
import { IterateReduce, IterateStatus, IterateWord, SLOTS_BYTE, VALUE_BYTE } from "./iterate-block.js";

export interface IterateTaskFields {
  kernel: string;
  /** Arguments after (lane, lanes, iteration). */
  args: number[];
  lane: number;
  lanes: number;
  /** Byte offset of the block. */
  block: number;
  maxIterations: number;
  /** IterateReduce code. */
  reduce: number;
  /** Stop when the reduced value is below (mode 0) or above (mode 1) `threshold`; mode -1: never. */
  untilMode: number;
  threshold: number;
  checkEvery: number;
  barrierTimeoutMs: number;
}

/** Spins before sleeping at the barrier: a step of a few µs should not pay for a sleep. */
const SPINS = 2000;

/** Runs the lane; returns the steps it completed, or throws what the kernel threw. */
export function runIterateLane(step: (...a: number[]) => unknown, memory: WebAssembly.Memory, t: IterateTaskFields): number {
  const words = new Int32Array(memory.buffer, t.block, 4);
  const slots = new Float64Array(memory.buffer, t.block + SLOTS_BYTE, t.lanes);
  const value = new Float64Array(memory.buffer, t.block + VALUE_BYTE, 1);
  const { lane, lanes, args } = t;
  for (let it = 0; ; it++) {
    if (Atomics.load(words, IterateWord.STATUS) !== IterateStatus.RUNNING) return it;
    const generation = Atomics.load(words, IterateWord.GENERATION);
    let v: number;
    try {
      v = numberOf(step(lane, lanes, it, ...args));
    } catch (e) {
      Atomics.compareExchange(words, IterateWord.STATUS, IterateStatus.RUNNING, IterateStatus.TRAPPED);
      Atomics.add(words, IterateWord.GENERATION, 1);
      Atomics.notify(words, IterateWord.GENERATION);
      throw e;
    }
    slots[lane] = v;
    if (Atomics.add(words, IterateWord.ARRIVED, 1) === lanes - 1) {
      // the last to arrive: every slot of this step is written (each before its Atomics.add)
      let r = slots[0]!;
      for (let k = 1; k < lanes; k++) {
        const s = slots[k]!;
        r = t.reduce === IterateReduce.sum ? r + s : t.reduce === IterateReduce.min ? (s < r || s !== s ? s : r) : (s > r || s !== s ? s : r);
      }
      value[0] = r;
      const done = it + 1;
      Atomics.store(words, IterateWord.ITERATIONS, done);
      const check = t.untilMode >= 0 && done % t.checkEvery === 0;
      const met = check && (t.untilMode === 0 ? r < t.threshold : r > t.threshold);
      if (met) Atomics.compareExchange(words, IterateWord.STATUS, IterateStatus.RUNNING, IterateStatus.CONVERGED);
      else if (done >= t.maxIterations) Atomics.compareExchange(words, IterateWord.STATUS, IterateStatus.RUNNING, IterateStatus.ITERATION_LIMIT);
      Atomics.store(words, IterateWord.ARRIVED, 0);
      Atomics.add(words, IterateWord.GENERATION, 1);
      Atomics.notify(words, IterateWord.GENERATION);
    } else if (!awaitGeneration(words, generation, t.barrierTimeoutMs)) {
      Atomics.compareExchange(words, IterateWord.STATUS, IterateStatus.RUNNING, IterateStatus.TIMED_OUT);
      Atomics.add(words, IterateWord.GENERATION, 1);
      Atomics.notify(words, IterateWord.GENERATION);
      return it;
    }
  }
}

/** Waits until the barrier's generation moves on from `generation`; false after timeoutMs. */
function awaitGeneration(words: Int32Array, generation: number, timeoutMs: number): boolean {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(words, IterateWord.GENERATION) !== generation) return true;
  const deadline = performance.now() + timeoutMs;
  while (Atomics.load(words, IterateWord.GENERATION) === generation) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(words, IterateWord.GENERATION, generation, left);
  }
  return true;
}
