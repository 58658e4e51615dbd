// Runs the kernels of this folder through a pool: `node run.mjs` after building build/kernels.wasm.
// It imports the package by name ("wasm-mp"), as a user's script does: inside this repository Node resolves that to the checkout itself (build it first: npm run build).
import { createPool } from "wasm-mp";
import { Mutex } from "wasm-mp/sync";

const pool = await createPool({ module: new URL("./build/kernels.wasm", import.meta.url), workers: 2 });
try {
  // a range kernel, reduced: Σ i² for i < 10⁶
  const sum = await pool.mapReduce("sumSquares", [0, 1e6], { reduce: "sum" });
  console.log("Σ i² for i < 1e6 =", sum);

  // a tiny kernel per item: batched, so 10⁵ calls cost a few dispatches
  const steps = await pool.map("collatzSteps", Array.from({ length: 1e5 }, (_, i) => i + 1));
  console.log("longest Collatz chain below 1e5:", Math.max(...steps), "steps, from", steps.indexOf(Math.max(...steps)) + 1);

  // in place on shared memory: the kernel gets the array's byte offset
  const x = pool.alloc(Float64Array, 1000);
  for (let i = 0; i < x.length; i++) x[i] = i - 500;
  await pool.apply("scale", [x, x.length, 0.5]);
  console.log("max |x| after scaling by 0.5:", await pool.mapReduce("maxAbs", [0, x.length], { reduce: "max", args: [x], chunkSize: 100 }));
  pool.free(x);

  // a mutex shared by the kernels
  const total = pool.alloc(Float64Array, 1);
  const mutex = Mutex.create(pool);
  await pool.map("addToTotal", Array.from({ length: 1000 }, (_, i) => [total, mutex, i]));
  console.log("Σ i for i < 1000 through a mutex:", total[0]);
} finally {
  await pool.close();
}
