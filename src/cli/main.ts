#!/usr/bin/env node
/** The wasm-mp command line: parses, calls the public API, prints. Exit 2 on a usage error. */
import "../platform/node.js";
import { InvalidArgumentError, MemoryLimitError } from "../errors.js";
import { close } from "../pool/default-pool.js";
import { UsageError, formatFlagHelp, parseFlags } from "./args.js";
import type { Command } from "./command.js";
import { commands } from "./commands/index.js";

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    "wasm-mp: parallel compute with WebAssembly kernels on shared memory",
    "",
    "Usage: wasm-mp <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Numbers may be written 4e9, 1_000_000 or 0x10.",
    "Run wasm-mp <command> --help for a command's options.",
  ].join("\n");
}

function commandHelp(c: Command): string {
  return [
    `Usage: wasm-mp ${c.usage}`,
    "",
    c.summary,
    "",
    "Options:",
    formatFlagHelp(c.flags),
    ...(c.details ? ["", c.details] : []),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? commands.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write((topic ? commandHelp(topic) : mainHelp()) + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(pkg.version + "\n");
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${commands.map((c) => c.name).join(", ")}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(commandHelp(command) + "\n");
      return 0;
    }
    if (command.name === "scaling") {
      await command.run({}, rest);
    } else {
      const { flags, positional } = parseFlags(rest, command.flags, command.name);
      const names = command.positionals ?? [];
      if (positional.length !== names.length) {
        throw new UsageError(names.length
          ? `"${command.name}" takes ${names.length} positional argument${names.length === 1 ? "" : "s"} (${names.join(", ")}); got ${positional.length ? positional.join(" ") : "none"}`
          : `"${command.name}" takes no positional arguments; got ${positional.join(" ")}`, command.name);
      }
      // a command may ask for another exit status (bench --fail-on-regression: 1)
      const status = await command.run(flags, positional);
      if (typeof status === "number") return status;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InvalidArgumentError || e instanceof MemoryLimitError) {
      const hint = command ? `wasm-mp ${command.name} --help` : "wasm-mp --help";
      process.stderr.write(`wasm-mp: ${e.message}\n(see ${hint})\n`);
      return 2;
    }
    process.stderr.write(`wasm-mp: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 1;
  } finally {
    await close();
  }
}

process.exitCode = await main(process.argv.slice(2));
