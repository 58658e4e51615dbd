/**
 * Compiles AssemblyScript for the tests with the asc in node_modules, caching the .wasm by a
 * hash of its inputs in the OS temp folder (compiling takes seconds).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ASC = join(ROOT, "node_modules/assemblyscript/bin/asc.js");

/** Options of a module for a pool: imported shared memory, no runtime, atomics. */
export const POOL_MODULE_FLAGS = [
  "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1",
  "--maximumMemory", "65536", "--enable", "threads", "--enable", "simd", "-O3", "--noAssert",
];

/** Compiles `entry` (relative to the repository root) with `flags`; returns the .wasm path. */
export function compileAs(entry: string, flags: readonly string[], extraInputs: readonly string[] = []): string {
  const hash = createHash("sha1");
  for (const file of [entry, ...extraInputs]) hash.update(file).update(readFileSync(join(ROOT, file)));
  hash.update(flags.join(" "));
  const dir = join(tmpdir(), "wasm-mp-test-wasm");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${hash.digest("hex").slice(0, 16)}.wasm`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.wasm`;
  // run from the cache folder: asc would merge in an asconfig.json found in its working folder
  execFileSync(process.execPath, [ASC, join(ROOT, entry), ...flags, "--outFile", tmp, "--textFile", `${tmp}.wat`], { cwd: dir, stdio: "pipe" });
  renameSync(tmp, out);
  rmSync(`${tmp}.wat`, { force: true }); // asked for only so that an asconfig's textFile is not written
  return out;
}

/** examples/user-kernel, built with its own asconfig.json as the README says. */
export function compileExample(): string {
  return compileAs("examples/user-kernel/kernels.ts",
    ["--config", join(ROOT, "examples/user-kernel/asconfig.json"), "--target", "release"],
    ["examples/user-kernel/asconfig.json", "assembly/sync.ts"]);
}

/** test/pool/fixtures/faults.ts: kernels that trap or end their worker on purpose. */
export function compileFaults(): string {
  return compileAs("test/pool/fixtures/faults.ts", POOL_MODULE_FLAGS);
}

export const CRASH_HOST = join(ROOT, "test/pool/fixtures/crash-host.mjs");

/** test/pool/fixtures/core.ts: small kernels for the pool core's tests. */
export function compileCore(): string {
  return compileAs("test/pool/fixtures/core.ts", POOL_MODULE_FLAGS);
}
