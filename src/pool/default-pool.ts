/**
 * The pool that workload functions use when the caller passes none: created on first use with
 * availableParallelism() workers (or more, if a call asks for more), shared by every call, and
 * ended by close().
 */
import { platform } from "../platform/platform.js";
import { Pool } from "./pool.js";

let current: Promise<Pool> | undefined;
let currentSize = 0;

export async function defaultPool(minWorkers = 1): Promise<Pool> {
  if (current && currentSize < minWorkers) {
    const old = current;
    current = undefined;
    await (await old).close();
  }
  if (!current) {
    currentSize = Math.max(platform().availableParallelism(), minWorkers);
    current = Pool.create({ workers: currentSize });
    current.catch(() => { current = undefined; });
  }
  return current;
}

/** Ends the default pool's workers. A later workload call starts a new one. */
export async function close(): Promise<void> {
  const pool = current;
  current = undefined;
  if (pool) await (await pool).close();
}
