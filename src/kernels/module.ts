/**
 * The bundled kernels: one AssemblyScript module (assembly/) compiled to build/kernels.wasm,
 * importing a shared memory as env.memory. Compiled once per process (by the platform) and
 * shared with the workers, which only instantiate it. Where the platform finds the file is
 * kernels/url.ts (or, in the embedded browser entry, bytes inlined in the bundle): this module
 * has no import.meta, so the embedded worker and entry can be bundled into classic scripts.
 */

/** Imports every instance gets: the shared memory, and an abort that traps with its message. */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`abort called at line ${line}, column ${column}`);
      },
    },
  };
}

