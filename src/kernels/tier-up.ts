/**
 * A guard against a V8 bug that makes kernels using wasm-mp's blocking primitives stall or lose
 * items on their first, cold call (docs/sync.md, "A kernel stalls in queuePut on Node 20").
 *
 * V8's baseline wasm compiler, Liftoff, in V8 11.3 (Node 20) does not save the values it holds
 * in registers across memory.atomic.wait32: after the instruction a local that was cached in a
 * register reads as its stale stack slot (0). A long first call of a kernel runs in Liftoff
 * (V8 tiers a function up only at a later call, never inside a running loop), so a producer's
 * loop counter or the queue's capacity read after a sleep becomes 0 — the producer sleeps
 * forever on a queue that is empty, or puts the same items again.
 *
 * tierUp() runs a 77-byte probe that keeps a local across a wait32 (which returns at once:
 * "not-equal"). If the engine gets it wrong and `setFlags` (Node's v8.setFlagsFromString) is
 * given, it turns Liftoff off for every module compiled afterwards, so that kernels run in
 * the optimizing tier (TurboFan) from their first call. Call it before compiling the kernels:
 * code compiled before keeps its tier. Where the engine is right it changes nothing.
 */

/** (func (param $a i32) (result i32) (local $x i32) x = a·7; wait32(0, 1, 0); return x) over an imported shared memory. */
const PROBE = "AGFzbQEAAAABBgFgAX8BfwIQAQNlbnYGbWVtb3J5AgMBAQMCAQAHCQEFcHJvYmUAAAoaARgBAX8gAEEHbCEBQQBBAUIA/gECABogAQs=";

let probes = 0;

/** Whether this engine's first tier loses a local across memory.atomic.wait32 (undefined: cannot tell here, e.g. a browser's main thread). */
export function liftoffLosesLocalsAcrossWait(): boolean | undefined {
  try {
    const bytes = Uint8Array.from(atob(PROBE), (c) => c.charCodeAt(0));
    // a factor of its own per probe: V8 reuses the code of a module with the same bytes, so a
    // second probe with the first one's bytes would run the first one's (baseline) code again
    const factor = 7 + (probes++ % 50);
    const at = bytes.findIndex((b, i) => b === 0x41 && bytes[i + 1] === 7 && bytes[i + 2] === 0x6c);
    bytes[at + 1] = factor;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    return (instance.exports.probe as (a: number) => number)(3) !== 3 * factor;
  } catch {
    return undefined; // wait32 not allowed in this thread
  }
}

let applied: boolean | undefined;

/**
 * Probes once per process; if the bug is there and `setFlags` is given, sets --no-liftoff.
 * Returns whether the workaround is in force.
 */
export function tierUp(setFlags?: (flags: string) => void): boolean {
  if (applied === undefined) {
    applied = false;
    if (setFlags && liftoffLosesLocalsAcrossWait() === true) {
      setFlags("--no-liftoff");
      applied = liftoffLosesLocalsAcrossWait() === false;
    }
  }
  return applied;
}
