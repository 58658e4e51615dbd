/**
 * Issue 11, "a kernel stalls in queuePut on Node 20": a user's module looping over queuePut on
 * a small queue, in its first (cold) call, while the main thread reads with getAsync. The cause
 * is V8 11.3's baseline tier, Liftoff, which loses register-held locals across
 * memory.atomic.wait32 (docs/sync.md); src/kernels/tier-up.ts probes for it and, where it is
 * found, compiles modules with the optimizing tier only. Each scenario runs in a child process
 * (V8 flags are per process), with and without the guard.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compileAs, POOL_MODULE_FLAGS } from "../helpers/asc.js";

const run = promisify(execFile);
const script = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const atLevel = (level: string): string[] => POOL_MODULE_FLAGS.map((f) => (f === "-O3" ? level : f));
const SYNC_SOURCES = ["assembly/sync.ts", "assembly/sync-queue.ts", "assembly/sync-layout.ts"];

interface Produced { engineBug: boolean; applied: boolean; stalled: boolean; got: number; everyOnce: boolean }

async function produce(wasm: string, tierUp: boolean): Promise<Produced> {
  const { stdout } = await run(process.execPath, [script("stall-producer.mjs"), wasm, tierUp ? "1" : "0"], { timeout: 30_000 });
  return JSON.parse(stdout);
}

describe("a user's kernel in its first, cold call", () => {
  const reported = compileAs("test/sync/fixtures/user-producer-v1.ts", atLevel("-O1"), ["test/sync/fixtures/sync-v1.ts"]);

  it("the reported scenario (the sync API as it was, -O1): stalls or loses items without the guard exactly where the probe finds the bug", async () => {
    const r = await produce(reported, false);
    expect(r.stalled || !r.everyOnce).toBe(r.engineBug); // Node 20: engineBug is true, and it stalls
  });

  it("the reported scenario delivers every item exactly once with tierUp applied before the module is compiled", async () => {
    const r = await produce(reported, true);
    expect(r.applied).toBe(r.engineBug); // the workaround is used exactly where the engine needs it
    expect(r).toMatchObject({ stalled: false, got: 6000, everyOnce: true });
  });

  it.each(["-O1", "-O3"])("today's sync API (%s) with the guard: two producers deliver every item exactly once", async (level) => {
    const wasm = compileAs("test/sync/fixtures/user-producer.ts", atLevel(level), SYNC_SOURCES);
    expect(await produce(wasm, true)).toMatchObject({ stalled: false, got: 6000, everyOnce: true });
  });

  it("a user's own wait loop keeps its locals with the guard, and loses them without it where the bug is", async () => {
    const wasm = compileAs("test/sync/fixtures/user-wait-loop.ts", atLevel("-O1"));
    const sum = async (tierUp: boolean): Promise<{ engineBug: boolean; sum: number }> =>
      JSON.parse((await run(process.execPath, [script("user-wait-loop.mjs"), wasm, tierUp ? "1" : "0"], { timeout: 30_000 })).stdout);
    const expected = (1000 * 999) / 2;
    expect((await sum(true)).sum).toBe(expected);
    const without = await sum(false);
    expect(without.sum !== expected).toBe(without.engineBug);
  });
});
