/** Checks on user-supplied options; each failure names the parameter and the allowed range. */
import { AbortError, invalid } from "./errors.js";

/** An integer in [min, max] (max at most 2⁵³). Accepts numbers only. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, value, `an integer from ${fmt(min)} to ${fmt(max)}`);
  }
  return value;
}

export function optionalInteger(name: string, value: unknown, min: number, max: number, fallback: number): number {
  return value === undefined ? fallback : integer(name, value, min, max);
}

/** A finite number in (min, max] or [min, max]. */
export function finite(name: string, value: unknown, opts: { min?: number; max?: number; exclusiveMin?: boolean } = {}): number {
  const { min = -Infinity, max = Infinity, exclusiveMin = false } = opts;
  if (typeof value !== "number" || !Number.isFinite(value) || value > max || (exclusiveMin ? value <= min : value < min)) {
    const lo = min === -Infinity ? "" : exclusiveMin ? `greater than ${fmt(min)}` : `at least ${fmt(min)}`;
    const hi = max === Infinity ? "" : `at most ${fmt(max)}`;
    throw invalid(name, value, ["a finite number", [lo, hi].filter(Boolean).join(" and ")].filter(Boolean).join(" "));
  }
  return value;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalid(name, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return value as T;
}

export function callback(name: string, value: unknown): ((...args: never[]) => unknown) | undefined {
  if (value !== undefined && typeof value !== "function") throw invalid(name, value, "a function");
  return value as ((...args: never[]) => unknown) | undefined;
}

export function signal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  // a look-alike ({ aborted: false }) cannot be listened to: only the real class will do
  if (typeof AbortSignal !== "function" || !(value instanceof AbortSignal)) {
    throw invalid("signal", value, "an AbortSignal (from an AbortController, or AbortSignal.timeout())");
  }
  const s = value as AbortSignal;
  if (s.aborted) throw new AbortError(s.reason);
  return s;
}

export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalid(name, value, "true or false");
  return value;
}

/** An options object (undefined for none): a plain object, not an array, a function or null. */
export function options<T extends object>(name: string, value: unknown): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(`${name} options`, value, "an options object");
  return value as Partial<T>;
}

/** A time limit in milliseconds: a finite number > 0, at most 2^31 − 1 (what timers take). */
export function optionalTimeout(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return finite(name, value, { min: 0, exclusiveMin: true, max: 2 ** 31 - 1 });
}

/** Rejects option names the function does not know (catches typos such as `chunksize`). */
export function knownKeys(name: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw invalid(`${name} option "${key}"`, key, `one of ${known.join(", ")}`);
  }
}

/** Formats a bound: 1e12 reads better than 1000000000000. */
export function fmt(n: number): string {
  if (Math.abs(n) >= 1e6 && Number.isInteger(n)) {
    if (n === 2 ** 53) return "2^53";
    const exp = Math.floor(Math.log10(Math.abs(n)));
    if (n === 10 ** exp) return `1e${exp}`;
    if (n === 2 ** Math.log2(n)) return `2^${Math.log2(n)}`;
  }
  return String(n);
}
