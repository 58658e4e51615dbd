#!/usr/bin/env node
/**
 * The Game of Life with pool.iterate, written out as PNG files. From the repository root:
 *
 *   node examples/game-of-life/run.mjs                        # 256 × 256, 500 generations → life.png
 *   node examples/game-of-life/run.mjs --every 10             # and life-0000.png, life-0010.png, … (frames)
 *   node examples/game-of-life/run.mjs --js                   # the JavaScript kernel instead of AssemblyScript
 *   node examples/game-of-life/run.mjs --size 512 --generations 1000 --workers 2 --blocks 2x3 --seed 7 --out big.png
 */
import { availableParallelism } from "node:os";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { lifePng, runLife, seedCells } from "./life.mjs";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "256" },
    generations: { type: "string", default: "500" },
    workers: { type: "string", default: String(Math.min(3, availableParallelism())) },
    blocks: { type: "string", default: "2x3" },
    seed: { type: "string", default: "1" },
    every: { type: "string" },
    scale: { type: "string", default: "2" },
    out: { type: "string", default: "life.png" },
    js: { type: "boolean", default: false },
  },
});
/** A mistake on the command line: one line on stderr, exit code 2. */
const usage = (message) => {
  console.error(message);
  process.exit(2);
};
const integer = (name, text, min) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer of at least ${min}; got ${text}`);
  return n;
};
const size = integer("size", values.size, 1);
const [p, q] = values.blocks.split("x").map((t) => integer("blocks", t, 1));
if (q === undefined) usage(`--blocks is PxQ, e.g. 2x3; got ${values.blocks}`);
if (p > size || q > size) usage(`--blocks ${values.blocks}: at most ${size} blocks each way on a grid of ${size} × ${size}`);
const every = values.every === undefined ? undefined : integer("every", values.every, 1);
const scale = integer("scale", values.scale, 1);
const frameName = (generation) => values.out.replace(/(\.png)?$/, `-${String(generation).padStart(4, "0")}.png`);

const r = await runLife({
  rows: size, cols: size, p, q,
  generations: integer("generations", values.generations, 1),
  initial: seedCells(size, size, integer("seed", values.seed, 0)),
  workers: integer("workers", values.workers, 1),
  kernels: values.js ? "js" : "wasm",
  every,
  onFrame: every === undefined ? undefined : async (cells, generation) => writeFileSync(frameName(generation), await lifePng(cells, size, size, scale)),
});
writeFileSync(values.out, await lifePng(r.cells, size, size, scale));
const alive = r.cells.reduce((n, c) => n + c, 0);
console.log(`${size}×${size} cells in ${p}×${q} blocks, ${values.js ? "JavaScript" : "AssemblyScript"} kernel: ` +
  `${r.generations} generations${r.still ? " (then still)" : ""} in ${r.elapsedMs.toFixed(1)} ms, ${alive} alive → ${values.out}` +
  (every === undefined ? "" : ` and frames ${frameName(0)} …`));
