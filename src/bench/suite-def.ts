/**
 * What a benchmark suite is: a set of cases, each one operation timed by benny, declared once in
 * src/bench/suites/ and run by `wasm-mp bench`, by `runBench` in browsers and by the
 * repository's `npm run bench`.
 */
import type { Pool } from "../pool/pool.js";
import type { CaseKind, SuiteName } from "./schema.js";

/** A raw worker answering an empty message: the baseline of the dispatch suite (tinypool in Node, a bare Web Worker in browsers). */
export interface RawWorker {
  /** Its name in the table, e.g. "raw tinypool". */
  name: string;
  /** One round trip: an empty task to a worker and its answer. */
  roundTrip(): Promise<unknown>;
  close(): Promise<void>;
}

export interface SuiteContext {
  /** A pool of `workers` workers, shared by the suites. */
  pool: Pool;
  /** P: the pool cases run on 1..P workers. */
  workers: number;
  quick: boolean;
  /**
   * Each operation of this suite's cases does its work this many times (items unchanged), i.e.
   * is made this many times slower on purpose: how the tests check that --compare catches a
   * regression (docs/bench.md, "Testing the comparison"). 1 normally.
   */
  repeat: number;
  /** Starts the platform's raw worker for the dispatch suite. */
  rawWorker(): Promise<RawWorker>;
}

export interface CaseDef {
  kind: CaseKind;
  /** Workers the case runs on; 0 for the calling thread. */
  workers: number;
  /** Id suffix after the kind when one kind has several cases, e.g. "trylock". */
  variant?: string;
  name: string;
  items: number;
  itemName: string;
  /** One operation; async when it returns a promise. */
  run?: () => unknown;
  /** Why the case cannot run here; then `run` is absent. */
  skipped?: string;
}

export interface PreparedSuite {
  cases: CaseDef[];
  /** What was checked equal between the plain-JS and WASM versions before timing; null for none. */
  checked: string | null;
  /** Frees what setup allocated. */
  teardown?: () => Promise<void> | void;
}

export interface SuiteDef {
  name: SuiteName;
  description: string;
  /** Kind of the baseline case, e.g. "js"; null when speedups mean nothing here. */
  baseline: CaseKind | null;
  prepare(ctx: SuiteContext): Promise<PreparedSuite>;
}

/** The case's stable id: "<suite>/<kind>[-<variant>][-<workers>]" (pool cases carry their worker count). */
export function caseId(suite: SuiteName, c: Pick<CaseDef, "kind" | "variant" | "workers">): string {
  return `${suite}/${c.kind}${c.variant ? `-${c.variant}` : ""}${c.kind === "pool" ? `-${c.workers}` : ""}`;
}

/** Runs `op` `times` times: an operation made `times` times slower on purpose (SuiteContext.repeat). */
export function repeated<T>(op: () => T, times: number): () => T {
  if (times === 1) return op;
  return () => {
    let r = op();
    for (let i = 1; i < times; i++) r = op();
    return r;
  };
}

/** As `repeated`, for an async operation: the runs one after another. */
export function repeatedAsync<T>(op: () => Promise<T>, times: number): () => Promise<T> {
  if (times === 1) return op;
  return async () => {
    let r = await op();
    for (let i = 1; i < times; i++) r = await op();
    return r;
  };
}

/** 1..P. */
export function workerCounts(p: number): number[] {
  return Array.from({ length: p }, (_, i) => i + 1);
}

/** Sizes by mode. */
export function size<T>(ctx: SuiteContext, quick: T, full: T): T {
  return ctx.quick ? quick : full;
}
