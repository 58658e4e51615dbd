/**
 * Mutation testing only (vitest.stryker.config.ts): StrykerJS activates a mutant through a global
 * of the test's thread, which tinypool's worker threads do not share. Code that runs in a worker
 * (the task loop, a kernel's JS side) would then always run unmutated and its mutants survive for
 * nothing. Stryker's instrumented code also reads process.env.__STRYKER_ACTIVE_MUTANT__ when it
 * loads, and a worker thread starts with a copy of its creator's process.env: set it here, before
 * the test file creates any pool.
 */
import { afterAll, beforeAll } from "vitest";

const ENV = "__STRYKER_ACTIVE_MUTANT__";

function namespace(): { activeMutant?: string | number } | undefined {
  const g = globalThis as Record<string, unknown>;
  for (const key of Object.keys(g)) {
    if (key.startsWith("__stryker") && typeof g[key] === "object" && g[key] !== null) return g[key] as { activeMutant?: string | number };
  }
  return undefined;
}

beforeAll(() => {
  const active = namespace()?.activeMutant;
  if (active === undefined) delete process.env[ENV];
  else process.env[ENV] = String(active);
});

afterAll(() => {
  delete process.env[ENV];
});
