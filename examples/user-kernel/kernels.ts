/**
 * A user's own kernels for wasm-mp, compiled with this folder's asconfig.json:
 *
 *   npx asc kernels.ts --config asconfig.json --target release     → build/kernels.wasm
 *
 * and run with createPool({ module: "build/kernels.wasm" }) or `wasm-mp run`. See README.md for
 * what a kernel may and may not do (in short: numbers and pointers in, a number out; no
 * allocation, no strings, no static arrays; share state only through memory).
 */
// in your own project: from "wasm-mp/assembly/sync"
import { mutexLock, mutexUnlock } from "../../assembly/sync";

/** Σ i² for i in [start, end): a range kernel for mapReduce and `wasm-mp run`. */
export function sumSquares(start: f64, end: f64): f64 {
  let s: f64 = 0;
  for (let i = start; i < end; i += 1) s += i * i;
  return s;
}

/** Steps of the Collatz map 3n+1 / n/2 from n down to 1: a tiny kernel for map. */
export function collatzSteps(n: f64): f64 {
  let x = <u64>n;
  let steps: i32 = 0;
  while (x > 1) {
    x = (x & 1) ? 3 * x + 1 : x >> 1;
    steps++;
  }
  return <f64>steps;
}

/**
 * Multiplies x[0..length) by factor, in place. `x` is a pointer: pass a Float64Array from
 * pool.alloc and the pool hands the kernel its byte offset.
 */
export function scale(x: usize, length: i32, factor: f64): void {
  for (let i = 0; i < length; i++) {
    const p = x + (<usize>i << 3);
    store<f64>(p, load<f64>(p) * factor);
  }
}

/** max |x[i]| for i in [start, end): a range kernel over an array, for mapReduce with reduce "max". */
export function maxAbs(start: f64, end: f64, x: usize): f64 {
  let m: f64 = 0;
  for (let i = <usize>start; i < <usize>end; i++) m = max(m, abs(load<f64>(x + (i << 3))));
  return m;
}

/**
 * Adds `value` to the f64 at `total` under the mutex at `mutex` (a Mutex from wasm-mp passed
 * as an argument): there is no atomic add for f64, so concurrent adds need the lock.
 */
export function addToTotal(total: usize, mutex: usize, value: f64): void {
  mutexLock(mutex);
  store<f64>(total, load<f64>(total) + value);
  mutexUnlock(mutex);
}

/** How many i in [start, end) are multiples of k: a range kernel taking an argument (`--args 7`). */
export function countMultiples(start: f64, end: f64, k: f64): f64 {
  let n: f64 = 0;
  for (let i = start; i < end; i += 1) if (i % k == 0) n += 1;
  return n;
}
