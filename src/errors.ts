/** Errors thrown by wasm-mp. Each says what went wrong and what would be accepted. */

/** A parameter outside what is allowed; thrown before any work starts. */
export class InvalidArgumentError extends RangeError {
  override name = "InvalidArgumentError";
  constructor(readonly parameter: string, readonly value: unknown, readonly allowed: string) {
    super(`${parameter} must be ${allowed}; got ${describe(value)}`);
  }
}

/** What a memory limit is made of, when the limit is the pool's `maxMemory`. */
export interface MemoryLimitDetail {
  /** Bytes at the start of the memory that wasm-mp keeps for itself (never handed out). */
  reservedBytes: number;
  /** Bytes already allocated (live regions) when the request came. */
  inUseBytes: number;
}

/**
 * A request for more shared memory than the pool's limit allows. `limitBytes` is the limit as
 * the user set it (`maxMemory`, in whole 64 KiB pages); `reservedBytes` and `inUseBytes`, when
 * known, say how much of it was not free.
 */
export class MemoryLimitError extends RangeError {
  override name = "MemoryLimitError";
  /** Bytes wasm-mp reserves at the start of the memory; 0 when the limit is not a pool's. */
  readonly reservedBytes: number;
  /** Bytes allocated when the request came; 0 when the limit is not a pool's. */
  readonly inUseBytes: number;
  constructor(readonly bytesNeeded: number, readonly limitBytes: number, what = "shared memory", detail?: MemoryLimitDetail) {
    super(memoryLimitMessage(bytesNeeded, limitBytes, what, detail));
    this.reservedBytes = detail?.reservedBytes ?? 0;
    this.inUseBytes = detail?.inUseBytes ?? 0;
  }
}

function memoryLimitMessage(bytesNeeded: number, limitBytes: number, what: string, detail?: MemoryLimitDetail): string {
  const need = `${what} needs ${formatBytes(bytesNeeded)} (${bytesNeeded} bytes)`;
  const advice = "raise maxMemory (at most 4 GiB) or ask for less";
  if (!detail) return `${need} but the limit is ${formatBytes(limitBytes)} (${limitBytes} bytes); ${advice}`;
  const free = Math.max(0, limitBytes - detail.reservedBytes - detail.inUseBytes);
  return `${need} but the limit (maxMemory) is ${formatLimit(limitBytes)} (${limitBytes} bytes), of which ` +
    `${formatLimit(detail.reservedBytes)} is reserved by wasm-mp and ${formatBytes(detail.inUseBytes)} is in use, ` +
    `leaving ${formatBytes(free)}; ${advice}`;
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
  /**
   * map, starmap (and the imap family) with `failFast: false`: every item that threw, in item
   * order, each with its own KernelError; this error is the first of them.
   */
  failures?: ItemFailure[];
  /**
   * @param part the part (map: the part of chunkSize items; team jobs: the member) that trapped
   * @param trap the engine's message
   * @param workerStack the stack in the worker where it trapped (wasm function names included)
   */
  constructor(readonly kernel: string, readonly part: number, readonly trap: string, readonly workerStack?: string, options?: { cause?: unknown }) {
    super(`kernel ${kernel} trapped in part ${part}: ${trap}`, options);
  }
}

/** One item of a map call that threw (KernelError.failures). */
export interface ItemFailure {
  /** The item's index in the input. */
  index: number;
  error: KernelError;
}

/** A call took longer than its timeoutMs. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
  constructor(readonly kernel: string, readonly timeoutMs: number) {
    super(`kernel ${kernel} did not finish within timeoutMs = ${timeoutMs} ms`);
  }
}


/** A worker died or could not start. */
export class WorkerError extends Error {
  override name = "WorkerError";
}

/** A call on a pool that is closing or closed, or a call ended by terminate(). */
export class PoolClosedError extends WorkerError {
  override name = "PoolClosedError";
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
  if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
  if (typeof value === "object" && value !== null) {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    if (proto === null) return "an object with a null prototype";
    const name = proto.constructor?.name;
    if (name && name !== "Object") return `a ${name}`;
    try {
      return JSON.stringify(value) ?? "an object";
    } catch {
      return "an object";
    }
  }
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A limit as it was likely written: "256 MiB" for 1 << 28, "64 KiB"; otherwise as formatBytes ("4.0 GiB"). */
function formatLimit(bytes: number): string {
  // the largest unit that fits; whole numbers of it are printed without decimals
  const bits = [30, 20, 10].find((b) => bytes >= 2 ** b);
  return bits && bytes % 2 ** bits === 0 ? `${bytes / 2 ** bits} ${"GMK"[(30 - bits) / 10]}iB` : formatBytes(bytes);
}
