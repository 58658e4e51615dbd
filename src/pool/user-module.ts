/**
 * A user's own module in place of the bundled kernels: loaded from bytes, a path or URL, or a
 * compiled WebAssembly.Module, and checked before any worker starts. What such a module must
 * be (docs/pool.md; `wasm-mp init` writes a project that builds one): it imports a shared memory as env.memory, with a maximum
 * of at least the pool's maxMemory; it imports nothing else than env.abort unless `hostImports`
 * supplies it; and it has no static data beyond the first 64 KiB (the arena hands out the rest).
 */
import { invalid, messageOf } from "../errors.js";
import { RESERVED_BYTES, isSharedBuffer } from "../memory/arena.js";
import { platform } from "../platform/platform.js";
import { dataSegmentsEnd, describeSignature, exportSignatures, i64Exports } from "./wasm-binary.js";

export type ModuleSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | string | URL;

const ALLOWED = "a WebAssembly.Module, the module's bytes (ArrayBuffer or typed array), or a path or URL of a .wasm file";

/** Compiles (or takes) the user's module; bytes are checked for static data the arena would overwrite. */
export async function loadUserModule(source: unknown): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  let bytes: Uint8Array;
  if (source instanceof ArrayBuffer || isSharedBuffer(source)) bytes = new Uint8Array(source);
  else if (ArrayBuffer.isView(source)) bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  else if (typeof source === "string" || source instanceof URL) {
    const url = toUrl(source);
    try {
      bytes = await (platform().readBytes?.(url) ?? fetchBytes(url));
    } catch (e) {
      throw invalid("module", String(source), `${ALLOWED} that can be read (${messageOf(e)})`);
    }
  } else {
    throw invalid("module", source, ALLOWED);
  }
  let module: WebAssembly.Module;
  try {
    const own = (isSharedBuffer(bytes.buffer) ? bytes.slice() : bytes) as Uint8Array<ArrayBuffer>;
    module = await (platform().compileOptimized?.(own) ?? WebAssembly.compile(own));
  } catch (e) {
    throw invalid("module", describeSource(source), `valid WebAssembly (${messageOf(e)})`);
  }
  const segment = dataSegmentsEnd(bytes);
  if (segment > RESERVED_BYTES) {
    throw invalid("module", describeSource(source),
      `a module without static data beyond the first ${RESERVED_BYTES} bytes of memory (it has data up to byte ${segment}, ` +
      "which the pool's arena hands out to other regions; kernels may not use static arrays or allocate)");
  }
  checkNoI64(bytes, source);
  return module;
}

/**
 * Refuses a module that exports a function with an i64 parameter or result (wasm-binary.ts):
 * every argument reaches a kernel as an f64 and every result is read as a number, so an i64
 * could only fail at its first call or be rounded beyond 2^53. A compiled WebAssembly.Module
 * has no bytes to read: its i64 kernels are refused at call time instead (kernels/result.ts).
 */
function checkNoI64(bytes: Uint8Array, source: unknown): void {
  const signatures = exportSignatures(bytes);
  const wide = signatures ? i64Exports(signatures) : [];
  if (wide.length === 0) return;
  throw invalid("module", `${describeSource(source)}, which exports ${wide.map(describeSignature).join(", ")}`,
    "a module whose exported functions take and return f64, f32 or i32 only (a kernel's numbers cross as f64, and an i64 would " +
    "need a BigInt or be rounded beyond 2^53): declare those parameters and results f64 (exact to 2^53) or i32, or do not export " +
    "the functions that need i64");
}

/** A path, or a string with a URL scheme, as a URL. */
export function toUrl(source: string | URL): URL {
  if (source instanceof URL) return source;
  if (/^[a-z][a-z0-9+.-]+:/i.test(source)) return new URL(source);
  const resolve = platform().resolvePath;
  if (resolve) return resolve(source);
  return new URL(source, (globalThis as { location?: { href: string } }).location?.href);
}

/** Throws, naming every import the module needs that the imports do not supply. */
export function checkImports(module: WebAssembly.Module, imports: WebAssembly.Imports): void {
  const needed = WebAssembly.Module.imports(module);
  const memory = needed.find((i) => i.kind === "memory");
  if (!memory || memory.module !== "env" || memory.name !== "memory") {
    throw invalid("module", "a module " + (memory ? `importing its memory as ${memory.module}.${memory.name}` : "with a memory of its own"),
      "a module that imports a shared memory as env.memory (AssemblyScript: --importMemory --sharedMemory)");
  }
  const missing = needed.filter((i) => i.kind !== "memory" && (imports[i.module] as Record<string, unknown> | undefined)?.[i.name] === undefined);
  if (missing.length) {
    throw invalid("module", `a module importing ${missing.map((i) => `${i.module}.${i.name} (${i.kind})`).join(", ")}`,
      "a module whose imports are env.memory and env.abort only, or supplied by the hostImports option");
  }
}

/** Explains a LinkError from instantiating over the pool's memory. */
export function linkError(e: unknown, maxPages: number): Error {
  return invalid("module", `a module that does not link (${messageOf(e)})`,
    `a module whose env.memory import is shared (AssemblyScript: --sharedMemory, --enable threads) with a maximum of at least ${maxPages} pages ` +
    "(the pool's maxMemory; AssemblyScript: --maximumMemory 65536)");
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** How a module the user gave is named in messages. */
export function describeSource(source: unknown): string {
  if (typeof source === "string" || source instanceof URL) return String(source);
  if (source instanceof WebAssembly.Module) return "(the given WebAssembly.Module)";
  return "(the given bytes)";
}

/**
 * A compiled module has no bytes to check: instantiate it once away from the pool (where the
 * platform can) and refuse it if that wrote beyond the reserved bytes, as its data segments
 * would in every worker; or if instantiating it traps or never ends.
 */
export async function probeModule(module: WebAssembly.Module, source: unknown, maxPages: number, hostImports: string | undefined, timeoutMs: number): Promise<void> {
  if (!(source instanceof WebAssembly.Module)) return; // bytes were checked when loaded
  const reply = await platform().probeModule?.(module, maxPages, hostImports, timeoutMs);
  if (!reply || "clean" in reply) return;
  if ("error" in reply) {
    if (/LinkError/.test(reply.error)) throw linkError(new Error(reply.error), maxPages);
    throw invalid("module", describeSource(source), `a module that instantiates (${reply.error})`);
  }
  throw invalid("module", describeSource(source),
    `a module without static data beyond the first ${RESERVED_BYTES} bytes of memory (instantiating it wrote bytes ${reply.changedFrom}–${reply.changedTo - 1}, ` +
    "which the pool's arena hands out to other regions; kernels may not use static arrays or allocate)");
}
