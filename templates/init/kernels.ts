/**
 * Your WebAssembly kernels for wasm-mp, in AssemblyScript. `npm run build` compiles this file
 * with asconfig.json into build/kernels.wasm; run.mjs runs the kernels on a pool of workers.
 *
 * The rules for a kernel (node_modules/wasm-mp/docs/pool.md has the details):
 * - numbers in (f64, i32, u32, usize), a number out (or nothing); no i64 parameters or results
 *   (they would cross as BigInt): use f64 for indices, exact up to 2^53;
 * - arrays arrive as pointers: a typed array from pool.alloc() passed as an argument reaches the
 *   kernel as its byte offset in the pool's shared memory, and the kernel works on it in place;
 * - no allocation (no `new`, no arrays, no strings): the "stub" runtime has no garbage collector,
 *   and every worker would allocate on top of the others;
 * - no state in globals across calls (each worker has its own instance): share state through
 *   memory, with atomics or the mutex/semaphore/queue of "wasm-mp/assembly/sync";
 * - keep one call to a few milliseconds: cancellation, progress and load balancing happen
 *   between calls.
 */

/**
 * A RANGE kernel: Σ i² for i in [start, end). The pool splits a range into blocks, calls this
 * once per block on the workers, and reduces the block results (pool.mapReduce, `wasm-mp run`).
 */
export function sumSquares(start: f64, end: f64): f64 {
  let s: f64 = 0;
  for (let i = start; i < end; i += 1) s += i * i;
  return s;
}

/**
 * A PER-ITEM kernel: the steps of the Collatz map (n → n/2 or 3n+1) from n down to 1.
 * pool.map calls it once per item, batching items per worker.
 */
export function collatzSteps(n: f64): f64 {
  let x = n;
  let steps: i32 = 0;
  while (x > 1) {
    x = x % 2 == 0 ? x / 2 : 3 * x + 1;
    steps++;
  }
  return <f64>steps;
}

/**
 * An IN-PLACE kernel: multiplies x[from..to) by `factor`. `x` is a pointer: pass a Float64Array
 * from pool.alloc() and the kernel gets its byte offset.
 */
export function scale(x: usize, from: i32, to: i32, factor: f64): void {
  for (let i = from; i < to; i++) {
    const p = x + (<usize>i << 3);
    store<f64>(p, load<f64>(p) * factor);
  }
}

/**
 * An ITERATE STEP kernel, `(lane, lanes, iteration, ...args) → f64`: one Jacobi sweep of a rod
 * (u[0] and u[n+1] fixed, each interior point becomes the mean of its neighbours), lane `lane`
 * of `lanes` doing its block of points. Sweep `iteration` reads grid a and writes grid b when
 * it is even, the other way round when odd (double buffering), so lanes never read what another
 * lane is writing. Returns the lane's largest |change|: reduced with "max" over the lanes, it
 * says when the rod has converged.
 *
 * pool.iterate({ kernel: "relaxStep", args: [a, b, n], lanes, reduce: "max", until: { below: tol },
 * maxIterations }) runs the steps with one long task per lane and a barrier in shared memory
 * between steps (no message per step), as run.mjs does. Each point's value depends only on the
 * previous sweep, so the result has the same bits for any number of lanes.
 */
export function relaxStep(lane: i32, lanes: i32, iteration: i32, a: usize, b: usize, n: i32): f64 {
  const src = iteration % 2 == 0 ? a : b;
  const dst = iteration % 2 == 0 ? b : a;
  // lane's block of the interior points 1..n: as equal as can be, in lane order
  const from = 1 + <i32>((<i64>n * lane) / lanes);
  const to = 1 + <i32>((<i64>n * (lane + 1)) / lanes);
  let change: f64 = 0;
  for (let i = from; i < to; i++) {
    const p = <usize>i << 3;
    const v = 0.5 * (load<f64>(src + p - 8) + load<f64>(src + p + 8));
    change = max(change, abs(v - load<f64>(src + p)));
    store<f64>(dst + p, v);
  }
  return change;
}
