/**
 * The cluster's names in the browser entry: a page cannot be a cluster's coordinator or worker
 * (they need Node's TCP sockets for Redis, through bullmq and ioredis, which a bundle must never
 * pull in), so these reject with a ClusterError that says so.
 */
import { ClusterError } from "./cluster-error.js";

export { ClusterError };
export { isCluster } from "./is-cluster.js";

const MESSAGE = "a cluster needs Node (bullmq and ioredis over TCP): run the coordinator and `wasm-mp worker` in Node (docs/cluster.md)";

export async function createCluster(_options: unknown): Promise<never> {
  throw new ClusterError(MESSAGE);
}

export async function startClusterWorker(_options: unknown): Promise<never> {
  throw new ClusterError(MESSAGE);
}
