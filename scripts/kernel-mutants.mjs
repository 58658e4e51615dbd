#!/usr/bin/env node
// npm run test:kernel-mutants: mutation testing for the AssemblyScript kernels, which StrykerJS
// does not build. Each mutant below is one realistic edit of assembly/*.ts. For each, in a
// sandbox copy of the repository (the working tree is never edited): apply the edit, rebuild
// build/kernels.wasm, run the tests that should notice. A mutant is killed when a test fails or
// the run passes its time limit (a hang is a detected bug: a lost wake-up, an endless loop).
// Every mutant must be killed; a survivor is a gap in the tests (or an equivalent edit to remove
// from the list, with the reason in docs/testing.md).
//   node scripts/kernel-mutants.mjs [--only id,id] [--keep]   (--keep leaves .kernel-mutants/)
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SANDBOX = join(ROOT, ".kernel-mutants");
const RUN_LIMIT_S = 300;

const PI = ["test/workloads/pi.test.ts"];
const MC = ["test/workloads/montecarlo.test.ts"];
const LEIBNIZ = ["test/workloads/leibniz.test.ts"];
const PRIMES = ["test/workloads/primes.test.ts"];
const HEAT = ["test/workloads/heat.test.ts"];
const HEAT_METHODS = ["test/workloads/heat-methods.test.ts", "test/workloads/heat-mutants.test.ts"];
const WAKEUPS = "test/pool/kernel-wakeups.test.ts";

