/** --cluster for workload commands: a Cluster for the run, closed after it; the machines it used, for printing. */
import type { Cluster, ClusterOptions } from "../cluster/cluster.js";
import type { RangeRunner } from "../workloads/define.js";
import { UsageError, type ParsedFlags } from "./args.js";

/**
 * Calls `run` with a cluster when --cluster is given (as the workload's `pool`), else with
 * undefined (the local default pool); closes the cluster afterwards. `extra` is what to add to
 * the printed result: the number of machines and of part-jobs, on a cluster.
 */
export async function withCluster<T>(
  flags: ParsedFlags, command: string, run: (pool: RangeRunner | undefined, extra: () => ClusterExtra | undefined) => Promise<T>, module?: ClusterOptions["module"],
): Promise<T> {
  const url = flags.cluster as string | undefined;
  if (url === undefined) {
    if (flags.queue !== undefined) throw new UsageError("--queue goes with --cluster", command);
    return run(undefined, () => undefined);
  }
  const { createCluster } = await import("../cluster/cluster.js");
  const cluster: Cluster = await createCluster({ connection: url, queue: flags.queue as string | undefined, ...(module === undefined ? {} : { module }) });
  try {
    // a Cluster runs range jobs as a Pool does (docs/cluster.md)
    return await run(cluster, () => {
      const last = cluster.lastRun;
      return last && { machines: last.machines, partJobs: last.partJobs };
    });
  } finally {
    await cluster.close();
  }
}

export interface ClusterExtra {
  /** Worker processes that returned results. */
  machines: number;
  /** BullMQ part-jobs the parts were grouped into. */
  partJobs: number;
}

/** A line for the readable output, on a cluster. */
export function clusterLine(extra: ClusterExtra | undefined): string[] {
  return extra ? [`cluster: ${extra.machines} machine${extra.machines === 1 ? "" : "s"}, ${extra.partJobs} part-job${extra.partJobs === 1 ? "" : "s"}`] : [];
}
