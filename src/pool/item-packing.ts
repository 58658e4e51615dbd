/**
 * The loops that copy a map's items (numbers, or argument lists) into its shared argument array.
 *
 * Why each loop exists twice. V8 keeps an array of small integers (SMIs) and an array of doubles
 * in different "elements kinds". Optimized code (TurboFan) whose element load has seen both kinds
 * does not branch on them: it turns every SMI array it then reads into a double array, in place
 * (a new backing store, 8 bytes per element, allocated, faulted in and copied). The user's array
 * changes under them, and a map of 10⁵ fresh integer items paid ~1 ms for it (AMD EPYC), most of
 * what made a first map slower than later ones; argument lists paid it once per list. So no load
 * of an item's numbers may see both kinds: one copy of each loop reads arrays of small integers
 * (and arrays of other values), the other arrays of doubles, and `likelyDoubles` picks the copy
 * from a few items read with Array.prototype.at, a builtin call that never transitions an array.
 * A wrong guess costs speed, never a wrong argument: an array of whole numbers that V8 keeps as
 * doubles (made by an array literal that once held a fraction, say) goes to the integer copy,
 * whose code is then rebuilt for both kinds and transitions arrays again, as before this split.
 * The pool's path warm-up (path-warm-up.ts) runs both copies, with whole and fractional items.
 */
import { invalid } from "../errors.js";
import type { SharedArena } from "../memory/arena.js";
import { argValue } from "./args.js";

const arrayAt = Array.prototype.at;
/** Items (and elements of each sampled argument list) read to guess an array's kind. */
const SAMPLES = 5;
/** The smallest SMI range of V8's builds (31 bits with pointer compression, as in browsers). */
const SMI_MIN = -(2 ** 30), SMI_MAX = 2 ** 30 - 1;

/** One way to call `argsList`'s items, set by its first item. */
export interface PackSpec {
  spread: boolean;
  arity: number;
  mode: "map" | "starmap";
  /** Index of list[0] in the user's input (imap's windows start later). */
  base: number;
}

/** `list[i]` without an element load of our own (see the file's comment). */
export function itemAt(list: readonly unknown[], i: number): unknown {
  return arrayAt.call(list, i);
}

/** Writes the arguments of every item of `list` into `args` (item i's at [i·arity, (i+1)·arity)). */
export function packInto(list: readonly unknown[], args: Float64Array, spec: PackSpec, arena: SharedArena): void {
  if (likelyDoubles(list, spec.spread)) {
    if (spec.spread) packListsOfDoubles(list, args, spec, arena);
    else packDoubles(list, args, spec, arena);
  } else if (spec.spread) {
    packListsOfIntegers(list, args, spec, arena);
  } else {
    packIntegers(list, args, spec, arena);
  }
}

/** Whether V8 likely keeps `list`'s numbers (spread: its items' numbers) as doubles. */
export function likelyDoubles(list: readonly unknown[], spread: boolean): boolean {
  const n = list.length;
  for (let s = 0; s < SAMPLES && s < n; s++) {
    const item = arrayAt.call(list, n <= SAMPLES ? s : Math.floor((s * (n - 1)) / (SAMPLES - 1)));
    if (!spread) {
      if (isDouble(item)) return true;
    } else if (Array.isArray(item)) {
      for (let k = 0; k < item.length && k < SAMPLES; k++) if (isDouble(arrayAt.call(item, k))) return true;
    }
  }
  return false;
}

/** A number V8 stores in an array as a double, not as a small integer. */
function isDouble(v: unknown): boolean {
  return typeof v === "number" && !(Number.isInteger(v) && v >= SMI_MIN && v <= SMI_MAX && !Object.is(v, -0));
}

// The two copies of each loop must stay textually separate functions: each has its own feedback.

function packIntegers(list: readonly unknown[], args: Float64Array, spec: PackSpec, arena: SharedArena): void {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    args[i] = typeof v === "number" ? v : itemValue(v, i, spec, arena);
  }
}

function packDoubles(list: readonly unknown[], args: Float64Array, spec: PackSpec, arena: SharedArena): void {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    args[i] = typeof v === "number" ? v : itemValue(v, i, spec, arena);
  }
}

function packListsOfIntegers(list: readonly unknown[], args: Float64Array, spec: PackSpec, arena: SharedArena): void {
  const arity = spec.arity;
  for (let i = 0; i < list.length; i++) {
    const tuple = argumentList(list[i], i, spec);
    for (let k = 0; k < arity; k++) {
      const v = tuple[k];
      args[i * arity + k] = typeof v === "number" ? v : argValue(arena, v, `${itemName(i, spec)}[${k}]`);
    }
  }
}

function packListsOfDoubles(list: readonly unknown[], args: Float64Array, spec: PackSpec, arena: SharedArena): void {
  const arity = spec.arity;
  for (let i = 0; i < list.length; i++) {
    const tuple = argumentList(list[i], i, spec);
    for (let k = 0; k < arity; k++) {
      const v = tuple[k];
      args[i * arity + k] = typeof v === "number" ? v : argValue(arena, v, `${itemName(i, spec)}[${k}]`);
    }
  }
}

/** How errors name item i of a list whose first item is argsList[base]. */
export function itemName(i: number, spec: Pick<PackSpec, "base">): string {
  return `argsList[${spec.base + i}]`;
}

/** A non-number item of a map of single arguments: a pool typed array or primitive, else an error. */
function itemValue(v: unknown, i: number, spec: PackSpec, arena: SharedArena): number {
  if (Array.isArray(v)) throw invalid(itemName(i, spec), v, "a number, like argsList[0] (items are all numbers or all argument lists)");
  return argValue(arena, v, itemName(i, spec));
}

/** Item i as an argument list of the call's arity. */
function argumentList(item: unknown, i: number, spec: PackSpec): readonly unknown[] {
  const tuple = checkArgumentList(item, i, spec);
  if (tuple.length !== spec.arity) {
    throw invalid(itemName(i, spec), tuple, `a list of ${spec.arity} arguments, like argsList[0] (every item takes the same number of arguments)`);
  }
  return tuple;
}

/** `item` (list[i]) as an array: what starmap spreads, and what map spreads once its first item is one. */
export function checkArgumentList(item: unknown, i: number, spec: Pick<PackSpec, "mode" | "base">): readonly unknown[] {
  if (!Array.isArray(item)) {
    throw invalid(itemName(i, spec), item,
      spec.mode === "starmap" ? "an array of arguments (starmap spreads every item)" : "an array of arguments, like argsList[0]");
  }
  return item;
}
