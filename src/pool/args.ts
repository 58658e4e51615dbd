/**
 * Kernel arguments as the caller gives them: numbers, or typed arrays on the pool's memory,
 * which a kernel receives as their byte offset (a pointer). Everything crosses to a worker as an
 * f64, so i64 parameters (BigInt in JS) are not supported: use f64 or i32 parameters.
 */
import { invalid } from "../errors.js";
import type { TypedArray } from "../memory/arena.js";

export type KernelArg = number | TypedArray;

const ALLOWED = "a number, or a typed array allocated by the pool (passed to the kernel as its byte offset)";

export function argValue(memory: WebAssembly.Memory, value: unknown, name: string): number {
  if (typeof value === "number") return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && value.buffer instanceof SharedArrayBuffer &&
      value.byteOffset + value.byteLength <= memory.buffer.byteLength) {
    return value.byteOffset;
  }
  throw invalid(name, value, ALLOWED);
}

/** The arguments of one call, as numbers. */
export function argValues(memory: WebAssembly.Memory, args: unknown, name: string): number[] {
  if (args === undefined) return [];
  if (!Array.isArray(args)) throw invalid(name, args, `an array of arguments, each ${ALLOWED}`);
  return args.map((a, i) => argValue(memory, a, `${name}[${i}]`));
}
