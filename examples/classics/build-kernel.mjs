// Compiles an AssemblyScript kernel of this folder with its asconfig.json, as a user would with
// `npx asc <name>.ts --config asconfig.json --target release --outFile build/<name>.wasm`, when
// build/<name>.wasm is missing or older than its sources. Returns the .wasm's URL.
//
// The kernels import "wasm-mp/assembly/sync" as a user's kernel does; a user's project finds that
// in node_modules/wasm-mp, and here build/packages/wasm-mp, a link to this repository, stands for it.
import { existsSync, mkdirSync, renameSync, statSync, symlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Sources a kernel depends on besides its own file: the package's kernel API it imports. */
const LIBRARY = [`${ROOT}assembly/sync.ts`, `${ROOT}assembly/sync-layout.ts`, `${ROOT}assembly/barrier.ts`, `${HERE}asconfig.json`];

export async function buildKernel(name) {
  const out = `${HERE}build/${name}.wasm`;
  const sources = [`${HERE}${name}.ts`, ...LIBRARY];
  if (existsSync(out) && sources.every((s) => statSync(s).mtimeMs <= statSync(out).mtimeMs)) return new URL(`file://${out}`);
  const packages = `${HERE}build/packages`;
  mkdirSync(packages, { recursive: true });
  try {
    symlinkSync(ROOT, `${packages}/wasm-mp`, "junction");
  } catch (e) {
    if (e.code !== "EEXIST") throw e;
  }
  // written under a name of its own, then renamed: two runs at once never read half a file
  const tmp = `${HERE}build/${name}.${process.pid}.tmp.wasm`;
  const { default: asc } = await import("assemblyscript/asc");
  const stderr = [];
  const { error } = await asc.main([`${name}.ts`, "--baseDir", HERE, "--config", "asconfig.json", "--target", "release", "--path", packages, "--outFile", tmp], {
    stderr: { write: (s) => { stderr.push(String(s)); return true; } },
  });
  if (error) throw new Error(`asc could not compile examples/classics/${name}.ts: ${error.message}\n${stderr.join("")}`);
  renameSync(tmp, out);
  return new URL(`file://${out}`);
}
