/**
 * examples/game-of-life: the Game of Life on a P × Q block grid with pool.iterate, in
 * AssemblyScript and in JavaScript, against a serial Game of Life written here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildLifeWasm, lifePng, runLife, seedCells } from "../../examples/game-of-life/life.mjs";
import { InvalidArgumentError } from "../../dist/index.js";
import { ROOT } from "../helpers/asc.js";

/** One generation, serially: cells outside the grid are dead. */
function serialStep(cells: Uint8Array, rows: number, cols: number): Uint8Array {
  const next = new Uint8Array(rows * cols);
  const at = (r: number, c: number) => (r < 0 || r >= rows || c < 0 || c >= cols ? 0 : cells[r * cols + c]!);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let n = 0;
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (dr || dc) n += at(r + dr, c + dc);
      next[r * cols + c] = n === 3 || (n === 2 && at(r, c) === 1) ? 1 : 0;
    }
  }
  return next;
}

/** Generations until `generations` or until one changes nothing (that one counted, as the example counts it). */
function serialLife(initial: Uint8Array, rows: number, cols: number, generations: number): { cells: Uint8Array; generations: number; still: boolean } {
  let cells = initial;
  for (let g = 1; g <= generations; g++) {
    const next = serialStep(cells, rows, cols);
    const still = next.every((x, i) => x === cells[i]);
    cells = next;
    if (still) return { cells, generations: g, still: true };
  }
  return { cells, generations, still: false };
}

describe("examples/game-of-life", () => {
  it("gives the same bits on 1, 2 and 3 workers as the serial Game of Life, with the AssemblyScript and the JavaScript kernel", async () => {
    await buildLifeWasm();
    const [rows, cols] = [37, 53];
    const initial = seedCells(rows, cols, 5);
    const want = serialLife(initial, rows, cols, 80);
    expect(want.still).toBe(false); // the soup is still changing after 80 generations
    for (const kernels of ["wasm", "js"]) {
      for (const workers of [1, 2, 3]) {
        const r = await runLife({ rows, cols, p: 2, q: 3, generations: 80, initial, workers, kernels, every: 25 });
        expect([kernels, workers, r.generations, r.still]).toEqual([kernels, workers, 80, false]);
        expect(Buffer.from(r.cells).equals(Buffer.from(want.cells)), `${kernels} on ${workers} workers`).toBe(true);
      }
    }
  }, 120_000);

  it("moves a glider one cell down and one right every 4 generations, across block boundaries", async () => {
    const [rows, cols] = [12, 12];
    const initial = new Uint8Array(rows * cols);
    for (const [r, c] of [[0, 1], [1, 2], [2, 0], [2, 1], [2, 2]]) initial[r * cols + c] = 1;
    const r = await runLife({ rows, cols, p: 3, q: 3, generations: 16, initial, workers: 3 });
    const alive = [...r.cells.keys()].filter((i) => r.cells[i]).map((i) => [Math.floor(i / cols), i % cols]);
    expect(alive).toEqual([[4, 5], [5, 6], [6, 4], [6, 5], [6, 6]]);
  }, 60_000);

  it("stops at the first generation that changes nothing: a block and a beehive are still lifes", async () => {
    const [rows, cols] = [8, 10];
    const initial = new Uint8Array(rows * cols);
    for (const [r, c] of [[1, 1], [1, 2], [2, 1], [2, 2], [4, 5], [4, 6], [5, 4], [5, 7], [6, 5], [6, 6]]) initial[r * cols + c] = 1;
    const r = await runLife({ rows, cols, p: 2, q: 2, generations: 100, initial, workers: 2, kernels: "js" });
    expect([r.generations, r.still]).toEqual([1, true]);
    expect(Buffer.from(r.cells).equals(Buffer.from(initial))).toBe(true);
  }, 60_000);

  it("draws living cells dark on white, scale × scale pixels each", async () => {
    const cells = Uint8Array.of(1, 0, 0, 1, 1, 0); // 2 rows × 3 cols
    const png: Uint8Array = await lifePng(cells, 2, 3, 2);
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([6, 4]); // IHDR width, height
    const idatLength = view.getUint32(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength)); // one IDAT after the 33-byte signature + IHDR
    const pixel = (x: number, y: number) => [...raw.subarray(y * 19 + 1 + x * 3, y * 19 + 4 + x * 3)];
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 6; x++) expect(pixel(x, y), `${x},${y}`).toEqual(cells[Math.floor(y / 2) * 3 + Math.floor(x / 2)] ? [24, 48, 96] : [255, 255, 255]);
    }
  });

  it("runs from the repository with its one documented command, writing the final state and the frames", () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-mp-life-"));
    const out = join(dir, "life.png");
    const run = spawnSync(process.execPath, ["examples/game-of-life/run.mjs", "--size", "40", "--generations", "20", "--every", "10", "--workers", "2", "--out", out],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const want = serialLife(seedCells(40, 40, 1), 40, 40, 20);
    const alive = want.cells.reduce((n, c) => n + c, 0);
    expect(run.stdout).toMatch(new RegExp(`^40×40 cells in 2×3 blocks, AssemblyScript kernel: 20 generations in [0-9.]+ ms, ${alive} alive → `));
    for (const f of ["life.png", "life-0000.png", "life-0010.png", "life-0020.png"]) expect(existsSync(join(dir, f)), f).toBe(true);
    expect([...readFileSync(out).subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
  }, 60_000);

  it("checks the blocks before any work: more blocks than rows is an InvalidArgumentError, and a usage error (exit 2) on the command line", async () => {
    const e = await runLife({ rows: 4, cols: 4, p: 5, q: 1, generations: 1, initial: new Uint8Array(16), workers: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as Error).message).toBe("p must be an integer from 1 to 4; got 5");
    const run = spawnSync(process.execPath, ["examples/game-of-life/run.mjs", "--size", "40", "--blocks", "50x2"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect([run.status, run.stdout, run.stderr]).toEqual([2, "", "--blocks 50x2: at most 40 blocks each way on a grid of 40 × 40\n"]);
  });
});
