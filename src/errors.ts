/** Errors thrown by wasm-mp. Each says what went wrong and what would be accepted. */

/** A parameter outside what is allowed; thrown before any work starts. */
export class InvalidArgumentError extends RangeError {
  override name = "InvalidArgumentError";
  constructor(readonly parameter: string, readonly value: unknown, readonly allowed: string) {
    super(`${parameter} must be ${allowed}; got ${describe(value)}`);
  }
}

/** A request for more shared memory than the pool's limit allows. */
export class MemoryLimitError extends RangeError {
  override name = "MemoryLimitError";
  constructor(readonly bytesNeeded: number, readonly limitBytes: number, what = "shared memory") {
    super(`${what} needs ${formatBytes(bytesNeeded)} (${bytesNeeded} bytes) but the limit is ` +
      `${formatBytes(limitBytes)} (${limitBytes} bytes); raise maxMemory (at most 4 GiB) or ask for less`);
  }
}

/** A job stopped through its AbortSignal. */
export class AbortError extends Error {
  override name = "AbortError";
  constructor(readonly reason?: unknown) {
    super("the operation was aborted");
  }
}

/** A kernel trapped (unreachable, out-of-bounds access, integer division by zero, …). */
export class KernelError extends Error {
  override name = "KernelError";
  constructor(readonly kernel: string, readonly part: number, readonly trap: string) {
    super(`kernel ${kernel} trapped in part ${part}: ${trap}`);
  }
}

/** A worker died or could not start. */
export class WorkerError extends Error {
  override name = "WorkerError";
}

/** The message of a thrown value, which need not be an Error. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function invalid(parameter: string, value: unknown, allowed: string): InvalidArgumentError {
  return new InvalidArgumentError(parameter, value, allowed);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  return String(value);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
