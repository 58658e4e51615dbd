/**
 * The vitest runner of mutation runs (vitest.stryker.config.ts): vitest's own, plus one fix.
 *
 * When a file's beforeAll fails (a mutant that breaks createPool, say), vitest marks the file's
 * tests "skip". StrykerJS 9.6's vitest runner turns a skipped test into a failure only when an
 * enclosing *suite* failed; a test at the top of a file has no enclosing suite, so the mutant
 * was counted as "survived" with 0 tests run (seen on src/pool/job.ts: 34 of 92 survivors,
 * each failing the same files under a plain `vitest run`; stryker-js issues #5492 and #6150).
 * Here the skipped tests of a failed suite or file are reported as failed, with its error.
 */
import type { File, Suite, Task } from "@vitest/runner";
import { VitestTestRunner } from "vitest/runners";

export default class StrykerVitestRunner extends VitestTestRunner {
  override async onAfterRunSuite(suite: Suite | File): Promise<void> {
    await super.onAfterRunSuite(suite);
    if (suite.result?.state !== "fail") return;
    const errors = suite.result.errors ?? [{ message: `${suite.name} failed`, name: "Error" }];
    const failed: Task[] = [];
    const visit = (task: Task): void => {
      if (task.type === "suite") task.tasks.forEach(visit);
      else if (task.result?.state === "skip" || task.result === undefined) {
        // in place: vitest's own pending update of this test holds this very object
        task.result ??= { state: "fail" };
        Object.assign(task.result, { state: "fail", errors });
        failed.push(task);
      }
    };
    suite.tasks.forEach(visit);
    if (failed.length > 0) {
      await this.onTaskUpdate?.(failed.map((t) => [t.id, t.result, t.meta]), failed.map((t) => [t.id, "test-finished", undefined]));
    }
  }
}
