#!/usr/bin/env node
// Runs the benchmark suites, each in its own process: `node bench/run.js [suite ...]`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const dir = new URL(".", import.meta.url);
const all = readdirSync(dir).filter((f) => f.endsWith(".bench.js")).map((f) => f.replace(/\.bench\.js$/, "")).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(", ")}; suites: ${all.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const suite of wanted.length ? wanted : all) {
  console.log(`\n=== ${suite} ===`);
  const r = spawnSync(process.execPath, [new URL(`${suite}.bench.js`, dir).pathname], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
