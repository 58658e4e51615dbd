/**
 * The tinypool behaviours that src/platform/tinypool-backend.ts works around, checked on raw
 * tinypool: each test fails when tinypool changes the behaviour, which is the moment to revisit
 * (or drop) the workaround that names it.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Tinypool from "tinypool";
import { afterEach, describe, expect, it } from "vitest";

const TASK = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures/tinypool-task.mjs");
let pool: Tinypool | undefined;

afterEach(async () => {
  // destroy() waits for an 'exit' that a worker which already exited never sends again
  await Promise.race([pool?.destroy().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
  pool = undefined;
});

function make(): Tinypool {
  pool = new Tinypool({ filename: TASK, minThreads: 1, maxThreads: 1, isolateWorkers: false });
  pool.on("error", () => {});
  return pool;
}

describe("tinypool 2, as the adapter finds it", () => {
  it("leaves the task of a worker that calls process.exit() unsettled (the adapter turns the exit into an error)", async () => {
    const p = make();
    const outcome = await Promise.race([
      p.run("exit").then(() => "resolved", () => "rejected"),
      new Promise((r) => setTimeout(() => r("unsettled"), 1500)),
    ]);
    expect(outcome).toBe("unsettled");
  });

  it("exposes its workers as `threads`, whose wrappers lack removeListener (the adapter adds it)", async () => {
    const p = make();
    expect(await p.run(1)).toBe(1);
    const threads = p.threads as unknown as Array<{ threadId: number; removeListener?: unknown }>;
    expect(threads.length).toBe(1);
    expect(typeof threads[0]!.threadId).toBe("number");
    const proto = Object.getPrototypeOf(threads[0]) as { removeListener?: unknown; hasOwnProperty(k: string): boolean };
    // once patched by a pool of ours, the method is on the prototype as our own property
    const ours = Object.getOwnPropertyDescriptor(proto, "removeListener")?.value?.toString().includes("this.thread.removeListener");
    expect(typeof proto.removeListener !== "function" || ours).toBe(true);
  });

});
