/**
 * Kernel arguments as the caller gives them: numbers; typed arrays on the pool's memory, which
 * a kernel receives as their byte offset (a pointer); and synchronization primitives (Mutex,
 * Semaphore, Queue, Barrier: anything holding its shared `words`), also passed as their byte
 * offset. Everything crosses to a worker as an f64, so i64 parameters (BigInt in JS) are not
 * supported: use f64 or i32 parameters.
 */
import { invalid } from "../errors.js";
import type { SharedArena, TypedArray } from "../memory/arena.js";

/** A primitive living in shared memory (src/sync). */
export interface SharedWords { readonly words: Int32Array }

export type KernelArg = number | TypedArray | SharedWords;

const ALLOWED = "a number, a typed array allocated by this pool, or a Mutex/Semaphore/Queue/Barrier on its memory (passed to the kernel as its byte offset)";

export function argValue(arena: SharedArena, value: unknown, name: string): number {
  if (typeof value === "number") return value;
  const view = value !== null && typeof value === "object" && "words" in value ? (value as SharedWords).words : value;
  if (ArrayBuffer.isView(view) && !(view instanceof DataView) && arena.owns(view)) return view.byteOffset;
  if (ArrayBuffer.isView(view)) {
    throw invalid(name, value, `${ALLOWED}; this one is a view of another memory (another pool's, or a plain SharedArrayBuffer)`);
  }
  throw invalid(name, value, ALLOWED);
}

/** The arguments of one call, as numbers. */
export function argValues(arena: SharedArena, args: unknown, name: string): number[] {
  if (args === undefined) return [];
  if (!Array.isArray(args)) throw invalid(name, args, `an array of arguments, each ${ALLOWED}`);
  return args.map((a, i) => argValue(arena, a, `${name}[${i}]`));
}
