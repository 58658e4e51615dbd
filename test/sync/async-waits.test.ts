/**
 * The async side of every primitive: with Atomics.waitAsync and with the one fallback used where
 * an engine lacks it (deleted in a child process); and main-thread waits with a timeout keep
 * Node alive until they settle (issue 10, item 5). The waits allow 20 s: a loaded host can take
 * seconds to start the waking worker thread.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

const expected = { lock: true, acquire: true, event: true, condition: true, barrier: true, put: true, get: 3, join: true, recv: 42, rlock: true, timedOut: true };

describe("async waits", () => {
  it.each(["with-waitAsync", "no-waitAsync"])("every primitive's async wait is woken by a worker thread (%s)", async (mode) => {
    const { stdout } = await run(process.execPath, [fixture("async-waits.mjs"), mode], { timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.waitAsync).toBe(mode === "no-waitAsync" ? "undefined" : "function");
    expect(out.results).toEqual(expected);
  });

  it.each(["lockAsync", "acquireAsync", "getAsync", "putAsync", "waitAsync"])("a script whose only pending work is %s(150 ms) waits for the timeout and exits 0", async (wait) => {
    const { stdout } = await run(process.execPath, [fixture("timed-wait-exit.mjs"), wait], { timeout: 20_000 });
    const out = JSON.parse(stdout);
    expect(out.result === false || out.result === null).toBe(true);
    expect(out.elapsedMs).toBeGreaterThanOrEqual(149);
  });

  it("a script whose only pending work is a wait longer than Node's longest timer stays alive until it is woken, and exits 0", async () => {
    const { stdout, stderr } = await run(process.execPath, [fixture("timed-wait-exit.mjs"), "longWaitAsync"], { timeout: 20_000 });
    const out = JSON.parse(stdout);
    expect(out.result).toBe(true);
    expect(out.elapsedMs).toBeGreaterThanOrEqual(149);
    expect(stderr).not.toMatch(/TimeoutOverflowWarning/);
  });
});
