/** The checks of the options every call takes (CallOptions), written once. */
import { invalid } from "../errors.js";
import * as check from "../validate.js";
import { CALL_KEYS, type CallOptions } from "./call-types.js";

export interface CheckedCallOptions<P> {
  signal?: AbortSignal;
  timeoutMs?: number;
  onProgress?: (progress: P) => void;
  progressIntervalMs?: number;
}

/** Checks `options` (an object with only CALL_KEYS and `extra`), before any work starts. */
export function callOptions<O extends object, P = unknown>(name: string, options: unknown, extra: readonly string[] = []): { options: Partial<O>; call: CheckedCallOptions<P> } {
  const o = check.options<O>(name, options) as Partial<O> & CallOptions;
  check.knownKeys(name, o, [...CALL_KEYS, ...extra]);
  return { options: o, call: checkCallFields<P>(o) };
}

/**
 * The checks of signal, timeoutMs, onProgress and progressIntervalMs, shared by every Pool call
 * and every workload (src/workloads/define.ts). A progress interval of 0 means as often as
 * timers fire.
 */
export function checkCallFields<P = unknown>(o: { [K in keyof CallOptions]?: unknown }): CheckedCallOptions<P> {
  return {
    signal: check.signal(o.signal),
    timeoutMs: check.optionalTimeout("timeoutMs", o.timeoutMs),
    onProgress: check.callback("onProgress", o.onProgress) as ((p: P) => void) | undefined,
    progressIntervalMs: o.progressIntervalMs === undefined ? undefined : check.finite("progressIntervalMs", o.progressIntervalMs, { min: 0, max: 2 ** 31 - 1 }),
  };
}

/**
 * Throws unless the kernel takes as many parameters as it will be given: `given` arguments
 * after the `implicit` ones the call supplies itself (a wasm export's length is its parameter
 * count). Too few would arrive as 0, too many would be dropped: neither is what was meant.
 */
export function checkArity(fn: unknown, kernel: string, given: number, what: string, implicit: readonly string[] = []): void {
  if (typeof fn !== "function") return;
  const params = fn.length;
  if (params === given + implicit.length) return;
  const names = [...implicit, ...Array.from({ length: Math.max(0, params - implicit.length) }, (_, i) => `a${i}`)].slice(0, params).join(", ");
  const wanted = params - implicit.length;
  const allowed = wanted < 0
    ? `usable with a kernel of at least ${implicit.length} parameters (${implicit.join(", ")}); the module exports ${kernel}(${names})`
    : `${wanted} argument${wanted === 1 ? "" : "s"}${implicit.length ? ` after (${implicit.join(", ")})` : ""}: the module exports ${kernel}(${names})`;
  throw invalid(what, `${given} argument${given === 1 ? "" : "s"}`, allowed);
}