/** id, file, the text to replace (must occur exactly once), its replacement, the tests, the bug. */
export const MUTANTS = [
  { id: "pi-scalar-right-rule", file: "assembly/pi.ts", find: "const x0 = (i - 0.5) * h;", replace: "const x0 = (i + 0.5) * h;", tests: PI,
    why: "scalar kernel: the right-hand rule instead of the midpoint for even terms" },
  { id: "pi-simd-n-not-squared", file: "assembly/pi.ts", find: "let c1 = f64x2.splat(n2 + 1.0);", replace: "let c1 = f64x2.splat(n + 1.0);", tests: PI,
    why: "SIMD kernel: n instead of n² in the pair's denominators" },
  { id: "pi-simd-tail", file: "assembly/pi.ts", find: "    s += 1.0 / (1.0 + x * x);\n  }\n  return s;", replace: "    s += 1.0 / (1.0 + x);\n  }\n  return s;", tests: PI,
    why: "SIMD kernel: the tail terms (N mod 8) without the square" },
  { id: "pi-simd-one-lane", file: "assembly/pi.ts", find: "let s = (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)) * (2.0 * n2);", replace: "let s = (f64x2.extract_lane(acc, 0) * 2) * (2.0 * n2);", tests: PI,
    why: "SIMD kernel: one lane's sum counted twice" },
  { id: "mc-no-refinement", file: "assembly/montecarlo.ts", find: "  return refinedHit(a, b, philoxWord(<u32>c, <u32>(c >>> 32), 1, 0, k, k0, k1));", replace: "  return 1;", tests: MC,
    why: "a straddling cell counted as a hit without the refinement word" },
  { id: "mc-nine-rounds", file: "assembly/montecarlo.ts", find: "function philoxWord(c0: u32, c1: u32, c2: u32, c3: u32, k: u32, k0: u32, k1: u32): u32 {\n  for (let r = 0; r < 10; r++) {", replace: "function philoxWord(c0: u32, c1: u32, c2: u32, c3: u32, k: u32, k0: u32, k1: u32): u32 {\n  for (let r = 0; r < 9; r++) {", tests: MC,
    why: "Philox4x32 with 9 rounds instead of 10" },
  { id: "mc-scalar-key-swapped", file: "assembly/montecarlo.ts", find: "hits += sampleHit(i, <u32>keyLo, <u32>keyHi);", replace: "hits += sampleHit(i, <u32>keyHi, <u32>keyLo);", tests: MC,
    why: "scalar kernel: the key's halves swapped" },
  { id: "mc-simd-key-schedule", file: "assembly/montecarlo.ts", find: "      // round 3\n      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);", replace: "      // round 3\n      key0 = i32x4.add(key0, w1); key1r = i32x4.add(key1r, w0);", tests: MC,
    why: "SIMD kernel: the Weyl constants of the key schedule swapped from round 3 on (each round adds to the keys of the one before)" },
  { id: "mc-simd-second-group", file: "assembly/montecarlo.ts", find: "hits += laneHits(c, x0, x1, x2, x3, k0, k1) + laneHits(c + 4, y0, y1, y2, y3, k0, k1) +", replace: "hits += laneHits(c, x0, x1, x2, x3, k0, k1) + laneHits(c, x0, x1, x2, x3, k0, k1) +", tests: MC,
    why: "SIMD kernel: a step with a straddling word recounts its first set of four counters in place of the second" },
  { id: "mc-simd-no-carry", file: "assembly/montecarlo.ts", find: "if (cLo > 0xFFFFFFFF - 12) {", replace: "if (false) {", tests: MC,
    why: "SIMD kernel: a step whose counters cross 2³² takes the vector path, with no carry into the counters' high word" },
  { id: "leibniz-odd-denominator", file: "assembly/leibniz.ts", find: "const q = f64x2(2 * t + 1 + 4 * <f64>v, 2 * t + 3 + 4 * <f64>v);", replace: "const q = f64x2(2 * t + 1 + 4 * <f64>v, 2 * t + 5 + 4 * <f64>v);", tests: LEIBNIZ,
    why: "the second lane's denominator 2i+5 instead of 2i+3" },
  { id: "leibniz-no-floor-fixup", file: "assembly/leibniz.ts", find: "v128.store(last, f64x2.sub(v128.load(last), negatives));", replace: "v128.store(last, v128.load(last));", tests: LEIBNIZ,
    why: "terms whose last remainder is negative are not floored (rounded digits instead of bc's truncation)" },
  { id: "leibniz-odd-tail-dropped", file: "assembly/leibniz.ts", find: "if (t < blockEnd) addTermScalar(", replace: "if (t + 1 < blockEnd) addTermScalar(", tests: LEIBNIZ,
    why: "the last term of a block with an odd number of terms is dropped" },
  { id: "sieve-skip-single-prime-runs", file: "assembly/sieve.ts", find: "if (count != 0) crossRun(", replace: "if (count > 1) crossRun(", tests: PRIMES,
    why: "a wheel run with one active crossing prime is not sieved" },
  { id: "sieve-presieve-fill", file: "assembly/sieve.ts", find: "memory.fill(seg, 0xff, len);", replace: "memory.fill(seg, 0xfe, len);", tests: PRIMES,
    why: "without pre-sieve patterns, every 30k+1 starts out composite" },
  { id: "heat-stale-left", file: "assembly/heat.ts", find: "      left = right3;", replace: "      left = right2;", tests: HEAT,
    why: "the unrolled sweep takes a stale left neighbour at every 8th column" },
  { id: "heat-block-last-row-skipped", file: "assembly/heat.ts", find: "rowOf(n, lane, lanes), rowOf(n, lane + 1, lanes));", replace: "rowOf(n, lane, lanes), rowOf(n, lane + 1, lanes) - 1);", tests: HEAT,
    why: "each worker's sweep leaves the last row of its block unchanged" },
  { id: "sor-omega-ignored", file: "assembly/heat-relax.ts", find: "const v = plain ? gs : f64x2.add(old, f64x2.mul(w, f64x2.sub(gs, old)));", replace: "const v = gs;", tests: HEAT_METHODS,
    why: "SOR's interior cells relaxed by plain Gauss–Seidel (ω ignored in the SIMD loop)" },
  { id: "red-black-colours-swapped", file: "assembly/heat-relax.ts", find: "    const rhsRow = g + <usize>r * stride;\n    let c: usize = (<usize>(1 + ((r + 1 + colour) & 1))) << 3;\n    // two cells of the colour", replace: "    const rhsRow = g + <usize>r * stride;\n    let c: usize = (<usize>(1 + ((r + colour) & 1))) << 3;\n    // two cells of the colour", tests: HEAT_METHODS,
    why: "each half-sweep relaxes the other colour's cells (black before red)" },
  { id: "multigrid-no-prolongation", file: "assembly/heat-multigrid.ts", find: "  } else if (op == OP_PROLONG) {\n    heatProlong(", replace: "  } else if (op == OP_PROLONG) {\n    if (false) heatProlong(", tests: HEAT_METHODS,
    why: "the V-cycle's coarse correction is never added back (no prolongation)" },
  { id: "barrier-lost-wakeup", file: "assembly/barrier.ts", find: "      if (atomic.load<i32>(ptr + SLEEPERS) != 0) atomic.notify(ptr + TICKET, -1);\n      settleReset(ptr);", replace: "      settleReset(ptr);", tests: [WAKEUPS, "test/sync/barrier.test.ts", ...HEAT],
    why: "the last to arrive does not wake those asleep at the barrier (a lost wake-up)" },
  { id: "mutex-lost-wakeup", file: "assembly/sync.ts", find: "    atomic.store<i32>(s, 0);\n    atomic.notify(s, 1);", replace: "    atomic.store<i32>(s, 0);", tests: [WAKEUPS, "test/sync/mutex.test.ts"],
    why: "unlock of a contended mutex without a notify (a lost wake-up)" },
  { id: "semaphore-release-bound", file: "assembly/sync.ts", find: "if (c > max - n) return 0;", replace: "if (c >= max - n) return 0;", tests: [WAKEUPS, "test/sync/semaphore.test.ts"],
    why: "a release that would bring the count back to its maximum is refused" },
  { id: "queue-overfill", file: "assembly/sync-queue.ts", find: "    const count = atomic.load<i32>(q + Q_COUNT);\n    if (count < capacity) {\n      const rec", replace: "    const count = atomic.load<i32>(q + Q_COUNT);\n    if (count <= capacity) {\n      const rec", tests: ["test/sync/queue.test.ts"],
    why: "a record put into a full queue overwrites the oldest" },
];

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: "utf8", ...opts });
}

