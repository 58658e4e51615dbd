/** A raw tinypool worker that does nothing: the dispatch suite's baseline for the pool's round trip. */
export default function empty(): null {
  return null;
}
