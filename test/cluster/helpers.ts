/**
 * Real parts for the cluster tests: a redis-server on a free port of 127.0.0.1 (no disk), and
 * `wasm-mp worker` child processes of the built CLI.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "../helpers/asc.js";

export const CLI = join(ROOT, "dist/cli/main.js");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` wrote a line matching `pattern` (stdout or stderr); rejects if it exits first or after `ms`. */
function waitForLine(child: ChildProcess, pattern: RegExp, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${what}: no ${pattern} within ${ms} ms; output: ${seen}`)); }, ms);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) { cleanup(); resolve(); }
    };
    const onExit = (code: number | null): void => { cleanup(); reject(new Error(`${what} exited (${code}) before ${pattern}; output: ${seen}`)); };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = waitForLine(child, /Ready to accept connections|ready to accept/i, 10_000, "redis-server");
  // with --loglevel warning the ready line may not show: a connection attempt settles it too
  await Promise.race([ready, pollPort(port)]);
  ready.catch(() => {});
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited(child);
    },
  };
}

async function pollPort(port: number): Promise<void> {
  const { Socket } = await import("node:net");
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once("connect", () => { s.write("PING\r\n"); });
      s.once("data", (d) => { s.destroy(); resolve(d.toString().startsWith("+PONG")); });
      s.once("error", () => { s.destroy(); resolve(false); });
      s.connect(port, "127.0.0.1");
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

export interface WorkerProcess {
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A `wasm-mp worker` with one thread and a short lock, ready to take part-jobs. */
export async function startWorker(url: string, extra: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, "worker", "--cluster", url, "--workers", "1", "--lock-ms", "2000", ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { out += d.toString(); });
  await waitForLine(child, /takes part-jobs/, 20_000, "wasm-mp worker");
  return {
    process: child,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited(child);
    },
  };
}

/** The CLI's output for `args`: exit code, stdout, stderr. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
