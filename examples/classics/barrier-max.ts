/**
 * The kernel side of barrier-max.mjs: a party of a barrier whose action reduces a global
 * maximum. Each round every party computes the maximum of its slice of that round's values,
 * writes it to its slot and waits at the barrier; the last party to arrive runs `reduceMax`
 * (before any party is released), which folds the slots into the round's global maximum.
 *
 * Built with this folder's asconfig.json (barrier-max.mjs does it when the .wasm is missing or
 * older than this file): npx asc barrier-max.ts --config asconfig.json --target release
 *   --outFile build/barrier-max.wasm
 */
import { barrierWaitAction } from "wasm-mp/assembly/barrier";

/**
 * What the action needs, in shared memory (the pool's memory: an Int32Array from pool.alloc,
 * whose byte offset the kernel gets): where the slots and the results are, how many parties,
 * and which round the barrier is in. Only the action writes `round`, and only one party runs
 * the action per round, so it needs no lock.
 */
@unmanaged class Reduction {
  slots: u32;    // parties u32 slots: each party's local maximum of this round
  maxima: u32;   // rounds u32 results: the global maximum of each round
  parties: i32;
  round: i32;
}

/** Value i of round r: a 32-bit integer hash, so the JS reference computes the same bits. */
export function valueOf(round: i32, i: i32): u32 {
  let h = <u32>i * 0x9e3779b1 ^ <u32>round * 0x85ebca77;
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 12;
  return h;
}

/** The barrier's action: the round's global maximum from the parties' slots; then the next round. */
function reduceMax(ctx: usize): void {
  const c = changetype<Reduction>(ctx);
  let m: u32 = 0;
  for (let p = 0; p < c.parties; p++) m = max(m, load<u32>(<usize>c.slots + (<usize>p << 2)));
  store<u32>(<usize>c.maxima + (<usize>c.round << 2), m);
  c.round = c.round + 1;
}

/**
 * Party `party` of `parties`: for each of `rounds` rounds, the maximum of values [start, end) of
 * its slice of 0 … n−1, then the barrier. After each release it records the global maximum it
 * sees (`seen`, rounds × parties u32) and its arrival index (`indices`, rounds × parties i32).
 * Returns the number of rounds completed (fewer if the barrier broke).
 */
export function party(barrier: usize, ctx: usize, seen: usize, indices: usize, party: i32, parties: i32, n: i32, rounds: i32): i32 {
  const c = changetype<Reduction>(ctx);
  // balanced slices: sizes differ by at most one, whatever the party count
  const start = <i32>(<i64>party * n / parties);
  const end = <i32>(<i64>(party + 1) * n / parties);
  for (let r = 0; r < rounds; r++) {
    let m: u32 = 0;
    for (let i = start; i < end; i++) m = max(m, valueOf(r, i));
    store<u32>(<usize>c.slots + (<usize>party << 2), m);
    const index = barrierWaitAction(barrier, 30_000, reduceMax, ctx);
    if (index < 0) return r;
    const at = (<usize>r * parties + party) << 2;
    store<i32>(indices + at, index);
    store<u32>(seen + at, load<u32>(<usize>c.maxima + (<usize>r << 2)));
  }
  return rounds;
}
