/**
 * One lane of an iterate job, run in a worker as one long task: step, meet the other lanes at
 * the barrier, and let the last one to arrive reduce the lanes' values in lane order (the same
 * bits whichever lane that is) and decide whether to go on. No message per step: everything
 * goes through the block (iterate-block.ts).
 *
 * An iteration is `phases` steps, each followed by the barrier (a schedule: a red and a black
 * half-sweep, or the levels of a multigrid cycle). Only the last phase's values are reduced and
 * tested; the other barriers only order the lanes' work.
 */
import { numberOf } from "../kernels/result.js";
import { Spinner } from "../sync/spin.js";
import { IterateReduce, IterateStatus, IterateWord, SLOTS_BYTE, VALUE_BYTE } from "./iterate-block.js";

export interface IterateTaskFields {
  kernel: string;
  /** Arguments after (lane, lanes, iteration) — or (lane, lanes, iteration, phase) when `phased`. */
  args: number[];
  lane: number;
  lanes: number;
  /** Byte offset of the block. */
  block: number;
  /** Iterations at most. */
  maxIterations: number;
  /** IterateReduce code. */
  reduce: number;
  /** Stop when the reduced value is below (mode 0) or above (mode 1) `threshold`; mode -1: never. */
  untilMode: number;
  threshold: number;
  checkEvery: number;
  barrierTimeoutMs: number;
  /** Steps per iteration (1 unless the caller gave `phases`). */
  phases?: number;
  /** Whether the kernel takes the phase after the iteration (the caller gave `phases`). */
  phased?: boolean;
}

/** Runs the lane; returns the iterations it completed, or throws what the kernel threw. */
export function runIterateLane(step: (...a: number[]) => unknown, memory: WebAssembly.Memory, t: IterateTaskFields): number {
  const words = new Int32Array(memory.buffer, t.block, 8);
  const slots = new Float64Array(memory.buffer, t.block + SLOTS_BYTE, t.lanes);
  const value = new Float64Array(memory.buffer, t.block + VALUE_BYTE, 1);
  const { lane, lanes } = t;
  const phases = t.phases ?? 1;
  const call = stepCall(step, lane, lanes, t.args, t.phased === true);
  let phase = 0;
  // polls before sleeping at the barrier, adapted to what polling has been worth (src/sync/spin.ts):
  // with more lanes than free cores a lane that polls only delays the lane it waits for
  // (measured: 3 lanes on 2 busy cores, 0.67 ms a step polling 20 000 loads every time)
  const spinner = new Spinner();
  for (let it = 0; ;) {
    if (Atomics.load(words, IterateWord.STATUS) !== IterateStatus.RUNNING) return it;
    const generation = Atomics.load(words, IterateWord.GENERATION);
    let v: number;
    try {
      v = numberOf(call(it, phase));
    } catch (e) {
      Atomics.compareExchange(words, IterateWord.STATUS, IterateStatus.RUNNING, IterateStatus.TRAPPED);
      release(words);
      throw e;
    }
    const last = phase === phases - 1;
    if (last) slots[lane] = v;
    if (Atomics.add(words, IterateWord.ARRIVED, 1) === lanes - 1) {
      // the last to arrive: every slot of this step is written (each before its Atomics.add)
      if (last) {
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
      }
      Atomics.store(words, IterateWord.ARRIVED, 0);
      Atomics.add(words, IterateWord.GENERATION, 1);
      // a sleeper counts itself before it sleeps, and sleeps only while the generation is
      // unchanged: with sequentially consistent atomics one of the two sees the other
      if (Atomics.load(words, IterateWord.SLEEPERS) !== 0) Atomics.notify(words, IterateWord.GENERATION);
    } else if (!awaitGeneration(words, generation, t.barrierTimeoutMs, spinner)) {
      Atomics.compareExchange(words, IterateWord.STATUS, IterateStatus.RUNNING, IterateStatus.TIMED_OUT);
      release(words);
      return it;
    }
    if (last) {
      it++;
      phase = 0;
    } else {
      phase++;
    }
  }
}

/** Wakes every lane at the barrier so that it sees the status (a trap, a timeout). */
function release(words: Int32Array): void {
  Atomics.add(words, IterateWord.GENERATION, 1);
  Atomics.notify(words, IterateWord.GENERATION);
}

/**
 * The step kernel with the lane's fixed arguments bound: a call with a fixed argument count,
 * since a spread call costs more than the barrier on small steps.
 */
function stepCall(step: (...a: number[]) => unknown, lane: number, lanes: number, args: number[], phased: boolean): (it: number, phase: number) => unknown {
  const [a, b, c, d, e, f] = args;
  if (phased) {
    switch (args.length) {
      case 0: return (it, p) => step(lane, lanes, it, p);
      case 1: return (it, p) => step(lane, lanes, it, p, a!);
      case 2: return (it, p) => step(lane, lanes, it, p, a!, b!);
      case 3: return (it, p) => step(lane, lanes, it, p, a!, b!, c!);
      case 4: return (it, p) => step(lane, lanes, it, p, a!, b!, c!, d!);
      case 5: return (it, p) => step(lane, lanes, it, p, a!, b!, c!, d!, e!);
      case 6: return (it, p) => step(lane, lanes, it, p, a!, b!, c!, d!, e!, f!);
      default: return (it, p) => step(lane, lanes, it, p, ...args);
    }
  }
  switch (args.length) {
    case 0: return (it) => step(lane, lanes, it);
    case 1: return (it) => step(lane, lanes, it, a!);
    case 2: return (it) => step(lane, lanes, it, a!, b!);
    case 3: return (it) => step(lane, lanes, it, a!, b!, c!);
    case 4: return (it) => step(lane, lanes, it, a!, b!, c!, d!);
    case 5: return (it) => step(lane, lanes, it, a!, b!, c!, d!, e!);
    case 6: return (it) => step(lane, lanes, it, a!, b!, c!, d!, e!, f!);
    default: return (it) => step(lane, lanes, it, ...args);
  }
}

/** Waits until the barrier's generation moves on from `generation`; false after timeoutMs. */
function awaitGeneration(words: Int32Array, generation: number, timeoutMs: number, spinner: Spinner): boolean {
  if (spinner.poll(words, IterateWord.GENERATION, generation)) return true;
  const deadline = performance.now() + timeoutMs;
  Atomics.add(words, IterateWord.SLEEPERS, 1);
  try {
    while (Atomics.load(words, IterateWord.GENERATION) === generation) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(words, IterateWord.GENERATION, generation, left);
    }
    return true;
  } finally {
    Atomics.sub(words, IterateWord.SLEEPERS, 1);
  }
}
