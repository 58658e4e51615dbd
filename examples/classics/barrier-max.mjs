// A barrier with an action that reduces a global maximum, as Python's
// Barrier(parties, action=...): each round, every party (an AssemblyScript kernel in its own
// worker, barrier-max.ts) computes the maximum of its slice and waits at the barrier; the last
// party to arrive runs the action, which folds the parties' maxima into the round's global
// maximum before anyone is released.
//
//   node examples/classics/barrier-max.mjs
import { pathToFileURL } from "node:url";
import { createPool } from "wasm-mp";
import { Barrier } from "wasm-mp/sync";
import { buildKernel } from "./build-kernel.mjs";

/**
 * Runs `parties` kernel parties over `rounds` rounds of `n` values. Returns, per round, the
 * global maximum the action computed, what each party saw after the release, and each party's
 * arrival index.
 */
export async function barrierMax({ parties = 4, n = 100_000, rounds = 20 } = {}) {
  const pool = await createPool({ module: await buildKernel("barrier-max"), workers: parties });
  try {
    const barrier = Barrier.create(pool, parties);
    const slots = pool.alloc(Uint32Array, parties);
    const maxima = pool.alloc(Uint32Array, rounds);
    const seen = pool.alloc(Uint32Array, rounds * parties);
    const indices = pool.alloc(Int32Array, rounds * parties);
    // the action's context (the kernel's `Reduction`): slots, maxima, parties, round
    const ctx = pool.alloc(Int32Array, 4);
    ctx.set([slots.byteOffset, maxima.byteOffset, parties, 0]);
    // one long call per party, all at once: each holds a worker for the whole run
    const completed = await Promise.all(Array.from({ length: parties }, (_, p) =>
      pool.apply("party", [barrier, ctx, seen, indices, p, parties, n, rounds])));
    return {
      completed,
      maxima: [...maxima],
      seen: Array.from({ length: rounds }, (_, r) => [...seen.subarray(r * parties, (r + 1) * parties)]),
      indices: Array.from({ length: rounds }, (_, r) => [...indices.subarray(r * parties, (r + 1) * parties)]),
    };
  } finally {
    await pool.close();
  }
}

/** Value i of round r, as the kernel's valueOf: a 32-bit integer hash. */
export function valueOf(round, i) {
  let h = (Math.imul(i, 0x9e3779b1) ^ Math.imul(round, 0x85ebca77)) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const parties = 4, n = 100_000, rounds = 8;
  const t0 = performance.now();
  const { maxima, seen, indices } = await barrierMax({ parties, n, rounds });
  const ms = performance.now() - t0;
  console.log(`${parties} kernel parties, ${n} values, ${rounds} rounds (${ms.toFixed(0)} ms):`);
  let agree = true;
  for (let r = 0; r < rounds; r++) {
    let serial = 0;
    for (let i = 0; i < n; i++) serial = Math.max(serial, valueOf(r, i));
    agree &&= maxima[r] === serial && seen[r].every((v) => v === maxima[r]);
    console.log(`  round ${r}: global max ${maxima[r]} (serial max ${serial}), arrival indices [${indices[r].join(", ")}]`);
  }
  console.log(agree ? "every round's global max equals the serial max, and every party saw it" : "MISMATCH");
  process.exitCode = agree ? 0 : 1;
}
