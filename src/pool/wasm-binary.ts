/**
 * What createPool reads from a user's module bytes that a compiled module does not tell JS: one
 * cursor over the binary format (LEB128 numbers, names, sections), and two readers on it.
 *
 * The value types of a wasm module's exported functions: the type section
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

/** A position in a wasm binary and the reads the readers need; a read past the end throws. */
class WasmCursor {
  pos = 8; // past the magic number and the version

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new RangeError("past the end");
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 number (up to 2^53 exactly). */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** A signed LEB128 number of 32 bits. */
  i32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (~0 << shift) : result;
  }

  name(): string {
    const length = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return s;
  }

  /** Each section's id, with the cursor at its contents; the cursor moves to the next one whatever was read. */
  *sections(): Generator<number> {
    while (!this.done) {
      const id = this.byte();
      const size = this.u32();
      const end = this.pos + size;
      yield id;
      this.pos = end;
    }
  }
}

/**
 * End of the furthest active data segment with a constant offset, or 0. Reads the data
 * section (id 11) of a wasm binary; segments placed by a global's value cannot be checked.
 */
export function dataSegmentsEnd(bytes: Uint8Array): number {
  const c = new WasmCursor(bytes);
  let end = 0;
  for (const id of c.sections()) {
    if (id !== 11) continue;
    for (let count = c.u32(), s = 0; s < count; s++) {
      const flags = c.u32();
      let offset: number | undefined;
      if (flags === 0 || flags === 2) {
        if (flags === 2) c.u32();
        const op = c.byte();
        if (op === 0x41) offset = c.i32() >>> 0;
        else c.u32(); // global.get index
        c.pos++; // end
      }
      const length = c.u32();
      c.pos += length;
      if (offset !== undefined && length > 0) end = Math.max(end, offset + length);
    }
  }
  return end;
}

function read(bytes: Uint8Array): ExportSignature[] {
  const c = new WasmCursor(bytes);
  const byte = (): number => c.byte();
  const u32 = (): number => c.u32();
  const name = (): string => c.name();
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
  for (const id of c.sections()) {
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
