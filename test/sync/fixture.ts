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

