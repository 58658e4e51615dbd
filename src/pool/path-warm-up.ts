/**
 * The pool's own JavaScript warmed up before the first call. A user's first map of 10⁵ tiny
 * items took 9–10× as long as the later ones (AMD EPYC, quiet host: 25 ms against 2.7 ms), and
 * not in their kernel: in the code around it, cold in the calling thread (packing the items,
 * the job runner, copying the results out) and in every worker (the batch loop). A pool with
 * warmUp (the default, in Node) therefore runs a few small maps through that very path at start-up, with
 * item functions of ours in place of a kernel (PATH_WARM_UP_KERNELS): none of the user's code
 * runs, and the tasks are taken off the statistics afterwards.
 */
import { PATH_WARM_UP_KERNELS } from "../platform/task.js";
import type { PoolHost as Pool } from "./host.js";
import { mapPlan, packItems, run, toArray } from "./map.js";
import { place } from "./placement.js";

/** Items per warm-up map, arguments per item (both call shapes users mostly have), and which item function. */
const ROUNDS: ReadonlyArray<readonly [items: number, arity: number, kernel: 0 | 1]> = [[512, 1, 0], [512, 1, 1], [16384, 1, 0], [16384, 1, 1], [512, 2, 0], [4096, 2, 1]];

export async function warmUpPath(pool: Pool): Promise<void> {
  for (const [items, arity, kernel] of ROUNDS) {
    const list = arity === 1 ? Array.from({ length: items }, (_, i) => i) : Array.from({ length: items }, (_, i) => [i, 1]);
    const plan = mapPlan(pool, PATH_WARM_UP_KERNELS[kernel], {}, "map");
    const call = packItems(pool, plan, list, 0, undefined);
    const out = await run(pool, call, undefined, undefined, new Map(), () => toArray(call.results), undefined);
    // the item functions add or subtract their arguments: a wrong result is a broken task path, said at once
    const want = arity === 1 ? items - 1 : kernel === 0 ? items : items - 2;
    if (out[items - 1] !== want) throw new Error(`the pool's warm-up map returned ${out[items - 1]} for its last item, not ${want}`);
  }
  // the memory as a pool's that never ran a call (every region of the warm-up is freed, and the
  // tickets it took were its only ones): a cluster's worker reserves the coordinator's
  // addresses from the first free byte, which must be where a new pool has it
  place(pool).tickets?.freeBlocks();
}
