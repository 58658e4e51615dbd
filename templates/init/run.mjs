// Runs the kernels of kernels.ts on a pool of workers: `npm run build`, then `npm start`.
// Each line prints a result that you can check by hand (README.md says how).
import { createPool } from "wasm-mp";

const pool = await createPool({ module: new URL("./build/kernels.wasm", import.meta.url), workers: 2 });
try {
  // a range kernel, reduced: Σ i² for i < 100000, in blocks on the workers, summed pairwise
  const sum = await pool.mapReduce("sumSquares", [0, 1e5], { reduce: "sum" });
  console.log(`sumSquares: ${sum}`);

  // a per-item kernel: 10⁵ calls, batched per worker
  const steps = await pool.map("collatzSteps", Array.from({ length: 1e5 - 1 }, (_, i) => i + 1));
  const longest = Math.max(...steps);
  console.log(`collatzSteps: longest chain below 100000 has ${longest} steps, from ${steps.indexOf(longest) + 1}`);

  // an in-place kernel on shared memory: two workers scale a half each
  const x = pool.alloc(Float64Array, 1000);
  for (let i = 0; i < x.length; i++) x[i] = i - 500;
  await Promise.all([pool.apply("scale", [x, 0, 500, 0.5]), pool.apply("scale", [x, 500, 1000, 0.5])]);
  console.log(`scale: x[0] = ${x[0]}, x[999] = ${x[999]}`);
  pool.free(x);

  // an iterate step kernel: Jacobi sweeps of a rod of 1000 points on 2 lanes until the largest
  // change is below 1e-6 (or 20000 sweeps). Each lane runs its steps in one long task; after each
  // step the lanes meet at a barrier in shared memory and their changes are reduced with "max".
  const n = 1000;
  const a = pool.alloc(Float64Array, n + 2);
  const b = pool.alloc(Float64Array, n + 2);
  a.fill(0);
  b.fill(0);
  a[0] = b[0] = 1; // the hot end; u[n+1] = 0
  const r = await pool.iterate({ kernel: "relaxStep", args: [a, b, n], lanes: 2, reduce: "max", until: { below: 1e-6 }, maxIterations: 20000 });
  const u = r.iterations % 2 === 0 ? a : b; // the grid the last sweep wrote
  console.log(`relaxStep: ${r.iterations} sweeps, last change ${r.value}, u[500] = ${u[500]}`);
  pool.free(a);
  pool.free(b);
} finally {
  await pool.close();
}
