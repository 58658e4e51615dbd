/**
 * The Game of Life on a P × Q block grid with pool.iterate: build the kernel, seed a grid, run
 * generations, draw them. run.mjs is the command line around this; the test
 * (test/examples/game-of-life.test.ts) runs it on 1, 2 and 3 workers against a serial version.
 */
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPool, encodePngAsync, rgbImage } from "wasm-mp";
import { partition2d } from "wasm-mp/grid";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const WASM = `${HERE}build/life.wasm`;
export const JS_KERNELS = `${HERE}life-kernels.mjs`;

/**
 * Compiles life.ts into build/life.wasm with asconfig.json, unless it is newer than its sources.
 * life.ts imports "wasm-mp/assembly/grid" as a user's kernel does; a user's project finds that in
 * node_modules/wasm-mp, and here build/packages/wasm-mp, a link to this repository, stands for it.
 */
export async function buildLifeWasm() {
  const sources = [`${HERE}life.ts`, `${HERE}asconfig.json`, `${ROOT}assembly/grid.ts`];
  if (existsSync(WASM) && sources.every((f) => statSync(f).mtimeMs <= statSync(WASM).mtimeMs)) return WASM;
  const packages = `${HERE}build/packages`;
  rmSync(packages, { recursive: true, force: true });
  mkdirSync(packages, { recursive: true });
  symlinkSync(ROOT, `${packages}/wasm-mp`, "junction");
  const { default: asc } = await import("assemblyscript/asc");
  const { error } = await asc.main(["life.ts", "--baseDir", HERE, "--config", "asconfig.json", "--target", "release", "--path", packages],
    { stdout: process.stdout, stderr: process.stderr });
  if (error) throw new Error(`building examples/game-of-life/life.ts failed (the compiler's messages are above): ${error.message}`);
  return WASM;
}

/** A reproducible random start: each cell alive with probability `density` (mulberry32 from `seed`). */
export function seedCells(rows, cols, seed = 1, density = 0.35) {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const cells = new Uint8Array(rows * cols);
  for (let i = 0; i < cells.length; i++) cells[i] = random() < density ? 1 : 0;
  return cells;
}

/**
 * Runs `generations` generations of a rows × cols grid (`initial`: rows·cols bytes, 1 alive)
 * cut into p × q blocks, on `workers` workers with the AssemblyScript kernel (kernels "wasm")
 * or the JavaScript one ("js"). Stops early when a generation changes nothing. With `every`,
 * onFrame(cells, generation) sees the grid every `every` generations and at the end.
 * Returns { cells, generations, still, elapsedMs }.
 */
export async function runLife({ rows, cols, p, q, generations, initial, workers, kernels = "wasm", every, onFrame }) {
  // the kernels take the blocks as given: partition2d checks them first (p ≤ rows, q ≤ cols, …)
  partition2d(rows, cols, { p, q });
  if (!(initial instanceof Uint8Array) || initial.length !== rows * cols) throw new RangeError(`initial must be a Uint8Array of rows · cols = ${rows * cols} cells`);
  const module = kernels === "js" ? JS_KERNELS : await buildLifeWasm();
  const pool = await createPool({ workers, module });
  try {
    const stride = cols + 2;
    // two grids with a dead border, double-buffered; `current` holds the generation reached
    let current = pool.alloc(Uint8Array, (rows + 2) * stride);
    let other = pool.alloc(Uint8Array, (rows + 2) * stride);
    for (let r = 0; r < rows; r++) current.set(initial.subarray(r * cols, (r + 1) * cols), (r + 1) * stride + 1);
    const cells = () => {
      const out = new Uint8Array(rows * cols);
      for (let r = 0; r < rows; r++) out.set(current.subarray((r + 1) * stride + 1, (r + 1) * stride + 1 + cols), r * cols);
      return out;
    };
    let done = 0;
    let still = false;
    let elapsedMs = 0;
    if (onFrame) await onFrame(cells(), 0);
    while (done < generations && !still) {
      const steps = Math.min(every ?? generations, generations - done);
      const r = await pool.iterate({
        kernel: "lifeStep", args: [current, other, rows, cols, p, q], lanes: pool.size,
        reduce: "sum", until: { below: 1 }, maxIterations: steps,
      });
      done += r.iterations;
      still = r.converged; // a generation with no cell changed: every later one is the same
      elapsedMs += r.elapsedMs;
      if (r.iterations % 2 === 1) [current, other] = [other, current];
      if (onFrame) await onFrame(cells(), done);
    }
    return { cells: cells(), generations: done, still, elapsedMs };
  } finally {
    await pool.close();
  }
}

/** A PNG of the grid, `scale` pixels per cell: living cells dark on white. */
export function lifePng(cells, rows, cols, scale = 2) {
  const image = rgbImage(cols * scale, rows * scale);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (!cells[r * cols + c]) continue;
      for (let y = r * scale; y < (r + 1) * scale; y++) {
        for (let x = c * scale; x < (c + 1) * scale; x++) image.pixels.set([24, 48, 96], (y * image.width + x) * 3);
      }
    }
  }
  return encodePngAsync(image);
}
