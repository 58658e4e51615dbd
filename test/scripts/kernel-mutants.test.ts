/**
 * The kernel mutant list (scripts/kernel-mutants.mjs, `npm run test:kernel-mutants`) follows the
 * kernels: each mutant's text occurs exactly once in its file, so that a kernel rewritten without
 * updating the list fails here, in seconds, instead of when someone next runs the mutants (three
 * Monte Carlo mutants had gone stale that way). Whether each mutant is killed is that script's job.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MUTANTS, occurrences } from "../../scripts/kernel-mutants.mjs";
import { ROOT } from "../helpers/asc.js";

interface Mutant { id: string; file: string; find: string; replace: string; tests: string[]; why: string }

describe("the kernel mutant list", () => {
  const list = MUTANTS as Mutant[];

  it("names each mutant once", () => {
    expect(new Set(list.map((m) => m.id)).size).toBe(list.length);
  });

  for (const m of list) {
    it(`${m.id}: its text occurs exactly once in ${m.file}, the edit changes it, and its tests exist`, () => {
      expect(occurrences(m)).toBe(1);
      expect(m.replace).not.toBe(m.find);
      expect(m.tests.length).toBeGreaterThan(0);
      for (const t of m.tests) expect(existsSync(join(ROOT, t)), t).toBe(true);
    });
  }
});
