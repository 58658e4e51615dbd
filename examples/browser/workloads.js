// The workloads the page offers. Adding one is an entry here:
//   id        short name (element ids: run-<id>, result-<id>, param-<id>-<name>)
//   label     the button's text
//   params    inputs, passed to run() as numbers (1e9 and 1_000_000 are accepted)
//   run       (mp, pool, params, onProgress) => the workload's result (mp is the "wasm-mp" module)
//   check     result => a string that must be the same in Node (test/browser/e2e.test.ts runs
//             this same entry in Node): the f64 bits of numbers (bitsHex), exact integers, digits
//   describe  result => the line shown
//   release   optional (pool, result) => void: frees what the result holds in the pool's memory
//   draw      optional (canvas, result) => void, for a result that is a picture (the heat plate)
// This file is plain JavaScript with no imports, so that Node can load it too.

/** Hex of the numbers' IEEE-754 bytes: a comparison that no decimal formatting can blur. */
export function bitsHex(numbers) {
  const bytes = new Uint8Array(Float64Array.from(numbers).buffer);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** FNV-1a over a list of integers below 2^53 (two 32-bit halves each): a fingerprint of the list. */
function fingerprint(list) {
  let h = 0x811c9dc5;
  const mix = (x) => {
    for (let k = 0; k < 4; k++) {
      h ^= (x >>> (8 * k)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  };
  for (let i = 0; i < list.length; i++) {
    mix(list[i] % 2 ** 32);
    mix(Math.floor(list[i] / 2 ** 32));
  }
  return (h >>> 0).toString(16);
}

/** FNV-1a over the bytes of a Float64Array: a fingerprint of every number's exact bits. */
function bitsFingerprint(values) {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** matplotlib's "inferno" at 0, 1/8, …, 1 (dark = cold, bright = hot), as the CLI's heat map. */
const INFERNO = [
  [0, 0, 4], [31, 12, 72], [85, 15, 109], [136, 34, 106], [186, 54, 85],
  [227, 89, 51], [249, 140, 10], [249, 201, 50], [252, 255, 164],
];

/** The colour at t in [0, 1], linear between the samples. */
function inferno(t) {
  const x = Math.min(1, Math.max(0, t)) * (INFERNO.length - 1);
  const i = Math.min(INFERNO.length - 2, Math.floor(x));
  const f = x - i;
  return INFERNO[i].map((a, k) => Math.round(a + (INFERNO[i + 1][k] - a) * f));
}

/** The (N+2)² grid, boundary included, one pixel a cell, coldest to hottest on the inferno scale. */
function drawHeatMap(canvas, { grid, size }) {
  const side = size + 2;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of grid) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo;
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(side, side);
  for (let i = 0; i < grid.length; i++) {
    const [r, g, b] = inferno(span > 0 ? (grid[i] - lo) / span : 0.5);
    image.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
  canvas.title = `${size}×${size} plate, ${lo} (dark) to ${hi} (bright)`;
}

export const workloads = [
  {
    id: "pi",
    label: "π (midpoint rule)",
    params: [{ name: "n", label: "terms n", value: "1e9" }],
    run: (mp, pool, { n }, onProgress) => mp.pi({ n, pool, onProgress }),
    check: (r) => bitsHex([r.value]),
    describe: (r) => `π ≈ ${r.value.toFixed(15)}   error ${r.error.toExponential(2)}`,
  },
  {
    id: "montecarlo",
    label: "π (Monte Carlo)",
    params: [{ name: "samples", label: "samples", value: "1e9" }, { name: "seed", label: "seed", value: "1" }],
    run: (mp, pool, { samples, seed }, onProgress) => mp.monteCarloPi({ samples, seed, pool, onProgress }),
    check: (r) => `${r.hits} ${bitsHex([r.value])}`,
    describe: (r) => `π ≈ ${r.value.toFixed(8)} ± ${(1.96 * r.stdError).toExponential(1)} (95%)   ${r.hits} hits`,
  },
  {
    id: "leibniz",
    label: "π (Leibniz series, exact digits)",
    params: [{ name: "to", label: "terms", value: "1e8" }, { name: "digits", label: "digits", value: "50" }],
    run: (mp, pool, { to, digits }, onProgress) => mp.leibniz({ from: 0, to, digits, pool, onProgress }),
    check: (r) => r.value,
    describe: (r) => `Σ = ${r.value}`,
  },
  {
    id: "count-primes",
    label: "Count primes",
    params: [{ name: "upTo", label: "up to", value: "1e9" }],
    run: (mp, pool, { upTo }, onProgress) => mp.countPrimes({ upTo, sum: true, pool, onProgress }),
    check: (r) => `${r.count} ${r.sum} ${r.last}`,
    describe: (r) => `π(${r.upTo}) = ${r.count}, largest ${r.last}, sum ${r.sum}`,
  },
  {
    id: "list-primes",
    label: "List primes",
    params: [{ name: "upTo", label: "up to", value: "1e7" }],
    run: (mp, pool, { upTo }, onProgress) => mp.primes({ upTo, pool, onProgress }),
    check: (r) => `${r.count} ${r.sum} ${fingerprint(r.primes)}`,
    describe: (r) => `${r.count} primes: ${Array.from(r.primes.subarray(0, 5)).join(", ")}, …, ${r.last}`,
    release: (pool, r) => pool.free(r.primes),
  },
  {
    id: "heat",
    label: "Heat plate (Jacobi)",
    params: [
      { name: "size", label: "N", value: "100" },
      { name: "top", label: "top edge", value: "100" },
      { name: "tolerance", label: "tolerance", value: "1e-4" },
      { name: "maxIterations", label: "max sweeps", value: "100000" },
    ],
    run: (mp, pool, { size, top, tolerance, maxIterations }, onProgress) => mp.heat({ size, top, tolerance, maxIterations, pool, onProgress }),
    // the grid is a copy (heat() frees its grids in the pool), so there is nothing to release
    check: (r) => `${r.iterations} ${r.converged} ${bitsHex([r.centre, r.maxDiff])} ${bitsFingerprint(r.grid)}`,
    describe: (r) => `centre ${r.centre.toFixed(6)} after ${r.iterations} sweeps, ` +
      `${r.converged ? "converged" : "not converged"} (last change ${r.maxDiff.toExponential(2)})`,
    draw: drawHeatMap,
  },
];
