/**
 * The pool's ticket words (src/platform/control-block.ts says what a ticket is): handed out one
 * per task, PENDING, and taken back once the task's promise has settled — never before, since a
 * cancelled task still queued will read its word when a worker reaches it. Words come in blocks
 * of the pool's memory, allocated as needed and kept for the pool's life.
 */
import type { SharedArena } from "../memory/arena.js";
import { LaneState } from "../platform/control-block.js";

const BLOCK_WORDS = 1024;

export class TicketRing {
  private readonly blocks: Int32Array[] = [];
  /** Byte offsets of free words. */
  private readonly free: number[] = [];

  constructor(private readonly arena: SharedArena) {}

  /** A PENDING ticket's byte offset. */
  take(): number {
    if (this.free.length === 0) this.grow();
    const ticket = this.free.pop()!;
    Atomics.store(this.word(ticket), 0, LaneState.PENDING);
    return ticket;
  }

  /** Cancels a ticket whose task has not started: true when the task will never run. */
  cancel(ticket: number): boolean {
    const was = Atomics.compareExchange(this.word(ticket), 0, LaneState.PENDING, LaneState.CANCELLED);
    return was !== LaneState.STARTED;
  }

  /** Takes a ticket back once its task's promise has settled. */
  release(ticket: number): void {
    this.free.push(ticket);
  }

  /**
   * Gives the blocks back to the arena when every ticket is back (false, and nothing done,
   * otherwise). The pool's start-up warm-up ends with this: its memory is then laid out as a
   * pool's that never ran a call, which a cluster's worker relies on (it reserves the
   * coordinator's addresses from the first free byte).
   */
  freeBlocks(): boolean {
    if (this.free.length !== this.blocks.length * BLOCK_WORDS) return false;
    for (const block of this.blocks) this.arena.free(block);
    this.blocks.length = 0;
    this.free.length = 0;
    return true;
  }

  private word(ticket: number): Int32Array {
    return new Int32Array(this.arena.memory.buffer, ticket, 1);
  }

  private grow(): void {
    const block = this.arena.alloc(Int32Array, BLOCK_WORDS);
    this.blocks.push(block);
    for (let i = BLOCK_WORDS - 1; i >= 0; i--) this.free.push(block.byteOffset + 4 * i);
  }
}
