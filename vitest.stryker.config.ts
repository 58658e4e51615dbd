/**
 * The vitest configuration StrykerJS runs (stryker.config.mjs): the Node suite, without the
 * browser tests (Chromium and bundlers, minutes a run), plus a setup file that carries the
 * active mutant into tinypool's worker threads. STRYKER_TESTS (comma-separated globs) narrows the
 * suite for a scoped run, e.g. STRYKER_TESTS='test/plan/**' for --mutate 'src/plan/**'.
 */
import { defineConfig } from "vitest/config";

const include = process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(",") : ["test/**/*.test.ts"];

export default defineConfig({
  test: {
    include,
    exclude: ["test/browser/**", "**/node_modules/**"],
    setupFiles: ["test/helpers/stryker-worker-env.ts"],
    // instrumented code on a loaded 2-core machine: a slow test is not a failing one
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
