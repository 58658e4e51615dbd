/**
 * Assertions on what a call throws, by exact message. (vitest 4.1's toThrow("…") also passes
 * when `undefined` is thrown, so it cannot catch a `throw helper(…)` whose helper returns
 * nothing.)
 */
import { expect } from "vitest";
import { InvalidArgumentError } from "../../dist/index.js";

function thrownBy(fn: (() => unknown) | undefined): unknown {
  try {
    fn?.();
  } catch (e) {
    return e;
  }
  return "nothing thrown";
}

/** `fn` throws an Error with exactly this message. */
export function expectError(fn: (() => unknown) | undefined, message: string): void {
  const caught = thrownBy(fn);
  expect(caught).toBeInstanceOf(Error);
  expect((caught as Error).message).toBe(message);
}

/** `fn` throws an InvalidArgumentError naming `parameter`, with exactly this message. */
export function expectInvalid(fn: () => unknown, parameter: string, message: string): void {
  const caught = thrownBy(fn);
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).parameter).toBe(parameter);
  expect((caught as Error).message).toBe(message);
}
