#!/usr/bin/env node
/**
 * The wasm-mp command line: parses, calls the public API, prints. Exit 0 on success, 2 on a usage
 * error (nothing was run), 1 when the run itself failed or was interrupted: one line on stderr,
 * no stack trace, for every failure the library names (a trap, an abort, a timeout, a dead worker).
 */
import "../platform/node.js";
import { AbortError, InvalidArgumentError, KernelError, MemoryLimitError, TimeoutError, WorkerError } from "../errors.js";
import { close } from "../pool/default-pool.js";
import { UsageError, formatFlagHelp, parseFlags } from "./args.js";
import { Interrupted, cliSignal, type Command } from "./command.js";
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
    "Exit codes: 0 done; 1 the run failed (a kernel trap, a dead worker) or was stopped (Ctrl-C);",
    "2 a mistake on the command line, found before any work.",
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
  cliSignal(); // Ctrl-C from here on aborts the run cleanly (exit 1) instead of killing the process
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
    if (e instanceof AbortError) {
      const why = e.reason instanceof Interrupted ? e.reason.message : "aborted";
      process.stderr.write(`wasm-mp: ${command?.name ?? "run"} ${why}; stopped before finishing\n`);
      return 1;
    }
    if (e instanceof KernelError || e instanceof WorkerError || e instanceof TimeoutError) {
      process.stderr.write(`wasm-mp: ${oneLine(e.message)}\n`);
      return 1;
    }
    // not an error the library names: a bug, whose stack the report needs
    process.stderr.write(`wasm-mp: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 1;
  } finally {
    await close();
  }
}

/** A message on one line: a trap's text can carry a wasm stack after a newline. */
function oneLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

process.exitCode = await main(process.argv.slice(2));
