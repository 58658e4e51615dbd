/**
 * The PNG format without a compressor (8-bit RGB, no interlace): the datastream around
 * zlib-compressed scanlines, so that png.ts can compress with node:zlib (the CLI) and
 * encodePngAsync with the CompressionStream Node and browsers both have (the public entries).
 * Format: PNG specification (W3C, 2nd ed.), §5 datastream, §11 chunks IHDR/IDAT/IEND.
 */
import { invalid } from "../errors.js";
import * as check from "../validate.js";

/** width × height pixels, 3 bytes (R, G, B) each, rows top to bottom. */
export interface RgbImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** A blank RGB image of width × height pixels, filled with `background`. */
export function rgbImage(width: number, height: number, background: readonly [number, number, number] = [255, 255, 255]): RgbImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set(background, i);
  return { width, height, pixels };
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The scanlines a PNG compresses: each row of the image after its filter type (0, none). */
export function pngScanlines(image: RgbImage): Uint8Array<ArrayBuffer> {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 3) throw new RangeError(`an RGB image of ${width}×${height} needs ${width * height * 3} bytes; got ${pixels.length}`);
  // filter type 0 (none) deflates well enough for flat colour maps
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return raw;
}

/** The PNG file of `image` whose scanlines, zlib-compressed (RFC 1950), are `compressed`. */
export function pngDatastream(image: RgbImage, compressed: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter method 0, no interlace
  return concat([SIGNATURE, chunk("IHDR", header), chunk("IDAT", compressed), chunk("IEND", new Uint8Array(0))]);
}

/**
 * The image as a PNG file (8-bit RGB), compressed with the CompressionStream of Node ≥ 18 and
 * browsers: `writeFileSync("out.png", await encodePngAsync(image))`. rgbImage makes the image.
 */
export async function encodePngAsync(image: RgbImage): Promise<Uint8Array> {
  if (typeof image !== "object" || image === null) throw invalid("image", image, "an RGB image { width, height, pixels } (rgbImage makes one)");
  // PNG allows up to 2³¹ − 1 pixels a side; one scanline must also fit in a typed array
  check.integer("image.width", image.width, 1, 2 ** 28);
  check.integer("image.height", image.height, 1, 2 ** 31 - 1);
  if (!(image.pixels instanceof Uint8Array) || image.pixels.length !== image.width * image.height * 3) {
    throw invalid("image.pixels", image.pixels, `a Uint8Array of width · height · 3 = ${image.width * image.height * 3} bytes (R, G, B per pixel)`);
  }
  const raw = pngScanlines(image);
  const compressed = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
  return pngDatastream(image, compressed);
}

/** length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected), as PNG and zlib's crc32 define it. */
export function crc32(bytes: Uint8Array): number {
  const table = crcTable ??= makeCrcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
