// Compiles and runs the C reference programs in bench/reference/ (when gcc is present), so
// suites can print our time beside native C's.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "wasm-mp-ref-"));

/** Returns the program's stdout, or null (with a note) when it cannot be built here. */
export function runReference(name, args = [], { threads = 2 } = {}) {
  const source = new URL(`reference/${name}.c`, import.meta.url).pathname;
  const binary = join(dir, name);
  try {
    execFileSync("gcc", ["-O3", "-march=native", "-fopenmp", source, "-o", binary, "-lm"], { stdio: "pipe" });
  } catch (e) {
    console.log(`(C reference ${name}.c not built: ${e.message.split("\n")[0]})`);
    return null;
  }
  const r = spawnSync(binary, args.map(String), { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
  return r.status === 0 ? r.stdout.trim() : null;
}
