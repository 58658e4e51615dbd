// What WASM buys you: the same kernels in JavaScript (a JS module of kernels,
// createPool({ module: "kernels.mjs" })) and in AssemblyScript, scalar and SIMD, through the
// pool: pool.mapReduce over a range on 2 workers, the arrays in the pool's shared memory.
//   dot     Σ x[i]·y[i] over 2^22 f64 pairs (64 MiB read per call): memory-bound
//   axpy    y[i] += a·x[i] over 2^22 f64 (read 64 MiB, write 32 MiB): memory-bound
//   mandel  Mandelbrot escape counts of a 768×768 image, at most 500 steps a pixel: compute-bound
// Kernels: bench/fixtures/js-kernels.mjs (JS) and bench/fixtures/js-kernels.ts (AssemblyScript,
// compiled here with the pool's options into build/bench-fixtures/ when missing or older).
// Every variant's result is checked against a plain JS loop before it is timed. The ratios are
// JS time / WASM time, each the best of 5 runs measured interleaved (JS, scalar, SIMD, JS, …),
// on 1 worker and on 2.
// Run: node bench/js-kernels.bench.js  (after npm run build), or npm run bench -- js-kernels
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createPool } from "../dist/index.js";
import { add, formatMs, suite } from "./suite.js";
import { cpuModel } from "./cpu.js";

const WORKERS = 2;
const N = 2 ** 22;
const CHUNK = 2 ** 16;
const A = 1e-9; // axpy's factor: y stays bounded however many times it runs
const IMAGE = { width: 768, height: 768, maxIter: 500 };
const ROUNDS = 5;

const root = new URL("../", import.meta.url);
const source = fileURLToPath(new URL("bench/fixtures/js-kernels.ts", root));
const wasm = fileURLToPath(new URL("build/bench-fixtures/js-kernels.wasm", root));

/** Compiles the AssemblyScript kernels with the pool's options, unless the .wasm is newer than its source. */
function compileKernels() {
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= statSync(source).mtimeMs) return;
  const out = fileURLToPath(new URL("build/bench-fixtures/", root));
  mkdirSync(out, { recursive: true });
  const asc = fileURLToPath(new URL("node_modules/assemblyscript/bin/asc.js", root));
  // the flags of asconfig.json's options, without its entries (the bundled kernels); run from
  // build/bench-fixtures/ so that asc does not merge in the repository's asconfig.json
  execFileSync(process.execPath, [asc, source, "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1",
    "--maximumMemory", "65536", "--enable", "threads", "--enable", "simd", "-O3", "--noAssert", "--outFile", wasm], { cwd: out, stdio: "inherit" });
}

compileKernels();
const cpu = cpuModel();
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`CPU: ${cpu} (${cpus().length} cores), load average before: ${load()}`);

const js = await createPool({ workers: WORKERS, module: new URL("fixtures/js-kernels.mjs", import.meta.url) });
const as = await createPool({ workers: WORKERS, module: wasm });

/** x and y in a pool's memory, the same values in both pools. */
function arrays(pool) {
  const x = pool.alloc(Float64Array, N);
  const y = pool.alloc(Float64Array, N);
  fill(x, y);
  return { x, y };
}
function fill(x, y) {
  for (let i = 0; i < N; i++) {
    x[i] = ((i * 7919) % 1000) / 1000;
    y[i] = ((i * 104729) % 1000) / 1000 - 0.5;
  }
}
const jsArrays = arrays(js);
const asArrays = arrays(as);

// The variants, each a call of the pool on `workers` of its workers: [name, (workers) => Promise<number>]
const range = (pool, kernel, end, chunkSize, args) => (workers = WORKERS) => pool.mapReduce(kernel, [0, end], { chunkSize, args, workers });
const mandelArgs = [IMAGE.width, IMAGE.height, IMAGE.maxIter];
const PIXELS = IMAGE.width * IMAGE.height;
const variants = {
  dot: [
    ["JS", range(js, "dot", N, CHUNK, [jsArrays.x, jsArrays.y])],
    ["AS scalar", range(as, "dotScalar", N, CHUNK, [asArrays.x, asArrays.y])],
    ["AS SIMD", range(as, "dotSimd", N, CHUNK, [asArrays.x, asArrays.y])],
  ],
  axpy: [
    ["JS", range(js, "axpy", N, CHUNK, [A, jsArrays.x, jsArrays.y])],
    ["AS scalar", range(as, "axpyScalar", N, CHUNK, [A, asArrays.x, asArrays.y])],
    ["AS SIMD", range(as, "axpySimd", N, CHUNK, [A, asArrays.x, asArrays.y])],
  ],
  mandel: [
    ["JS", range(js, "mandel", PIXELS, 4096, mandelArgs)],
    ["AS scalar", range(as, "mandelScalar", PIXELS, 4096, mandelArgs)],
    ["AS SIMD", range(as, "mandelSimd", PIXELS, 4096, mandelArgs)],
  ],
};

