// Gregory–Leibniz to exact digits: the package's leibniz suite (plain JS BigInt vs the kernel,
// the pool on 1..P workers: src/bench/suites, as `wasm-mp bench` runs it), then the baseline of
// the notes: bc split across 2 processes (test/fixtures/leibniz.bc), 1e6 terms at 60 digits.
// Run: node bench/leibniz.bench.js
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { createPool, leibniz } from "../dist/index.js";
import { formatMs, shared } from "./suite.js";

const P = availableParallelism();
const pool = await createPool({ workers: P });
const DIGITS = 60;

await shared("leibniz");

const N = 1e6;
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
