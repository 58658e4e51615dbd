/**
 * The pool that workload functions use when the caller passes none: created on first use with
 * availableParallelism() workers (or more, if a call asks for more), shared by every call, and
 * ended by close(). A call asking for more workers than it has gets a new, larger pool; the
 * old one is closed gracefully, so the calls running on it finish there.
 */
import { PoolClosedError } from "../errors.js";
import { platform } from "../platform/platform.js";
import { Pool } from "./pool.js";

let current: Promise<Pool> | undefined;
let currentSize = 0;

export async function defaultPool(minWorkers = 1): Promise<Pool> {
  if (current && currentSize < minWorkers) {
    const old = current;
    current = undefined;
    void old.then((pool) => pool.close(), () => undefined);
  }
  if (!current) {
    currentSize = Math.max(platform().availableParallelism(), minWorkers);
    const starting = Pool.create({ workers: currentSize });
    current = starting;
    starting.catch(() => { if (current === starting) current = undefined; });
  }
  return current;
}

/** The default pool, held open for a run of calls: call `release` when done. */
export async function holdDefaultPool(minWorkers = 1): Promise<{ pool: Pool; release: () => void }> {
  for (;;) {
    const pool = await defaultPool(minWorkers);
    try {
      return { pool, release: pool.hold() };
    } catch (e) {
      if (!(e instanceof PoolClosedError)) throw e; // replaced by a larger one meanwhile: take that
    }
  }
}

/** Ends the default pool's workers once the calls running on it have finished. A later workload call starts a new one. */
export async function close(): Promise<void> {
  const pool = current;
  current = undefined;
  if (pool) await (await pool.catch(() => undefined))?.close();
}
