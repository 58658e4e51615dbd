import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, encodePng, rgbImage } from "../../dist/cli/png.js";
import { InvalidArgumentError, encodePngAsync, rgbImage as publicRgbImage } from "../../dist/index.js";

/** Splits a PNG into its chunks, checking each CRC with a bit-by-bit CRC-32 written here. */
function readChunks(png: Uint8Array): Array<{ type: string; data: Uint8Array; crcOk: boolean }> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    chunks.push({
      type: String.fromCharCode(...typeAndData.subarray(0, 4)),
      data: typeAndData.subarray(4),
      crcOk: view.getUint32(at + 8 + length) === bitwiseCrc32(typeAndData),
    });
    at += 12 + length;
  }
  return chunks;
}

function bitwiseCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe("png", () => {
  it("crc32 gives the standard check value for \"123456789\"", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("writes the signature, then IHDR, IDAT and IEND with valid CRCs", () => {
    const png = encodePng(rgbImage(3, 2));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), ihdr.getUint8(8), ihdr.getUint8(9)]).toEqual([3, 2, 8, 2]);
  });

  it("stores every pixel: the IDAT inflates to filter byte 0 plus the RGB row, row by row", () => {
    const image = rgbImage(4, 3);
    for (let i = 0; i < image.pixels.length; i++) image.pixels[i] = (i * 37) & 255;
    const idat = readChunks(encodePng(image)).find((c) => c.type === "IDAT")!;
    const raw = inflateSync(idat.data);
    expect(raw.length).toBe(3 * (1 + 4 * 3));
    for (let y = 0; y < 3; y++) {
      expect(raw[y * 13]).toBe(0);
      expect([...raw.subarray(y * 13 + 1, (y + 1) * 13)]).toEqual([...image.pixels.subarray(y * 12, (y + 1) * 12)]);
    }
  });

  it("rejects a pixel buffer of the wrong size", () => {
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(5) })).toThrow(/needs 12 bytes; got 5/);
  });

  it("encodePngAsync (the package's entries) writes the same chunks and pixels, compressed with CompressionStream", async () => {
    const image = publicRgbImage(5, 4, [10, 20, 30]);
    for (let i = 0; i < image.pixels.length; i += 7) image.pixels[i] = (i * 11) & 255;
    const chunks = readChunks(await encodePngAsync(image));
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const sync = readChunks(encodePng(image));
    expect([...chunks[0]!.data]).toEqual([...sync[0]!.data]);
    const raw = inflateSync(chunks[1]!.data);
    for (let y = 0; y < 4; y++) {
      expect(raw[y * 16]).toBe(0);
      expect([...raw.subarray(y * 16 + 1, (y + 1) * 16)]).toEqual([...image.pixels.subarray(y * 15, (y + 1) * 15)]);
    }
  });

  it("encodePngAsync rejects what is not an RGB image, naming the field", async () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /^image must be an RGB image \{ width, height, pixels \}/],
      [{ width: 0, height: 2, pixels: new Uint8Array(0) }, /^image\.width must be an integer from 1 to /],
      [{ width: 2, height: 1.5, pixels: new Uint8Array(9) }, /^image\.height must be an integer from 1 to /],
      [{ width: 2, height: 2, pixels: new Uint8Array(5) }, /^image\.pixels must be a Uint8Array of width · height · 3 = 12 bytes/],
      [{ width: 2, height: 2, pixels: new Array(12).fill(0) }, /^image\.pixels must be a Uint8Array/],
    ];
    for (const [image, message] of bad) {
      const e = await encodePngAsync(image as never).catch((x) => x);
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect(e.message).toMatch(message);
    }
  });
});
