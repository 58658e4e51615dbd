import { describe, expect, it } from "vitest";
import { LeftWaitingError, allWithin, until, within } from "./deadline.js";

const never = () => new Promise<never>(() => {});
const after = <T>(ms: number, v: T) => new Promise<T>((resolve) => setTimeout(() => resolve(v), ms));

describe("test deadlines", () => {
  it("pass each waiter's value through when all settle in time", async () => {
    expect(await allWithin({ a: after(5, 1), b: Promise.resolve("x") }, 1000)).toEqual({ a: 1, b: "x" });
    expect(await within(after(5, 42), "the answer", 1000)).toBe(42);
  });

  it("fail fast, naming only the waiters still pending", async () => {
    const started = performance.now();
    const error = await allWithin({ "producer 1 in put": Promise.resolve(1), "consumer 2 in get": never(), "consumer 3 in get": never() }, 50).catch((e) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(LeftWaitingError);
    expect(error.waiting).toEqual(["consumer 2 in get", "consumer 3 in get"]);
    expect(error.message).toBe("after 50 ms still waiting (a lost wake-up?): consumer 2 in get; consumer 3 in get");
  });

  it("pass a waiter's own failure through", async () => {
    await expect(within(Promise.reject(new Error("boom")), "x", 1000)).rejects.toThrow("boom");
  });

  it("poll a condition, failing with who waited for it", async () => {
    let flag = false;
    setTimeout(() => { flag = true; }, 10);
    await until(() => flag, "the flag", 1000);
    await expect(until(() => false, "a flag nobody sets", 30)).rejects.toThrow(/still waiting .*: a flag nobody sets$/);
  });
});
