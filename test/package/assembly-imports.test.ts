/**
 * The AssemblyScript a user imports for step kernels (docs/pool.md, "A step kernel in
 * AssemblyScript"), the way a user does: the packed package unpacked into a project's
 * node_modules/wasm-mp as npm puts it, a kernels.ts importing "wasm-mp/assembly/…", asc run in
 * the project with the asconfig.json of `wasm-mp init`, and the docs' run.mjs run as written.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Barrier, Mutex } from "../../dist/sync-entry.js";
import { createPool } from "../../dist/index.js";
import { ROOT } from "../helpers/asc.js";
import { packPackage } from "../bench/pack.js";

const ASC = join(ROOT, "node_modules/assemblyscript/bin/asc.js");

/** The code block of `lang` in the docs/pool.md section headed `heading`. */
function docsBlock(heading: string, lang: string): string {
  const docs = readFileSync(join(ROOT, "docs/pool.md"), "utf8");
  const section = docs.slice(docs.indexOf(heading), docs.indexOf("\n## ", docs.indexOf(heading)));
  const match = section.match(new RegExp("```" + lang + "\\n([\\s\\S]*?)```"));
  if (!match) throw new Error(`no ${lang} block under ${heading} in docs/pool.md`);
  return match[1]!;
}

/** The plate's Jacobi sweeps as plateStep defines them, serially: [sweeps, centre value]. */
function serialPlate(rows: number, cols: number, tolerance: number): [number, number] {
  const stride = cols + 2;
  let a = new Float64Array((rows + 2) * stride);
  let b = new Float64Array((rows + 2) * stride);
  for (let c = 1; c <= cols; c++) a[c] = b[c] = 100;
  let sweeps = 0;
  for (let change = Infinity; change >= tolerance; sweeps++) {
    change = 0;
    for (let r = 1; r <= rows; r++) {
      for (let c = 1; c <= cols; c++) {
        const i = r * stride + c;
        const v = 0.25 * (a[i - stride]! + a[i + stride]! + a[i - 1]! + a[i + 1]!);
        change = Math.max(change, Math.abs(v - a[i]!));
        b[i] = v;
      }
    }
    [a, b] = [b, a];
  }
  return [sweeps, a[(rows / 2 + 1) * stride + cols / 2 + 1]!];
}

const HEADING = "### A step kernel in AssemblyScript";
let dir: string;
let project: string;

beforeAll(() => {
  const packed = packPackage();
  dir = packed.dir;
  project = join(dir, "project");
  // what `npm install wasm-mp` leaves: the package's files in node_modules/wasm-mp
  mkdirSync(join(project, "node_modules"), { recursive: true });
  execFileSync("tar", ["-xzf", packed.tarball, "-C", join(project, "node_modules")]);
  renameSync(join(project, "node_modules/package"), join(project, "node_modules/wasm-mp"));
  // the one dependency a pool needs at run time, from this checkout rather than the registry
  symlinkSync(join(ROOT, "node_modules/tinypool"), join(project, "node_modules/tinypool"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "project", private: true, type: "module" }));
  copyFileSync(join(ROOT, "templates/init/asconfig.json"), join(project, "asconfig.json"));
}, 120_000);

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** `asc <entry> --config asconfig.json --target release` in the project, as its build script runs it. */
function build(entry: string, source: string, outFile: string): ReturnType<typeof spawnSync> {
  writeFileSync(join(project, entry), source);
  return spawnSync(process.execPath, [ASC, entry, "--config", "asconfig.json", "--target", "release", "--outFile", outFile], { cwd: project, encoding: "utf8" });
}

