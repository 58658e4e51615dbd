/** What every call reports to its onProgress. */
export interface Progress {
  /** Parts (items, for map) finished. */
  done: number;
  /** Parts (items) in the call. */
  total: number;
  fraction: number;
}

export function progressOf(done: number, total: number): Progress {
  return { done, total, fraction: total === 0 ? 1 : done / total };
}
