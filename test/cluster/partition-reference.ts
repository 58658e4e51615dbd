/** A plain reference of a block partition's blocks, written for the tests: part j is [start + j·size, min(end, start + (j+1)·size)). */
export function forEachBlockReference(spec: { start: number; end: number; parts: number; blockSize: number }): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let j = 0; j < spec.parts; j++) {
    const a = spec.start + j * spec.blockSize;
    out.push([a, Math.min(spec.end, a + spec.blockSize)]);
  }
  return out;
}
