// Mutation testing (npm run test:mutation): StrykerJS puts small realistic bugs into src/ one at
// a time and runs the tests that cover each. See docs/testing.md.
//
// The tests import the built package (dist/), so Stryker mutates src/*.ts in its sandbox and the
// buildCommand compiles the mutated sources into the sandbox's dist/. Tinypool workers run in
// worker threads the vitest runner does not reach: test/helpers/stryker-worker-env.ts passes the
// active mutant to them through process.env (which the instrumented code reads on load).
//
// The machine is small and shared: run one folder at a time, e.g.
//   npm run test:mutation -- --mutate 'src/plan/**/*.ts'
// and keep --concurrency at 1 or 2. --incremental reuses earlier results for unchanged code/tests.
/** Set by scripts/mutation.mjs: each scope's reports under its own name. */
const scope = process.env.STRYKER_SCOPE ?? "all";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts", related: false },
  buildCommand: "node scripts/stryker-build.mjs",
  mutate: [
    "src/plan/**/*.ts",
    "src/workloads/**/*.ts",
    "src/sync/**/*.ts",
    "src/pool/**/*.ts",
  ],
  coverageAnalysis: "perTest",
  // A static mutant (a module-level constant such as PI_INLINE_BELOW) runs the scope's whole suite
  // once per mutant: minutes each here. They are left out; tests pin those constants anyway
  // (e.g. "runs below 2^19 terms inline"), and `--ignoreStatic false` includes them.
  ignoreStatic: true,
  concurrency: 2,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // the browser tests need Chromium and bundlers: minutes per run, and they cover nothing the Node
  // tests do not
  ignorePatterns: ["dist", "reports", "bench/results", "examples/browser/dist", "examples/*/build", ".benchtmp", ".stryker-tmp*", ".kernel-mutants"],
  timeoutMS: 20000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${scope}.html` },
  jsonReporter: { fileName: `reports/mutation/${scope}.json` },
  tempDirName: ".stryker-tmp",
};
