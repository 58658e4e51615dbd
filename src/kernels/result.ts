/**
 * A kernel's result as a number. An i64 result arrives as a BigInt, which Number() would round
 * silently beyond 2^53: refused instead (an i64 parameter is refused by the engine itself,
 * which will not convert a number to a BigInt).
 */
export function numberOf(v: unknown): number {
  if (typeof v === "bigint") throw new TypeError(`the kernel returned an i64 (${v}n); kernels return f64 or i32 (an i64 would be rounded to a double)`);
  return Number(v);
}
