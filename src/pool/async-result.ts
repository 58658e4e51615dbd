/**
 * A call's result as Python's AsyncResult has it (Pool.applyAsync): the call runs on, and the
 * handle says whether it is ready, whether it succeeded, and gives the value — waiting at most
 * a timeout, after which the work still runs (unlike the call option timeoutMs, which ends it).
 */
import { TimeoutError } from "../errors.js";

export class AsyncResult<T> {
  private state: "pending" | "fulfilled" | "rejected" = "pending";
  private value: T | undefined;
  private error: unknown;

  constructor(private readonly promise: Promise<T>) {
    promise.then(
      (v) => { this.state = "fulfilled"; this.value = v; },
      (e: unknown) => { this.state = "rejected"; this.error = e; },
    );
  }

  /** Whether the call has finished. */
  ready(): boolean {
    return this.state !== "pending";
  }

  /** Whether it finished without an error; an error itself while it has not finished (as Python). */
  successful(): boolean {
    if (this.state === "pending") throw new Error("successful(): the call has not finished (ask ready() first)");
    return this.state === "fulfilled";
  }

  /** Resolves once the call has finished, or after timeoutMs, whichever is first. */
  async wait(timeoutMs?: number): Promise<void> {
    await this.settleWithin(timeoutMs).catch(() => undefined);
  }

  /** The value; rejects with the call's error, or with a TimeoutError when it is not ready within timeoutMs (the call runs on). */
  async get(timeoutMs?: number): Promise<T> {
    if (!(await this.settleWithin(timeoutMs))) throw new TimeoutError("get", timeoutMs!);
    if (this.state === "rejected") throw this.error;
    return this.value as T;
  }

  /** True once settled, false at the timeout. */
  private settleWithin(timeoutMs: number | undefined): Promise<boolean> {
    const settled = this.promise.then(() => true, () => true);
    if (timeoutMs === undefined || this.state !== "pending") return settled;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([settled, new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); })])
      .finally(() => clearTimeout(timer));
  }
}