// ---- every variant's result against a plain loop, before any timing ----
function fail(what) {
  console.error(`wrong result: ${what}`);
  process.exit(1);
}
{
  const x = new Float64Array(N);
  const y = new Float64Array(N);
  fill(x, y);
  let dot = 0;
  for (let i = 0; i < N; i++) dot += x[i] * y[i];
  const got = [];
  for (const [name, run] of variants.dot) {
    const v = await run();
    got.push(v);
    // the pool sums per part, then the parts pairwise; SIMD sums in two lanes: not the loop's order
    if (Math.abs(v - dot) > 1e-12 * N) fail(`dot ${name}: ${v}, a plain loop gives ${dot}`);
  }
  if (!Object.is(got[0], got[1])) fail(`dot: JS ${got[0]} and AS scalar ${got[1]} do the same operations and must give the same bits`);
  // axpy once on fresh y: every element is y + a·x, one rounding, whatever the variant
  for (const [name, run] of variants.axpy) {
    fill(jsArrays.x, jsArrays.y);
    fill(asArrays.x, asArrays.y);
    if ((await run()) !== N) fail(`axpy ${name}: not N elements`);
    const out = name === "JS" ? jsArrays.y : asArrays.y;
    for (let i = 0; i < N; i++) if (!Object.is(out[i], y[i] + A * x[i])) fail(`axpy ${name}: element ${i} is ${out[i]}, want ${y[i] + A * x[i]}`);
  }
  const { width, height, maxIter } = IMAGE;
  let count = 0;
  for (let p = 0; p < width * height; p++) {
    const cr = -2 + (p % width) * (3 / width);
    const ci = -1.5 + Math.floor(p / width) * (3 / height);
    let zr = 0, zi = 0, k = 0;
    for (; k < maxIter; k++) {
      const zr2 = zr * zr, zi2 = zi * zi;
      if (zr2 + zi2 > 4) break;
      zi = 2 * zr * zi + ci;
      zr = zr2 - zi2 + cr;
    }
    count += k;
  }
  for (const [name, run] of variants.mandel) {
    const v = await run();
    if (v !== count) fail(`mandel ${name}: ${v} steps, a plain loop counts ${count}`);
  }
  console.log(`checked: dot ≈ ${dot.toFixed(6)} (JS and AS scalar the same bits), axpy exact, mandel ${count} steps in every variant`);
}

// warm-up: V8 runs a first long wasm call in its baseline compiler (Liftoff), and JS needs its optimizing tier too
for (let i = 0; i < 3; i++) for (const list of Object.values(variants)) for (const [, run] of list) await run();

// ---- the ratios: interleaved, best of ROUNDS, on 1 worker and on all ----
// Wall time, and the process's CPU time (every thread's: the workers' kernels, the pool's
// bookkeeping): on a loaded host a call's wall time includes the time its threads waited for a
// core, its CPU time does not.
const ratios = {};
for (const workers of [1, WORKERS]) {
  const best = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [kernel, list] of Object.entries(variants)) {
      for (const [name, run] of list) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await run(workers);
        const wall = performance.now() - t0;
        const used = process.cpuUsage(cpu0);
        const key = `${kernel} ${name}`;
        const b = (best[key] ??= { wall: Infinity, cpu: Infinity });
        b.wall = Math.min(b.wall, wall);
        b.cpu = Math.min(b.cpu, (used.user + used.system) / 1000);
      }
    }
  }
  console.log(`\nWhat WASM buys you: best of ${ROUNDS}, interleaved, ${workers} worker${workers > 1 ? "s" : ""} (${cpu}; load average after: ${load()})`);
  console.log(`  ${"kernel".padEnd(8)} ${"JS".padStart(10)} ${"AS scalar".padStart(10)} ${"AS SIMD".padStart(10)}   JS/scalar  JS/SIMD   (CPU time: JS/scalar  JS/SIMD)`);
  for (const kernel of Object.keys(variants)) {
    const [tj, ts, tv] = ["JS", "AS scalar", "AS SIMD"].map((n) => best[`${kernel} ${n}`]);
    ratios[`${kernel}, ${workers} worker${workers > 1 ? "s" : ""}`] = { wall: [tj.wall / ts.wall, tj.wall / tv.wall], cpu: [tj.cpu / ts.cpu, tj.cpu / tv.cpu] };
    console.log(`  ${kernel.padEnd(8)} ${formatMs(tj.wall).padStart(10)} ${formatMs(ts.wall).padStart(10)} ${formatMs(tv.wall).padStart(10)}   ` +
      `${(tj.wall / ts.wall).toFixed(2).padStart(9)}  ${(tj.wall / tv.wall).toFixed(2).padStart(7)}              ${(tj.cpu / ts.cpu).toFixed(2).padStart(9)}  ${(tj.cpu / tv.cpu).toFixed(2).padStart(7)}`);
  }
}
writeFileSync(new URL("results/js-kernels-ratios.json", import.meta.url), JSON.stringify({ cpu, rounds: ROUNDS, loadAfter: loadavg(), ratios }, null, 1) + "\n");

// ---- the same cases as a benny suite, for the saved results (bench/results/js-kernels.json) ----
const options = { minSamples: 5, maxTime: 2 };
await suite(
  `JS kernels against AssemblyScript, ${WORKERS} workers`,
  "js-kernels",
  ...Object.entries(variants).flatMap(([kernel, list]) => list.map(([name, run]) => add(`${kernel}: ${name}`, async () => { await run(WORKERS); }, options))),
);

await js.close();
await as.close();
