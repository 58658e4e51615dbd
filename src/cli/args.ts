/**
 * Command-line flags: parsed against a declared spec, so every command gets the same number
 * syntax (4e9, 1_000_000, 0x10), the same errors, and a generated --help.
 */
import { parseArgs } from "node:util";
import { unwritable } from "./output-file.js";

/** What a flag's value is: checked and converted by parseFlags; a boolean takes no value. */
export type FlagType = "integer" | "number" | "string" | "boolean";

/** One option of a command, declared once: parsing, checking, messages and --help come from it. */
export interface FlagSpec {
  /** The name without dashes: "up-to" for --up-to. */
  name: string;
  /** How the value is read and checked. */
  type: FlagType;
  /** One line for --help; the allowed values and the default are added to it. */
  description: string;
  /** Shown in help as the value's name, e.g. N. */
  metavar?: string;
  /** Smallest allowed value, for numbers. */
  min?: number;
  /** Largest allowed value, for numbers. */
  max?: number;
  /** Allowed strings, for type "string". */
  choices?: readonly string[];
  /** The value when the flag is not given; shown in --help. */
  default?: string | number | boolean;
  /**
   * For type "string": the value is a file the command writes. It is refused before any work
   * (exit 2) when it cannot be written: a missing folder, a folder, a read-only file system.
   */
  output?: boolean;
}

/** Flag values by name, converted (numbers as numbers); undefined where not given and without default. */
export type ParsedFlags = Record<string, string | number | boolean | undefined>;

/** A mistake on the command line: printed with a hint, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** Digits with single underscores between them, as in JavaScript's numeric separators. */
const DEC = String.raw`\d+(?:_\d+)*`;
const HEX = String.raw`0x[0-9a-f]+(?:_[0-9a-f]+)*`;
const NUMBER = new RegExp(String.raw`^(${HEX}|(?:${DEC}(?:\.(?:${DEC})?)?|\.${DEC})(?:e[+-]?${DEC})?|infinity)$`, "i");

/**
 * Parses 4e9, 1_000_000, 2.5e3, 0x1F, -3 — the number forms people type. An underscore must
 * stand between two digits (`_1_`, `1__0` and `1_.5` are refused, as JavaScript refuses them).
 * Returns NaN for anything else.
 */
export function parseNumber(text: string): number {
  const t = text.trim();
  const sign = t.startsWith("-") ? -1 : 1;
  const body = t.startsWith("-") || t.startsWith("+") ? t.slice(1) : t;
  if (!NUMBER.test(body)) return NaN;
  return sign * Number(body.replace(/_/g, ""));
}

/**
 * Parses argv with node:util's parseArgs (so quoting, `--name=value` and `--` behave as in
 * every other Node tool), then checks each option against its spec with our own messages.
 * parseArgs runs in its lax mode because its strict errors are about its syntax, not about
 * what is allowed ("argument is ambiguous" for `--n -5`, where the user wants to hear that
 * -5 is not a positive integer).
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): { flags: ParsedFlags; positional: string[] } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const s of specs) options[s.name] = { type: s.type === "boolean" ? "boolean" : "string" };
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const flags: ParsedFlags = {};
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      positional.push(token.value);
      continue;
    }
    if (token.kind === "option-terminator") continue;
    const { name, rawName } = token;
    const negated = name.startsWith("no-") && byName.get(name.slice(3))?.type === "boolean";
    const spec = byName.get(name) ?? (negated ? byName.get(name.slice(3)) : undefined);
    if (!spec || !rawName.startsWith("--")) {
      const known = specs.map((s) => `--${s.name}`).join(", ");
      throw new UsageError(`unknown option ${rawName} for "${command}"; known options: ${known}`, command);
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${spec.name} takes no value`, command);
      flags[spec.name] = !negated;
      continue;
    }
    // `--n --json`: parseArgs takes the next option as the value; the user forgot the value
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("--"))) {
      throw new UsageError(`--${spec.name} needs a value: ${allowed(spec)}`, command);
    }
    flags[spec.name] = convert(spec, value, command);
  }
  for (const spec of specs) if (flags[spec.name] === undefined && spec.default !== undefined) flags[spec.name] = spec.default;
  for (const spec of specs) {
    const path = flags[spec.name];
    const problem = spec.output && typeof path === "string" ? unwritable(path) : undefined;
    if (problem) throw new UsageError(`--${spec.name} ${JSON.stringify(path)} cannot be written: ${problem}`, command);
  }
  return { flags, positional };
}

function convert(spec: FlagSpec, value: string, command: string): string | number {
  if (spec.type === "string") {
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`--${spec.name} ${JSON.stringify(value)} is not allowed: ${allowed(spec)}`, command);
    }
    return value;
  }
  const n = parseNumber(value);
  const bad = Number.isNaN(n) || !Number.isFinite(n) || (spec.type === "integer" && !Number.isInteger(n)) ||
    (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max);
  if (bad) throw new UsageError(`--${spec.name} ${JSON.stringify(value)} is not allowed: ${allowed(spec)}`, command);
  return n;
}

/** "an integer from 1 to 1e12", "one of simd, scalar", … */
export function allowed(spec: FlagSpec): string {
  if (spec.type === "string") return spec.choices ? `one of ${spec.choices.join(", ")}` : "a string";
  if (spec.type === "boolean") return "no value";
  const kind = spec.type === "integer" ? "an integer" : "a number";
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${show(spec.min)} to ${show(spec.max)}`;
  if (spec.min !== undefined) return `${kind} of at least ${show(spec.min)}`;
  if (spec.max !== undefined) return `${kind} of at most ${show(spec.max)}`;
  return kind;
}

function show(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e6) {
    const exp = Math.floor(Math.log10(Math.abs(n)));
    const mantissa = n / 10 ** exp;
    if (Number.isInteger(mantissa)) return `${mantissa === 1 ? "" : mantissa}e${exp}`.replace(/^e/, "1e");
  }
  return String(n);
}

/** The options part of a command's --help: one aligned line per flag, with what is allowed. */
export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `--${s.name}${s.type === "boolean" ? "" : ` ${s.metavar ?? (s.type === "string" ? "S" : "N")}`}`;
    const shown = typeof s.default === "number" ? show(s.default) : s.default;
    const extra = s.type === "boolean" ? "" : ` (${allowed(s)}${s.default !== undefined ? `; default ${shown}` : ""})`;
    return [left, `${s.description}${extra}`] as const;
  });
  rows.push(["--help", "show this help"]);
  const width = Math.max(...rows.map(([l]) => l.length), 10) + 2;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`).join("\n");
}
