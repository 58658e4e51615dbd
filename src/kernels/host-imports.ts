/** The imports of a user's module: the pool's, plus what its hostImports module supplies. */
import { invalid } from "../errors.js";
import { kernelImports } from "./module.js";

/**
 * Every instance's imports: the pool's (env.memory, env.abort) plus, with `hostImports`, what
 * that JS module's default export returns for this memory: an object of import modules, e.g.
 * `{ env: { log: (x) => console.log(x) } }`. It is loaded in each worker and in the calling thread.
 */
export async function moduleImports(memory: WebAssembly.Memory, hostImports?: string): Promise<WebAssembly.Imports> {
  const base = kernelImports(memory);
  if (hostImports === undefined) return base;
  // the URL is the user's, known only at run time: bundlers must leave this import() to the
  // browser (webpack would otherwise replace it with an empty context that rejects every URL)
  const loaded = (await import(/* webpackIgnore: true */ /* @vite-ignore */ hostImports)) as { default?: unknown };
  if (typeof loaded.default !== "function") {
    throw invalid("hostImports", hostImports, "a JS module whose default export is a function (memory) => imports object");
  }
  const extra = (await (loaded.default as (m: WebAssembly.Memory) => unknown)(memory)) as WebAssembly.Imports;
  if (typeof extra !== "object" || extra === null) {
    throw invalid("hostImports", hostImports, "a module whose default export returns an imports object such as { env: { f } }");
  }
  const merged: WebAssembly.Imports = { ...extra };
  merged.env = { ...(extra.env ?? {}), ...base.env }; // memory and abort are the pool's
  return merged;
}
