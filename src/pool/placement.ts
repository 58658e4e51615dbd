/**
 * Where a job's lanes run — the one place that decides it:
 *
 *   workers   the pool's workers, on its shared memory (Node; cross-origin isolated pages);
 *   private   workers with private memories (pages that are not isolated), for range jobs
 *             that declare what they read and write (RangeJob.privateMemory), slot s on worker s;
 *   inline    the calling thread, on the pool's memory: where the caller asked for it
 *             (inlineBelow) or where the workers cannot share memory and the job needs it.
 */
import { PoolClosedError } from "../errors.js";
import type { SharedArena } from "../memory/arena.js";
import type { Backend } from "../platform/backend.js";
import type { InlineBackend } from "../platform/inline-backend.js";
import type { Task, TaskResult } from "../platform/task.js";
import { TicketRing } from "./tickets.js";

export type PlacementKind = "workers" | "private" | "inline";

export interface Placement {
  readonly kind: PlacementKind;
  /** Whether tasks see the pool's memory (then the job has a control block there). */
  readonly reachesMemory: boolean;
  /** Whether the pool was ended under the job (a death is then no fault of the workers). */
  readonly closed: boolean;
  run(slot: number, task: Task): Promise<TaskResult>;
  /** Ticket words for tasks that reach the pool's memory (tickets.ts). */
  readonly tickets?: TicketRing;
  allocControl(words: number): Int32Array;
  freeControl(control: Int32Array): void;
  closedError(kernel: string, reason: unknown): Error;
}

/** What a placement needs of its pool. */
export interface PlacementHost {
  readonly arena: SharedArena;
  readonly backend: Backend;
  readonly inline: InlineBackend;
  readonly terminated: boolean;
  tickets: TicketRing | undefined;
}

/** What a job asks for: whether it may run on private memories, and whether it is small enough to run here. */
export interface PlacementRequest {
  allowsPrivateMemory?: boolean;
  inline?: boolean;
}

/** A pool's placements, made once each (a call's hot path asks for one every time). */
const made = new WeakMap<PlacementHost, Partial<Record<PlacementKind, Placement>>>();

export function place(host: PlacementHost, request: PlacementRequest = {}): Placement {
  const shares = host.backend.sharesMemory !== false;
  const kind: PlacementKind = request.inline ? "inline"
    : shares ? "workers"
    : request.allowsPrivateMemory && host.backend.runOn ? "private"
    : "inline";
  let ofHost = made.get(host);
  if (!ofHost) made.set(host, ofHost = {});
  return ofHost[kind] ??= makePlacement(host, kind);
}

function makePlacement(host: PlacementHost, kind: PlacementKind): Placement {
  const { arena, backend, inline } = host;
  const run: Placement["run"] = kind === "workers" ? (_slot, task) => backend.run(task)
    : kind === "private" ? (slot, task) => backend.runOn!(slot, task)
    : (_slot, task) => inline.run(task);
  return {
    kind,
    reachesMemory: kind !== "private",
    get closed() { return host.terminated; },
    run,
    tickets: kind === "private" ? undefined : host.tickets ??= new TicketRing(arena),
    allocControl: (words) => arena.alloc(Int32Array, words),
    freeControl: (control) => arena.free(control),
    closedError: (kernel, reason) => new PoolClosedError(`the pool was terminated while kernel ${kernel} was running`, { cause: reason }),
  };
}
