/**
 * The sync tests' kernels: assembly/sync-demos.ts, built with the bundled kernels by
 * `npm run asbuild:fixtures` (part of `npm test`) into build/test-fixtures/sync-demos.wasm.
 * Not shipped in build/kernels.wasm.
 */
import { fileURLToPath } from "node:url";

export const SYNC_DEMOS = fileURLToPath(new URL("../../build/test-fixtures/sync-demos.wasm", import.meta.url));

/** Fails with `what` named if `p` has not settled within `ms`: who was left waiting, not vitest's 60 s. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: ${what}`)), ms); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

// What the pool's Node platform is to do at start (src/kernels/tier-up.ts): user modules such as
// the fixture are not warmed up, and their first calls would run in Node 20's faulty baseline tier.
import { setFlagsFromString } from "node:v8";
import { tierUp } from "../../dist/kernels/tier-up.js";
tierUp(setFlagsFromString);
