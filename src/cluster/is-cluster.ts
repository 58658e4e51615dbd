/** Tells a Cluster from a Pool without loading the cluster (the browser entry and workload checks use it). */
export function isCluster(x: unknown): boolean {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "cluster";
}
