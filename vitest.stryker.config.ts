/**
 * The vitest configuration StrykerJS runs (stryker.config.mjs): the Node suite, without the
 * browser tests (Chromium and bundlers, minutes a run), plus a setup file that carries the
 * active mutant into tinypool's worker threads. STRYKER_TESTS (comma-separated globs) narrows the
 * suite for a scoped run, e.g. STRYKER_TESTS='test/plan/**' for --mutate 'src/plan/**', and
 * STRYKER_EXCLUDE leaves files out of it.
 *
 * Stryker's runner runs the tests in a worker thread (pool: "threads"), not a forked process:
 * tests that need the main thread (a host module that refuses to load in a worker) or that run
 * child processes of the package fail its initial run, and scripts/mutation.mjs leaves them out.
 */
import { defineConfig } from "vitest/config";

const include = process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(",") : ["test/**/*.test.ts"];

export default defineConfig({
  test: {
    include,
    exclude: ["test/browser/**", "**/node_modules/**", ...(process.env.STRYKER_EXCLUDE ? process.env.STRYKER_EXCLUDE.split(",") : [])],
    setupFiles: ["test/helpers/stryker-worker-env.ts"],
    // a failed beforeAll counts as a failure of the file's tests (see the runner's comment)
    runner: "./test/helpers/stryker-vitest-runner.ts",
    // instrumented code on a loaded 2-core machine: a slow test is not a failing one
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
