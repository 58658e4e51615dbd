import { describe, expect, it } from "vitest";
import { UsageError, parseFlags, parseNumber, type FlagSpec } from "../../dist/cli/args.js";
import { parseSeed } from "../../dist/cli/commands/montecarlo.js";

describe("numbers on the command line", () => {
  const good: Array<[string, number]> = [
    ["4e9", 4e9], ["1_000_000", 1_000_000], ["0x10", 16], ["0xff_ff", 0xffff], ["-3", -3], ["+7", 7],
    ["2.5e3", 2500], ["1.", 1], [".5", 0.5], ["1_0.2_5", 10.25], ["1e1_0", 1e10], ["-0x10", -16], [" 42 ", 42],
  ];
  for (const [text, value] of good) it(`reads ${JSON.stringify(text)} as ${value}`, () => expect(parseNumber(text)).toBe(value));

  const bad = ["_1_", "1__0", "_1", "1_", "1_.5", "1._5", "1e_5", "0x_1", "0_x1", "", "-", "1e", "e5", "0x", "abc", "1,000", "--1", "1 000", "NaN"];
  for (const text of bad) it(`refuses ${JSON.stringify(text)}`, () => expect(parseNumber(text)).toBeNaN());
});

describe("parseFlags", () => {
  const specs: FlagSpec[] = [
    { name: "n", type: "integer", min: 1, max: 100, default: 10, description: "n" },
    { name: "kernel", type: "string", choices: ["simd", "scalar"], description: "k" },
    { name: "json", type: "boolean", description: "j" },
  ];

  it("reads --name value, --name=value, booleans, --no-boolean and positionals after --", () => {
    expect(parseFlags(["--n", "5", "--kernel=scalar", "--json"], specs, "t")).toEqual({ flags: { n: 5, kernel: "scalar", json: true }, positional: [] });
    expect(parseFlags(["--json", "--no-json", "a", "--", "--n"], specs, "t")).toEqual({ flags: { n: 10, json: false }, positional: ["a", "--n"] });
  });

  const mistakes: Array<[string[], string]> = [
    [["--n", "_1_"], '--n "_1_" is not allowed: an integer from 1 to 100'],
    [["--n", "1__0"], '--n "1__0" is not allowed: an integer from 1 to 100'],
    [["--n", "-5"], '--n "-5" is not allowed: an integer from 1 to 100'],
    [["--n", "--json"], "--n needs a value: an integer from 1 to 100"],
    [["--n"], "--n needs a value: an integer from 1 to 100"],
    [["--json=yes"], "--json takes no value"],
    [["--kernel", "avx"], '--kernel "avx" is not allowed: one of simd, scalar'],
    [["--frob"], 'unknown option --frob for "t"; known options: --n, --kernel, --json'],
    [["-x"], 'unknown option -x for "t"'],
    [["--no-n"], 'unknown option --no-n for "t"'],
  ];
  for (const [argv, message] of mistakes) {
    it(`refuses ${argv.join(" ")} with a UsageError`, () => {
      expect(() => parseFlags(argv, specs, "t")).toThrow(UsageError);
      expect(() => parseFlags(argv, specs, "t")).toThrow(message);
    });
  }
});

describe("--seed", () => {
  it("reads decimal and hex with underscores between digits, up to 2^64 − 1", () => {
    expect(parseSeed("42")).toBe(42);
    expect(parseSeed("0x243F_6A88")).toBe(0x243f6a88);
    expect(parseSeed("18_446_744_073_709_551_615")).toBe(2n ** 64n - 1n);
  });
  for (const text of ["_1_", "1__0", "0x_1", "1_", "-1", "1e3", "18446744073709551616"]) {
    it(`refuses ${JSON.stringify(text)}`, () => expect(() => parseSeed(text)).toThrow(`--seed ${JSON.stringify(text)} is not allowed`));
  }
});
