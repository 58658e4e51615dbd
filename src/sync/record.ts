/**
 * Records with named, typed fields — `recordType({ x: "f64", id: "i32" })` — laid out once, the
 * way AssemblyScript lays out an `@unmanaged class` with the same fields in the same order: each
 * field at the next multiple of its size, the whole rounded up to 8 bytes. A kernel reads a
 * record through such a class and offsetof (test/sync/record.test.ts checks the two agree).
 */
import { invalid } from "../errors.js";

export type FieldType = "f64" | "f32" | "i32" | "u32" | "i16" | "u16" | "i8" | "u8";
export type Fields = Record<string, FieldType>;
export type RecordOf<F extends Fields> = { [K in keyof F]: number };

const SIZES: Record<FieldType, number> = { f64: 8, f32: 4, i32: 4, u32: 4, i16: 2, u16: 2, i8: 1, u8: 1 };
const SETTERS = { f64: "setFloat64", f32: "setFloat32", i32: "setInt32", u32: "setUint32", i16: "setInt16", u16: "setUint16", i8: "setInt8", u8: "setUint8" } as const;
const GETTERS = { f64: "getFloat64", f32: "getFloat32", i32: "getInt32", u32: "getUint32", i16: "getInt16", u16: "getUint16", i8: "getInt8", u8: "getUint8" } as const;

export interface RecordType<F extends Fields> {
  readonly fields: F;
  /** Byte offset of each field in a record. */
  readonly offsets: { readonly [K in keyof F]: number };
  /** Bytes per record: a multiple of 8. */
  readonly byteLength: number;
  write(view: DataView, at: number, value: RecordOf<F>): void;
  read(view: DataView, at: number): RecordOf<F>;
  check(value: unknown, name: string): void;
}

export function recordType<F extends Fields>(fields: F): RecordType<F> {
  if (fields === null || typeof fields !== "object" || Object.keys(fields).length === 0 ||
      !Object.values(fields).every((t) => Object.hasOwn(SIZES, t))) {
    throw invalid("record", fields, `an object of field types, each one of ${Object.keys(SIZES).join(", ")}`);
  }
  const names = Object.keys(fields) as Array<keyof F & string>;
  const offsets = {} as { [K in keyof F]: number };
  let end = 0;
  for (const name of names) {
    const size = SIZES[fields[name]!];
    offsets[name] = Math.ceil(end / size) * size;
    end = offsets[name] + size;
  }
  const littleEndian = true;
  return {
    fields,
    offsets,
    byteLength: Math.ceil(end / 8) * 8,
    write(view, at, value) {
      for (const n of names) (view[SETTERS[fields[n]!]] as (o: number, v: number, le: boolean) => void).call(view, at + offsets[n], value[n], littleEndian);
    },
    read(view, at) {
      const out = {} as RecordOf<F>;
      for (const n of names) out[n] = (view[GETTERS[fields[n]!]] as (o: number, le: boolean) => number).call(view, at + offsets[n], littleEndian);
      return out;
    },
    check(value, name) {
      if (value === null || typeof value !== "object" || !names.every((n) => typeof (value as Record<string, unknown>)[n] === "number")) {
        throw invalid(name, value, `a record { ${names.map((n) => `${n}: number`).join(", ")} }`);
      }
    },
  };
}
