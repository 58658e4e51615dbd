/**
 * Kernels written in JavaScript: a module whose named exported functions are kernels on the
 * same terms as a wasm module's exports (numbers and pointers in, a number out). It is loaded in
 * every worker and in the calling thread; an exported `init(memory)` runs once in each, before
 * the first call, so the kernels can make typed-array views of the pool's memory by offset:
 *
 *   let memory;
 *   export function init(m) { memory = m; }
 *   export function sumSquares(start, end) { let s = 0; for (let i = start; i < end; i++) s += i * i; return s; }
 *   export function scale(ptr, n, k) { const a = new Float64Array(memory.buffer, ptr, n); for (let i = 0; i < n; i++) a[i] *= k; return n; }
 */
import { invalid, messageOf } from "../errors.js";

/**
 * Whether a `module` option names a JS module rather than a .wasm: by its file extension, or a
 * `data:` URL of JavaScript (what Vite makes of `new URL("./kernels.js", import.meta.url)` for a
 * file under its assetsInlineLimit, 4 KiB).
 */
export function isJsModule(source: unknown): source is string | URL {
  const href = typeof source === "string" ? source : source instanceof URL ? source.href : undefined;
  if (href === undefined) return false;
  if (/^data:(text|application)\/(javascript|ecmascript)[;,]/i.test(href)) return true;
  const path = source instanceof URL ? source.pathname : href;
  return /\.(m?js|cjs)$/i.test(path.split(/[?#]/)[0]!);
}

/** Loads the module at `url` (an absolute URL), runs its init, and returns its kernels. */
export async function loadJsKernels(url: string, memory: WebAssembly.Memory): Promise<Record<string, unknown>> {
  let loaded: Record<string, unknown>;
  try {
    // the URL is the user's, known only at run time: bundlers must leave this import() to the runtime
    loaded = (await import(/* webpackIgnore: true */ /* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (e) {
    throw invalid("module", url, `a JS module of kernels that can be imported (${messageOf(e)})`);
  }
  if (typeof loaded.init === "function") await (loaded.init as (m: WebAssembly.Memory) => unknown)(memory);
  const kernels: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(loaded)) {
    if (typeof value === "function" && name !== "init" && name !== "default") kernels[name] = value;
  }
  if (Object.keys(kernels).length === 0) throw invalid("module", url, "a JS module exporting at least one kernel function (besides init)");
  return kernels;
}
