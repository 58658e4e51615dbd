/**
 * The value types of a wasm module's exported functions, read from its bytes: the type section
 * (1), the imports (2: imported functions come first in the function index space), the function
 * section (3) and the export section (7). JS sees no types on a compiled module (the type
 * reflection proposal is not in Node 20), so this is how createPool refuses an i64 kernel before
 * any call: a worker passes every argument as an f64 and reads every result as a number, and an
 * i64 crosses the JS boundary as a BigInt, which would either throw at the call or, converted
 * with Number(), round beyond 2^53.
 */

/** One exported function: its name and its parameter and result types ("i32", "i64", "f32", "f64", "v128", …). */
export interface ExportSignature {
  name: string;
  params: string[];
  results: string[];
}

const VALTYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

/** The signatures of the module's exported functions, in export order; undefined where the bytes cannot be read as such. */
export function exportSignatures(bytes: Uint8Array): ExportSignature[] | undefined {
  try {
    return read(bytes);
  } catch {
    return undefined; // the engine compiled it, so it is valid; a layout this reader does not know is left to call time
  }
}

function read(bytes: Uint8Array): ExportSignature[] {
  let pos = 8;
  const byte = (): number => {
    if (pos >= bytes.length) throw new RangeError("past the end");
    return bytes[pos++]!;
  };
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  const name = (): string => {
    const length = u32();
    const s = new TextDecoder().decode(bytes.subarray(pos, pos + length));
    pos += length;
    return s;
  };
  const valtype = (): string => {
    const b = byte();
    const t = VALTYPES[b];
    if (t === undefined) throw new RangeError(`value type 0x${b.toString(16)}`);
    return t;
  };
  const limits = (): void => {
    const flags = u32();
    u32();
    if (flags & 1) u32();
  };
  const types: Array<{ params: string[]; results: string[] }> = [];
  const functions: number[] = []; // type index of each function, imported ones first
  const exports: ExportSignature[] = [];
  while (pos < bytes.length) {
    const id = byte();
    const size = u32();
    const end = pos + size;
    if (id === 1) {
      for (let n = u32(), i = 0; i < n; i++) {
        if (byte() !== 0x60) throw new RangeError("a type that is not a function type");
        const params = Array.from({ length: u32() }, valtype);
        const results = Array.from({ length: u32() }, valtype);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(), i = 0; i < n; i++) {
        name();
        name();
        const kind = byte();
        if (kind === 0) functions.push(u32());
        else if (kind === 1) { byte(); limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) { byte(); byte(); }
        else if (kind === 4) { byte(); u32(); }
        else throw new RangeError(`import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let n = u32(), i = 0; i < n; i++) functions.push(u32());
    } else if (id === 7) {
      for (let n = u32(), i = 0; i < n; i++) {
        const exported = name();
        const kind = byte();
        const index = u32();
        if (kind !== 0) continue;
        const type = types[functions[index]!];
        if (!type) throw new RangeError(`function ${index} has no type`);
        exports.push({ name: exported, params: type.params, results: type.results });
      }
    }
    pos = end;
  }
  return exports;
}

/** The exported functions (kernels, not the `__`-prefixed runtime helpers) with an i64 parameter or result. */
export function i64Exports(signatures: readonly ExportSignature[]): ExportSignature[] {
  return signatures.filter((s) => !s.name.startsWith("__") && [...s.params, ...s.results].includes("i64"));
}

/** `name(i32, i64) → i64`, for messages. */
export function describeSignature(s: ExportSignature): string {
  return `${s.name}(${s.params.join(", ")}) → ${s.results.length ? s.results.join(", ") : "nothing"}`;
}
