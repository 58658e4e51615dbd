// Compiles an AssemblyScript kernel of this folder with its asconfig.json, as a user would with
// `npx asc <name>.ts --config asconfig.json --target release --outFile build/<name>.wasm`, when
// build/<name>.wasm is missing or older than its sources. Returns the .wasm's URL.
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Sources a kernel depends on besides its own file: the package's kernel API it imports. */
const LIBRARY = ["../../assembly/sync.ts", "../../assembly/sync-layout.ts", "../../assembly/barrier.ts", "asconfig.json"];

export async function buildKernel(name) {
  const out = new URL(`./build/${name}.wasm`, import.meta.url);
  const sources = [`${name}.ts`, ...LIBRARY].map(here);
  if (existsSync(out) && sources.every((s) => statSync(s).mtimeMs <= statSync(out).mtimeMs)) return out;
  mkdirSync(here("./build"), { recursive: true });
  // written under a name of its own, then renamed: two runs at once never read half a file
  const tmp = here(`./build/${name}.${process.pid}.tmp.wasm`);
  const { default: asc } = await import("assemblyscript/asc");
  const stderr = [];
  const { error } = await asc.main([here(`${name}.ts`), "--config", here("asconfig.json"), "--target", "release", "--outFile", tmp], {
    stderr: { write: (s) => { stderr.push(String(s)); return true; } },
  });
  if (error) throw new Error(`asc could not compile ${name}.ts: ${error.message}\n${stderr.join("")}`);
  renameSync(tmp, fileURLToPath(out));
  return out;
}
