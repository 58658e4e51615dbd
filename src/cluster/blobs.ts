/**
 * Content-addressed bytes in Redis: modules and the input regions of range jobs are stored
 * under the SHA-256 of their content, once, and kept for a day after their last use. A worker
 * fetches bytes by hash and checks the hash of what it got before using them, so a blob that was
 * changed or cut short in Redis is refused rather than run.
 */
import { keys, sha256Hex, type RedisClient } from "./redis.js";

/** Seconds a blob stays after its last job started. */
export const BLOB_TTL_S = 24 * 3600;

/** Stores `bytes` (if not there yet) and renews its lifetime; returns its SHA-256. */
export async function putBlob(client: RedisClient, queue: string, bytes: Uint8Array, sha = sha256Hex(bytes)): Promise<string> {
  const key = keys.blob(queue, sha);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // NX: bytes under a hash never change; EX renews the lifetime either way
  const set = await client.set(key, buffer, "EX", BLOB_TTL_S, "NX");
  if (set === null) await client.expire(key, BLOB_TTL_S);
  return sha;
}

/** The bytes stored under `sha`, checked against it. */
export async function getBlob(client: RedisClient, queue: string, sha: string): Promise<Uint8Array> {
  const buffer = await client.getBuffer(keys.blob(queue, sha));
  if (buffer === null) throw new Error(`the bytes with SHA-256 ${sha} are not in Redis (expired, or stored under another queue name)`);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const actual = sha256Hex(bytes);
  if (actual !== sha) throw new Error(`the bytes stored under SHA-256 ${sha} hash to ${actual}: refused`);
  return bytes;
}