/** A copy of what the tests need; node_modules linked, dist and the kernels' sources copied. */
function makeSandbox() {
  rmSync(SANDBOX, { recursive: true, force: true });
  mkdirSync(SANDBOX);
  for (const entry of ["package.json", "vitest.config.ts", "asconfig.json", "tsconfig.json", "dist", "assembly", "test", "examples/user-kernel", "build"]) {
    cpSync(join(ROOT, entry), join(SANDBOX, entry), { recursive: true, filter: (src) => !src.includes("node_modules") && !src.endsWith(".kernel-mutants") });
  }
  symlinkSync(join(ROOT, "node_modules"), join(SANDBOX, "node_modules"));
}

/** The kernels, and the tests' sync-demos module (npm run asbuild:fixtures), which includes them. */
function build() {
  const asc = join(ROOT, "node_modules/assemblyscript/bin/asc.js");
  const kernels = sh(process.execPath, [asc, "assembly/index.ts", "--target", "release", "--config", "asconfig.json"], { cwd: SANDBOX });
  if (kernels.status !== 0) return kernels;
  return sh(process.execPath, [asc, "assembly/sync-demos.ts", "--config", "asconfig.json", "--target", "release",
    "--outFile", "build/test-fixtures/sync-demos.wasm", "--textFile", "build/test-fixtures/sync-demos.wat"], { cwd: SANDBOX });
}

function runTests(tests) {
  const vitest = join(ROOT, "node_modules/vitest/vitest.mjs");
  const started = Date.now();
  const r = sh("timeout", ["-k", "10", String(RUN_LIMIT_S), process.execPath, vitest, "run", ...tests, "--bail", "1", "--testTimeout", "30000"], { cwd: SANDBOX, maxBuffer: 64 << 20 });
  const failed = (r.stdout + r.stderr).split("\n").filter((l) => /FAIL|✗|×|AssertionError|Error:/.test(l)).slice(0, 3).map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trim());
  return { status: r.status, timedOut: r.status === 124 || r.status === 137, seconds: Math.round((Date.now() - started) / 1000), failed };
}

/** Each mutant's text as it stands in its file: where this is not 1, the kernel changed and the list must follow. */
export function occurrences(m) {
  return readFileSync(join(ROOT, m.file), "utf8").split(m.find).length - 1;
}

// run only as a script: test/scripts/kernel-mutants.test.ts imports the list
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

function main() {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined;
  const chosen = MUTANTS.filter((m) => !only || only.includes(m.id));
  for (const m of MUTANTS) {
    const n = occurrences(m);
    if (n !== 1) throw new Error(`mutant ${m.id}: its text occurs ${n} times in ${m.file} (must be once); the source changed, update the list`);
  }

  makeSandbox();
  const tests = [...new Set(chosen.flatMap((m) => m.tests))].filter((t) => existsSync(join(ROOT, t)));
  console.log(`baseline: the unmutated kernels pass ${tests.length} test files …`);
  const base = runTests(tests);
  if (base.status !== 0) {
    console.error(`the tests fail without any mutant (exit ${base.status}):\n${base.failed.join("\n")}`);
    process.exit(1);
  }

  const results = [];
  for (const m of chosen) {
    const path = join(SANDBOX, m.file);
    const original = readFileSync(join(ROOT, m.file), "utf8");
    writeFileSync(path, original.replace(m.find, m.replace));
    const b = build();
    let outcome;
    if (b.status !== 0) outcome = { status: "compile error", detail: b.stderr.split("\n").slice(0, 3).join(" ") };
    else {
      const r = runTests(m.tests.filter((t) => existsSync(join(ROOT, t))));
      outcome = r.timedOut ? { status: "killed (timed out)", detail: `${RUN_LIMIT_S} s` }
        : r.status === 0 ? { status: "SURVIVED", detail: "" }
        : { status: "killed", detail: r.failed[0] ?? `exit ${r.status}` };
      outcome.seconds = r.seconds;
    }
    writeFileSync(path, original);
    results.push({ id: m.id, file: m.file, why: m.why, ...outcome });
    console.log(`${outcome.status.padEnd(18)} ${m.id.padEnd(30)} ${m.why}${outcome.detail ? `\n${" ".repeat(19)}${outcome.detail.slice(0, 160)}` : ""}`);
  }
  build(); // leave the sandbox consistent
  mkdirSync(join(ROOT, "reports"), { recursive: true });
  writeFileSync(join(ROOT, "reports/kernel-mutants.json"), JSON.stringify(results, null, 2));
  if (!args.includes("--keep")) rmSync(SANDBOX, { recursive: true, force: true });
  const survived = results.filter((r) => r.status === "SURVIVED" || r.status === "compile error");
  console.log(`\n${results.length - survived.length} of ${results.length} kernel mutants killed${survived.length ? `; not killed: ${survived.map((r) => r.id).join(", ")}` : ""}`);
  process.exit(survived.length ? 1 : 0);
}
