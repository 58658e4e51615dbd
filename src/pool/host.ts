/**
 * What the call implementations (calls.ts, map.ts, map-reduce.ts) see of their pool: the Pool
 * class implements it, and they import this instead of the class, so that the pool's front
 * loads them on first use without an import cycle.
 */
import type { SharedArena } from "../memory/arena.js";
import type { InlineBackend } from "../platform/inline-backend.js";
import type { PlacementHost } from "./placement.js";

export interface PoolHost extends PlacementHost {
  readonly size: number;
  readonly arena: SharedArena;
  readonly memory: WebAssembly.Memory;
  readonly inline: InlineBackend;
  readonly workersShareMemory: boolean;
  assertOpen(): void;
  assertKernel(name: unknown): asserts name is string;
  /** Runs a call counted as running until it settles (close() waits for it). */
  track<T>(call: () => Promise<T>): Promise<T>;
}
