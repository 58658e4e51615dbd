/**
 * Command-line flags: parsed against a declared spec, so every command gets the same number
 * syntax (4e9, 1_000_000, 0x10), the same errors, and a generated --help.
 */

export type FlagType = "integer" | "number" | "string" | "boolean";

export interface FlagSpec {
  name: string;
  type: FlagType;
  description: string;
  /** Shown in help as the value's name, e.g. N. */
  metavar?: string;
  min?: number;
  max?: number;
  /** Allowed strings, for type "string". */
  choices?: readonly string[];
  default?: string | number | boolean;
}

export type ParsedFlags = Record<string, string | number | boolean | undefined>;

/** A mistake on the command line: printed with a hint, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** Parses 4e9, 1_000_000, 2.5e3, 0x1F, -3 — the number forms people type. */
export function parseNumber(text: string): number {
  const t = text.trim().replace(/_/g, "");
  if (t === "" || !/^[+-]?(0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?|infinity)$/i.test(t)) return NaN;
  return Number(t);
}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): { flags: ParsedFlags; positional: string[] } {
  const flags: ParsedFlags = {};
  const positional: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--") || arg === "--") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = byName.get(name) ?? (name.startsWith("no-") ? byName.get(name.slice(3)) : undefined);
    if (!spec) {
      const known = specs.map((s) => `--${s.name}`).join(", ");
      throw new UsageError(`unknown option --${name} for "${command}"; known options: ${known}`, command);
    }
    if (spec.type === "boolean") {
      if (eq > 0) throw new UsageError(`--${spec.name} takes no value`, command);
      flags[spec.name] = !name.startsWith("no-");
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) throw new UsageError(`--${spec.name} needs a value: ${allowed(spec)}`, command);
    flags[spec.name] = convert(spec, value, command);
  }
  for (const spec of specs) if (flags[spec.name] === undefined && spec.default !== undefined) flags[spec.name] = spec.default;
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
