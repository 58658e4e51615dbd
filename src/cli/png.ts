/**
 * A minimal PNG encoder (8-bit RGB, no interlace) on node:zlib, so the CLI needs no image
 * package; the format itself is in png-format.ts.
 */
import { deflateSync } from "node:zlib";
import { pngDatastream, pngScanlines, type RgbImage } from "./png-format.js";

export { crc32, rgbImage, type RgbImage } from "./png-format.js";

/** The image as a PNG file (8-bit RGB, zlib-compressed rows). */
export function encodePng(image: RgbImage): Uint8Array {
  return pngDatastream(image, deflateSync(pngScanlines(image), { level: 9 }));
}
