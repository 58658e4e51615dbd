/**
 * `wasm-mp init <dir>`: writes a project for a user's own AssemblyScript kernels from the
 * templates shipped in the package (templates/init/): package.json, asconfig.json, kernels.ts,
 * run.mjs, README.md, .gitignore. It builds and runs after `npm install`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";

const TEMPLATES = new URL("../../../templates/init/", import.meta.url);
/** Template file → name in the project (npm would drop or rename a file called .gitignore in the package). */
const FILES: Array<[string, string]> = [
  ["asconfig.json", "asconfig.json"],
  ["kernels.ts", "kernels.ts"],
  ["run.mjs", "run.mjs"],
  ["README.md", "README.md"],
  ["gitignore", ".gitignore"],
];

export const initCommand: Command = {
  name: "init",
  summary: "write a project for your own AssemblyScript kernels (builds and runs after npm install)",
  usage: "init <dir>",
  flags: [],
  positionals: ["dir"],
  details: [
    "Writes <dir>/package.json (wasm-mp and assemblyscript as dependencies, a build script),",
    "asconfig.json (the compiler options a pool needs), kernels.ts (a range kernel, a per-item",
    "kernel, an in-place kernel and an iterate step kernel, each commented), run.mjs and README.md.",
    "<dir> must not exist or be empty.",
    "",
    "Example: wasm-mp init my-kernels",
    "then: cd my-kernels && npm install && npm run build && npm start",
  ].join("\n"),
  async run(_flags, [dir]) {
    const target = resolve(dir!);
    if (existsSync(target) && readdirSync(target).length > 0) {
      throw new UsageError(`${JSON.stringify(dir)} is not empty; give init a new or empty folder`, "init");
    }
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "package.json"), JSON.stringify(projectPackage(basename(target)), null, 2) + "\n");
    for (const [from, to] of FILES) writeFileSync(join(target, to), readFileSync(new URL(from, TEMPLATES)));
    process.stdout.write([
      `wrote ${[...FILES.map(([, to]) => to), "package.json"].sort().join(", ")} in ${target}`,
      "next:",
      `  cd ${dir} && npm install && npm run build && npm start`,
    ].join("\n") + "\n");
  },
};

/** The project's package.json: this wasm-mp's version, and the AssemblyScript it is built with. */
function projectPackage(dirName: string) {
  const own = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
    devDependencies?: Record<string, string>;
  };
  const name = dirName.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "") || "my-kernels";
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      build: "asc kernels.ts --config asconfig.json --target release",
      start: "node run.mjs",
    },
    dependencies: {
      "wasm-mp": `^${own.version}`,
      assemblyscript: own.devDependencies?.assemblyscript ?? "^0.28.0",
    },
  };
}
