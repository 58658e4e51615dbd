/**
 * The loops that call a kernel once per item of a batch (map, starmap, imap): one loop per call
 * shape, each a plain function at the top level, and their warm-up.
 *
 * Why they look like this: a user's first map of 10⁵ tiny items took 2.6–4 times as long as
 * their later maps (AMD EPYC), and V8's --trace-opt/--trace-deopt showed why: the pool's warm-up
 * had optimized the batch loop for its own item function ("wrong call target" once the user's
 * kernel came) and for one per-task closure ("wrong feedback cell" for a closure made for another
 * arity), so the user's first map ran the loop unoptimized until V8 compiled it again, on the
 * user's time. Here the batch loop calls these functions directly (no closure made per task),
 * and `warmUpItemLoops` shows a loop's kernel call two different targets before V8 optimizes
 * it: the call site is then megamorphic, and the optimized loop takes any kernel, a user's wasm
 * export or JS function, without being thrown away.
 */
import { numberOf } from "../kernels/result.js";

export type KernelFunction = (...args: number[]) => unknown;

/** A throw in item `item` of a batch (its index in the task's arrays, or in the input once offset). */
export class ItemTrap {
  constructor(readonly error: unknown, readonly item: number) {}
}

/**
 * out[i] = fn(arguments of item i) for items [from, to): item i's `arity` arguments are
 * a[i·arity, (i+1)·arity). A throw (or a result that is no number, see numberOf) becomes an
 * ItemTrap naming the item; the items before it have their results.
 */
export function runItems(fn: KernelFunction, a: Float64Array, out: Float64Array, arity: number, from: number, to: number): void {
  switch (arity) {
    case 0: return items0(fn, out, from, to);
    case 1: return items1(fn, a, out, from, to);
    case 2: return items2(fn, a, out, from, to);
    case 3: return items3(fn, a, out, from, to);
    case 4: return items4(fn, a, out, from, to);
    default: return itemsSpread(fn, a, out, arity, from, to);
  }
}

function items0(fn: KernelFunction, out: Float64Array, from: number, to: number): void {
  let i = from;
  try {
    for (; i < to; i++) out[i] = numberOf(fn());
  } catch (e) {
    throw new ItemTrap(e, i);
  }
}

function items1(fn: KernelFunction, a: Float64Array, out: Float64Array, from: number, to: number): void {
  let i = from;
  try {
    for (; i < to; i++) out[i] = numberOf(fn(a[i]!));
  } catch (e) {
    throw new ItemTrap(e, i);
  }
}

function items2(fn: KernelFunction, a: Float64Array, out: Float64Array, from: number, to: number): void {
  let i = from;
  try {
    for (; i < to; i++) out[i] = numberOf(fn(a[2 * i]!, a[2 * i + 1]!));
  } catch (e) {
    throw new ItemTrap(e, i);
  }
}

function items3(fn: KernelFunction, a: Float64Array, out: Float64Array, from: number, to: number): void {
  let i = from;
  try {
    for (; i < to; i++) out[i] = numberOf(fn(a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!));
  } catch (e) {
    throw new ItemTrap(e, i);
  }
}

function items4(fn: KernelFunction, a: Float64Array, out: Float64Array, from: number, to: number): void {
  let i = from;
  try {
    for (; i < to; i++) out[i] = numberOf(fn(a[4 * i]!, a[4 * i + 1]!, a[4 * i + 2]!, a[4 * i + 3]!));
  } catch (e) {
    throw new ItemTrap(e, i);
  }
}

function itemsSpread(fn: KernelFunction, a: Float64Array, out: Float64Array, arity: number, from: number, to: number): void {
  let i = from;
  try {
    for (; i < to; i++) out[i] = numberOf(fn(...a.subarray(i * arity, (i + 1) * arity)));
  } catch (e) {
    throw new ItemTrap(e, i);
  }
}

const warmUpAdd = (x = 0, y = 0): number => x + y;
const warmUpSub = (x = 0, y = 0): number => x - y;

/**
 * Brings the loops of the two call shapes users mostly have (one argument, two) to V8's
 * optimizing tier with a megamorphic kernel call (see the top of this file), calling only item
 * functions of ours: none of a user's code runs. 16 rounds of 512 items is what it takes for V8
 * 11.3 to optimize both (fewer left one unoptimized in some runs); it costs a few milliseconds
 * per thread, so a pool of the bundled kernels, which map no items, skips it (WorkerSetup).
 */
export function warmUpItemLoops(): void {
  const items = 512;
  const a = new Float64Array(items * 2).map((_, i) => i & 7);
  const out = new Float64Array(items);
  // both targets first, a few items each: no loop is optimized while its call site is monomorphic
  for (const arity of [1, 2]) {
    runItems(warmUpAdd, a, out, arity, 0, 2);
    runItems(warmUpSub, a, out, arity, 0, 2);
  }
  for (let round = 0; round < 16; round++) {
    for (const arity of [1, 2]) runItems(round & 1 ? warmUpSub : warmUpAdd, a, out, arity, 0, items);
  }
}
