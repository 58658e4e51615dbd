/**
 * Redis for the cluster: the client library loaded on first use (so that nothing but a
 * cluster needs bullmq or ioredis installed, and the browser entry never sees them), one
 * client per purpose, answers within a deadline, and the keys wasm-mp keeps beside BullMQ's.
 */
import { createHash } from "node:crypto";
import { InvalidArgumentError, invalid, messageOf } from "../errors.js";
import { ClusterError } from "./cluster-error.js";

type RedisConstructor = typeof import("ioredis").Redis;
export type RedisClient = InstanceType<RedisConstructor>;
interface Libraries { Redis: RedisConstructor; bullmq: typeof import("bullmq") }
export type RedisOptions = import("ioredis").RedisOptions;
/** A redis:// or rediss:// URL (user, password and database included), or ioredis options. */
export type ConnectionInput = string | RedisOptions;

let libraries: Promise<Libraries> | undefined;

/** ioredis and bullmq, imported once; a clear error when they are not installed. */
export function redisLibraries(): Promise<Libraries> {
  libraries ??= Promise.all([import("ioredis"), import("bullmq")]).then(
    ([ioredis, bullmq]): Libraries => ({ Redis: ioredis.Redis, bullmq }),
    (e) => {
      libraries = undefined;
      throw new ClusterError(`a cluster needs the packages bullmq (6.x) and ioredis: npm install bullmq ioredis (${messageOf(e)})`, { cause: e });
    },
  );
  return libraries!;
}

export function checkConnection(connection: unknown): ConnectionInput {
  if (typeof connection === "string") {
    if (!/^rediss?:\/\//.test(connection)) throw invalid("connection", connection, "a redis:// or rediss:// URL, or ioredis options");
    return connection;
  }
  if (connection !== null && typeof connection === "object" && !Array.isArray(connection)) return connection as RedisOptions;
  throw invalid("connection", connection, "a redis:// or rediss:// URL, or ioredis options");
}

/** Where a connection points, for messages (never the password). */
export function describeConnection(connection: ConnectionInput): string {
  if (typeof connection === "string") {
    try {
      const u = new URL(connection);
      return `${u.protocol}//${u.hostname}:${u.port || 6379}`;
    } catch {
      return "the given Redis URL";
    }
  }
  return `redis://${connection.host ?? "127.0.0.1"}:${connection.port ?? 6379}`;
}

/**
 * A new client. `blocking` clients (BullMQ workers, queue events) retry commands forever, as
 * BullMQ requires; the others give up on a command after a few reconnection attempts, and the
 * callers bound every wait with `withDeadline` anyway.
 */
export async function createClient(connection: ConnectionInput, blocking: boolean, connectTimeoutMs: number): Promise<RedisClient> {
  const { Redis } = await redisLibraries();
  const options: RedisOptions = {
    maxRetriesPerRequest: blocking ? null : 2,
    connectTimeout: connectTimeoutMs,
    // reconnect every 100 ms … 1 s for as long as the process lives: workers outlive a Redis restart
    retryStrategy: (times) => Math.min(100 * times, 1000),
    lazyConnect: false,
  };
  const client = typeof connection === "string" ? new Redis(connection, options) : new Redis({ ...connection, ...options, ...pick(connection) });
  // errors surface through the commands and deadlines; an unhandled 'error' event would crash the process
  client.on("error", () => {});
  return client;
}

/** The caller's own retry settings win over the defaults above, where given. */
function pick(o: RedisOptions): RedisOptions {
  const out: RedisOptions = {};
  if (o.maxRetriesPerRequest !== undefined) out.maxRetriesPerRequest = o.maxRetriesPerRequest;
  if (o.retryStrategy !== undefined) out.retryStrategy = o.retryStrategy;
  if (o.connectTimeout !== undefined) out.connectTimeout = o.connectTimeout;
  return out;
}

/** `promise`, or a ClusterError naming `what` once `ms` pass without an answer. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClusterError(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  // every call given here is a Redis call: its failures (connection refused, retries spent,
  // a script's error) are the cluster's, named with what was being done
  const answer = promise.catch((e: unknown) => {
    if (e instanceof ClusterError || e instanceof InvalidArgumentError) throw e;
    throw new ClusterError(`${what}: ${messageOf(e)}`, { cause: e });
  });
  answer.catch(() => {}); // a late failure after the deadline is not unhandled
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

/** Ends a client at once, pending commands included (quit would wait for a Redis that may be gone). */
export function dropClient(client: RedisClient | undefined): void {
  try {
    client?.disconnect(false);
  } catch {
    // already ended
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Keys wasm-mp keeps in Redis beside BullMQ's, all under one prefix per queue. */
export const keys = {
  /** Module and input bytes, by SHA-256 of their content. */
  blob: (queue: string, sha: string) => `wasm-mp:${queue}:blob:${sha}`,
  /** Set when a range job is aborted: workers skip its part-jobs. */
  cancel: (queue: string, job: string) => `wasm-mp:${queue}:cancel:${job}`,
};

/** The queue the part-jobs' parent jobs sit in (no worker takes them: they only gather results). */
export function parentQueueName(queue: string): string {
  return `${queue}-jobs`;
}

export const DEFAULT_QUEUE = "wasm-mp";

export function checkQueueName(queue: unknown): string {
  if (queue === undefined) return DEFAULT_QUEUE;
  if (typeof queue !== "string" || !/^[A-Za-z0-9_.-]{1,100}$/.test(queue)) {
    throw invalid("queue", queue, "a name of 1 to 100 letters, digits, '_', '.' or '-'");
  }
  return queue;
}
