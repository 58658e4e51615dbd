/**
 * The context block of the sieve kernels (assembly/sieve.ts): byte offsets of its fields. The
 * TS side (src/workloads/primes-sieve.ts, Ctx) lays it out in shared memory and mirrors these.
 */
/** u32: first scratch slot; a slot is [segment buffer | RUNS u32 active counts | one i32 state per crossing prime | patterns]. */
export const CTX_SLOTS: usize = 0;
export const CTX_SLOT_STRIDE: usize = 4;
export const CTX_SLOT_COUNT: usize = 8;
/** u32: one i32 lock per slot (0 free, 1 taken). */
export const CTX_LOCKS: usize = 12;
/** u32: base primes, u32, ascending from 7. */
export const CTX_PRIMES: usize = 16;
/** u32, written by sieveSetup: number of base primes. */
export const CTX_PRIME_COUNT: usize = 20;
/** u32: index of the first base prime that is crossed off (the first one not pre-sieved). */
export const CTX_SIEVE_FROM: usize = 24;
/** u32, written by sieveSetup: one past the index of the last base prime ≤ √N. */
export const CTX_SIEVE_TO: usize = 28;
export const CTX_SEGMENT_BYTES: usize = 32;
export const CTX_PART_BYTES: usize = 36;
/** u32: pre-sieve groups, 4 × u32 each: pattern pointer, period in bytes, first and end prime
 *  index; a pattern takes period + CHUNK_BYTES bytes. Group 0 is copied, the others AND-ed. */
export const CTX_GROUPS: usize = 40;
export const CTX_GROUP_COUNT: usize = 44;
/** u32: largest pre-sieved prime (0 when none). */
export const CTX_PRESIEVE_MAX: usize = 48;
/** u32: 0 to count in scratch segments; else the wheel bitmap of [0, N], sieved in place. */
export const CTX_BITMAP: usize = 52;
/** u32: per-part records, RECORD_BYTES each (see the count kernel). */
export const CTX_RECORDS: usize = 56;
/** u32: bit 0 — also compute the positional sums that give Σ primes exactly. */
export const CTX_FLAGS: usize = 60;
/** f64: N, the upper end (inclusive). */
export const CTX_N: usize = 64;
/** u32: sieveSetup finds the base primes up to this limit. */
export const CTX_BASE_LIMIT: usize = 72;
/** u32: ⌊√N⌋. */
export const CTX_ROOT: usize = 76;
/** u32: sieveSetup's scratch, BASE_LIMIT/2 + 64 bytes (odd-number flags, then 16 run cursors). */
export const CTX_BASE_SCRATCH: usize = 80;
/** u32: the output list for sieveExtract. */
export const CTX_OUT: usize = 84;
/** u32: bytes per output element, 4 (u32) or 8 (f64). */
export const CTX_OUT_BYTES: usize = 88;
/** u32: per-part f64 index of the part's first prime in the output list. */
export const CTX_OFFSETS: usize = 92;
/** u32, written by sieveSetup: the crossing primes (base primes past the pre-sieved ones and
 *  ≤ √N) in 16 runs: [small primes of class 0..7][medium primes of class 0..7], each ascending. */
export const CTX_CROSS: usize = 96;
/** u32: 17 u32 run boundaries (indices into the crossing primes), written by sieveSetup. */
export const CTX_RUNS: usize = 100;
/** u32: primes up to this are small (crossed chunk by chunk), larger ones medium. */
export const CTX_SMALL_MAX: usize = 104;
/** u32: bytes of an L1 chunk; a segment is sieved by small primes one chunk at a time. */
export const CTX_CHUNK_BYTES: usize = 108;
/** u32: the pre-sieve patterns, one block of PATTERN_BYTES bytes that each part copies into its slot
 *  (0 bytes when there are none, or when the job has one slot: it then reads them in place). */
export const CTX_PATTERNS: usize = 112;
export const CTX_PATTERN_BYTES: usize = 116;
/** u32: where in its slot a part keeps its copy of the patterns (an offset from the slot's start). */
export const CTX_SLOT_PATTERNS: usize = 120;

export const RUNS: u32 = 16;
/** Scratch slot layout: segment buffer, then RUNS u32 active counts, then one i32 state per crossing prime. */
export const SLOT_ACTIVE_BYTES: usize = 64;

/** Per-part record: f64 count, f64 Σ k·popcount(byte k) over the part's bytes k (k from 0),
 *  f64 Σ of wheel residues of the primes, f64 largest prime in the part (0 if none). */
export const RECORD_BYTES: usize = 32;
export const FLAG_SUMS: u32 = 1;
