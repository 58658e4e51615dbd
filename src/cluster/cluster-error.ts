/** The cluster's own failure: Redis unreachable or gone, a part-job lost, a job the cluster cannot run. */
import { WorkerError } from "../errors.js";

export class ClusterError extends WorkerError {
  override name = "ClusterError";
}
