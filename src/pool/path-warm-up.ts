/**
 * The pool's own JavaScript warmed up before the first call. A user's first map of 10⁵ tiny
 * items took 9–10× as long as the later ones (AMD EPYC, quiet host: 25 ms against 2.7 ms), and
 * a first apply 13–30 ms against 0.3–0.6: not in their kernel, in the code around it, cold in the
 * calling thread (loading the calls' modules, packing the items, the job runner, copying the
 * results out) and in every worker (the task loops). A pool with warmUp (the default, in Node)
 * therefore runs a few maps, an apply per worker and a mapReduce through those very routes at
 * start-up, with item functions of ours in place of a kernel (PATH_WARM_UP_KERNELS): none of the
 * user's code runs, and the tasks are taken off the statistics afterwards.
 */
import { PATH_WARM_UP_KERNELS } from "../platform/task.js";
import { RESERVED_BYTES } from "../memory/arena.js";
import type { PoolHost as Pool } from "./host.js";
import { mapPlan, mapPlanned } from "./map.js";
import { place } from "./placement.js";
import { forEachBlock, type PartitionSpec } from "../plan/partition.js";
import { reduce } from "../plan/reduce.js";

/**
 * Items per warm-up map, arguments per item (both call shapes users mostly have), which item
 * function, and whether the items are whole numbers or not (V8 keeps the two in arrays of
 * different kinds, packed by different loops: item-packing.ts; each loop gets thousands of
 * items, or a user's first calls run it unoptimized). The
 * large round also grows the memory and touches its pages once, where a user's first large
 * map would otherwise pay for both.
 */
const ROUNDS: ReadonlyArray<readonly [items: number, arity: number, kernel: 0 | 1, fractions: boolean]> = [
  [512, 1, 0, false], [512, 1, 1, true], [131072, 1, 0, false], [16384, 1, 1, true], [4096, 2, 0, false], [4096, 2, 1, true], [4096, 1, 0, false],
];

/** The warm-up takes at most this share of the memory a pool may grow to (maxMemory). */
const MEMORY_SHARE = 1 / 4;

export async function warmUpPath(pool: Pool): Promise<void> {
  const room = (pool.arena.maxBytes - RESERVED_BYTES) * MEMORY_SHARE;
  for (const [wanted, arity, kernel, fractions] of ROUNDS) {
    // a small maxMemory gets smaller rounds: the warm-up must never be what stops a pool starting
    const items = Math.min(wanted, Math.floor(room / (8 * (arity + 1) + 1)));
    if (items < 64) continue;
    const first = fractions ? 0.5 : 0;
    const list = arity === 1 ? Array.from({ length: items }, (_, i) => i + first) : Array.from({ length: items }, (_, i) => [i + first, 1]);
    const out = await mapPlanned(pool, mapPlan(pool, PATH_WARM_UP_KERNELS[kernel], {}, "map"), list);
    // the item functions add or subtract their arguments: a wrong result is a broken task path, said at once
    const last = items - 1 + first;
    const want = arity === 1 ? last : kernel === 0 ? last + 1 : last - 1;
    if (out[items - 1] !== want) throw new Error(`the pool's warm-up map returned ${out[items - 1]} for its last item, not ${want}`);
  }
  // an apply on each worker and a range job too: their modules load and their routes compile
  // here, not in a user's first apply or mapReduce (a first apply took 13–30 ms, later ones 0.3–0.6)
  const { applyNamed, runRangeNamed } = await import("./calls.js");
  for (let round = 0; round < 2; round++) {
    const sums = await Promise.all(Array.from({ length: pool.size }, (_, i) => applyNamed(pool, round === 0 ? PATH_WARM_UP_KERNELS[0] : PATH_WARM_UP_KERNELS[1], [i, 1], {})));
    if (sums.some((v, i) => v !== (round === 0 ? i + 1 : i - 1))) throw new Error(`the pool's warm-up apply returned ${sums.join(", ")}`);
  }
  // mapReduce's own route: its plan, the range job, the reduction in part order
  const { planMapReduce } = await import("./map-reduce.js");
  const host = { size: pool.size, arena: pool.arena, inline: pool.inline, assertKernel: ourKernel };
  const { job, reducer } = planMapReduce(host, PATH_WARM_UP_KERNELS[0], [0, 4096], { parts: 4 * pool.size });
  const total = reduce((await runRangeNamed(pool, job, ourKernel)).partials, reducer);
  // each part adds blockStart + blockEnd over its blocks
  const want = blockSums(job.spec);
  if (total !== want) throw new Error(`the pool's warm-up range job returned ${total}, not ${want}`);
  // the memory as a pool's that never ran a call (every region of the warm-up is freed, and the
  // tickets it took were its only ones): a cluster's worker reserves the coordinator's
  // addresses from the first free byte, which must be where a new pool has it
  place(pool).tickets?.freeBlocks();
}

function blockSums(spec: PartitionSpec): number {
  let sum = 0;
  for (let j = 0; j < spec.parts; j++) forEachBlock(spec, j, (start, end) => { sum += start + end; });
  return sum;
}

/** The warm-up's kernels are the pool's own item functions (task.ts), never a module's export. */
function ourKernel(kernel: unknown): asserts kernel is string {
  if (kernel !== PATH_WARM_UP_KERNELS[0] && kernel !== PATH_WARM_UP_KERNELS[1]) throw new Error(`the pool's warm-up named a kernel not its own: ${String(kernel)}`);
}
