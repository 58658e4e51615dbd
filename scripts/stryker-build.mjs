// Stryker's buildCommand (stryker.config.mjs): compiles the mutated src/ of the sandbox into its
// dist/. The sandbox gets node_modules only after the build, so typescript is found the way Node
// finds any package: up the folders, in the repository's own node_modules.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "."], { stdio: "inherit" });
