// Gregory–Leibniz to exact digits: a plain JS BigInt sum vs the WASM kernel on one thread, the
// pool with 1..P workers at 1e6 terms and 60 digits, and the baseline of the notes: bc split
// across 2 processes (test/fixtures/leibniz.bc). Run: node bench/leibniz.bench.js
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { createPool, leibniz } from "../dist/index.js";
import { add, formatMs, suite } from "./suite.js";

const P = availableParallelism();
const pool = await createPool({ workers: P });
const DIGITS = 60;

// --- one thread: BigInt term by term vs the kernel (inline, in this thread) ------------------
function jsLeibniz(from, to, digits) {
  const numerator = 4n * 10n ** BigInt(digits);
  let sum = 0n;
  for (let i = from; i < to; i++) {
    const term = numerator / BigInt(2 * i + 1);
    sum += i % 2 === 0 ? term : -term;
  }
  return sum;
}
const N1 = 1e5;
await suite(
  `leibniz: one thread, 1e5 terms at ${DIGITS} digits`,
  "leibniz-one-thread",
  add("plain JS (BigInt)", () => jsLeibniz(0, N1, DIGITS), { minSamples: 3, maxTime: 3 }),
  add("WASM kernel (inline)", async () => { await leibniz({ from: 0, to: N1, digits: DIGITS, pool, workers: 1, chunkSize: N1 }); }, { minSamples: 5, maxTime: 3 }),
);

// --- the pool, 1..P workers, 1e6 terms ---------------------------------------------------------
const N = 1e6;
await suite(
  `leibniz: pool, 1e6 terms at ${DIGITS} digits, 1..${P} workers`,
  "leibniz-pool",
  ...Array.from({ length: P }, (_, i) =>
    add(`${i + 1} worker${i ? "s" : ""}`, async () => { await leibniz({ from: 0, to: N, digits: DIGITS, workers: i + 1, pool }); }, { minSamples: 10, maxTime: 5 })),
);
const ours = await leibniz({ from: 0, to: N, digits: DIGITS, workers: Math.min(2, P), pool });

// --- the baseline: bc on [0, 5e5) and [5e5, 1e6) in two processes at once ----------------------
const program = new URL("../test/fixtures/leibniz.bc", import.meta.url).pathname;
function bc(from, to) {
  return new Promise((resolve, reject) => {
    const child = spawn("bc", ["-q", program], { env: { ...process.env, BC_LINE_LENGTH: "0" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", () => resolve(out.trim()));
    child.stdin.end(`l(${from}, ${to}, ${DIGITS})\n`);
  });
}
if (spawnSync("bc", ["--version"]).status === 0) {
  const started = performance.now();
  const halves = await Promise.all([bc(0, N / 2), bc(N / 2, N)]);
  const bcMs = performance.now() - started;
  const scaled = (s) => BigInt(s.replace(".", ""));
  const sum = halves.map(scaled).reduce((a, b) => a + b);
  const same = sum === BigInt(ours.value.replace(".", ""));
  console.log(`bc, 2 processes, 1e6 terms at ${DIGITS} digits: ${formatMs(bcMs)} (sum ${same ? "equals" : "DIFFERS from"} ours); ` +
    `wasm-mp with ${ours.workers} workers: ${formatMs(ours.elapsedMs)}, ${(bcMs / ours.elapsedMs).toFixed(0)}× faster`);
} else {
  console.log("(bc not found: baseline skipped)");
}
await pool.close();