describe("wasm-mp/assembly/… in a user's project", () => {
  it("builds the step kernel of docs/pool.md, and its run.mjs prints the serial plate's sweeps and centre, bit for bit", () => {
    // the template's asconfig lists kernels.ts as an entry: the docs' kernel goes there
    const built = build("kernels.ts", docsBlock(HEADING, "ts"), "build/kernels.wasm");
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
    writeFileSync(join(project, "run.mjs"), docsBlock(HEADING, "js"));
    const run = spawnSync(process.execPath, ["run.mjs"], { cwd: project, encoding: "utf8", timeout: 120_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [sweeps, centre] = serialPlate(40, 60, 1e-6);
    expect(run.stdout.trim()).toBe(`${sweeps} ${centre}`);
  }, 180_000);

  it("builds kernels that use the grid helpers and the sync primitives, and they compute what partition2d and blockCyclic2d say", async () => {
    const source = [
      'import { blockRow0, blockRow1, blockCol0, blockCol1, boundary, cellAddress, cyclicOwner } from "wasm-mp/assembly/grid";',
      'import { mutexLock, mutexUnlock } from "wasm-mp/assembly/sync";',
      'import { barrierWait } from "wasm-mp/assembly/barrier";',
      "/** Writes each cell's block index (P × Q blocks) into a rows × cols f64 grid. */",
      "export function markBlocks(grid: usize, rows: i32, cols: i32, p: i32, q: i32): void {",
      "  for (let k = 0; k < p * q; k++)",
      "    for (let r = blockRow0(k, p, q, rows); r < blockRow1(k, p, q, rows); r++)",
      "      for (let c = blockCol0(k, q, cols); c < blockCol1(k, q, cols); c++) store<f64>(cellAddress<f64>(grid, r, c, cols), <f64>k);",
      "}",
      "/** Writes each cell's owner under tiles of tr × tc dealt to P × Q owners into a rows × cols i32 grid. */",
      "export function markOwners(grid: usize, rows: i32, cols: i32, tr: i32, tc: i32, p: i32, q: i32): void {",
      "  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) store<i32>(cellAddress<i32>(grid, r, c, cols), cyclicOwner(r, c, tr, tc, p, q));",
      "}",
      "export function split(i: i32, n: i32, length: i32): i32 { return boundary(i, n, length); }",
      "/** A step in two phases: each lane writes lane + iteration, waits at the barrier, then sums every lane's value. */",
      "export function twoPhaseStep(lane: i32, lanes: i32, iteration: i32, barrier: usize, values: usize): f64 {",
      "  store<f64>(values + (<usize>lane << 3), <f64>(lane + iteration));",
      "  if (barrierWait(barrier, 10_000) != 0) return -1;",
      "  let sum: f64 = 0;",
      "  for (let i = 0; i < lanes; i++) sum += load<f64>(values + (<usize>i << 3));",
      "  return sum;",
      "}",
      "/** Adds 1 to the i32 at `counter` `times` times, each under the mutex. */",
      "export function lockedAdd(mutex: usize, counter: usize, times: i32): void {",
      "  for (let i = 0; i < times; i++) { mutexLock(mutex); store<i32>(counter, load<i32>(counter) + 1); mutexUnlock(mutex); }",
      "}",
    ].join("\n");
    const built = build("helpers.ts", source, "build/helpers.wasm");
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);

    const { partition2d, blockCyclic2d, ownerOf } = await import("../../dist/grid.js");
    const pool = await createPool({ workers: 3, module: join(project, "build/helpers.wasm") });
    try {
      const [rows, cols] = [23, 17];
      const blocks = pool.alloc(Float64Array, rows * cols);
      await pool.apply("markBlocks", [blocks, rows, cols, 4, 3]);
      const part = partition2d(rows, cols, { p: 4, q: 3 });
      const wantBlocks = new Float64Array(rows * cols);
      for (const b of part.blocks) for (let r = b.row0; r < b.row1; r++) for (let c = b.col0; c < b.col1; c++) wantBlocks[r * cols + c] = b.index;
      expect([...blocks]).toEqual([...wantBlocks]);

      const owners = pool.alloc(Int32Array, rows * cols);
      await pool.apply("markOwners", [owners, rows, cols, 3, 2, 2, 4]);
      const d = blockCyclic2d(rows, cols, { p: 2, q: 4, tileRows: 3, tileCols: 2 });
      expect([...owners]).toEqual(Array.from({ length: rows * cols }, (_, i) => ownerOf(d, Math.floor(i / cols), i % cols)));

      // ⌊i·length/n⌋ without overflow where i·length passes 2³¹
      expect(await pool.apply("split", [3, 7, 2_000_000_000])).toBe(Math.floor((3 * 2_000_000_000) / 7));

      const mutex = Mutex.create(pool);
      const counter = pool.alloc(Int32Array, 1);
      await pool.starmap("lockedAdd", [[mutex, counter, 20_000], [mutex, counter, 20_000], [mutex, counter, 20_000]], { chunkSize: 1 });
      expect(counter[0]).toBe(60_000);

      // the values of step i are 0 + 1 + 2 + 3·i; "min" over the lanes sees a lane that read before all had written
      const barrier = Barrier.create(pool, 3);
      const values = pool.alloc(Float64Array, 3);
      const r = await pool.iterate({ kernel: "twoPhaseStep", args: [barrier, values], lanes: 3, reduce: "min", maxIterations: 50 });
      expect([r.iterations, r.value]).toEqual([50, 3 + 3 * 49]);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
