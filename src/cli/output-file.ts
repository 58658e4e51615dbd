/**
 * Files the CLI writes (--out, --png, --svg): checked before any work, so that a typo in a path
 * fails in a millisecond rather than after a long computation, and large writes announced.
 */
import { closeSync, existsSync, openSync, statSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Why `path` cannot be written, or undefined when it can. The check opens the file as the write
 * will (permissions alone say nothing when running as root, and nothing about a read-only file
 * system): an existing file is opened for writing without truncating it, a new one is created
 * and removed again.
 */
export function unwritable(path: string): string | undefined {
  if (path === "") return "an empty path";
  let exists = false;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return "it is a folder";
    exists = true;
  } catch {
    // a new file: opening it below says whether its folder exists and takes new files
  }
  try {
    closeSync(openSync(path, exists ? "r+" : "wx"));
    if (!exists) unlinkSync(path);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && existsSync(dirname(path))) return "its folder takes no new files";
    const reasons: Record<string, string> = {
      ENOENT: "its folder does not exist",
      ENOTDIR: "a part of its folder is not a folder",
      EACCES: "permission denied",
      EPERM: "permission denied",
      EROFS: "the file system is read-only",
      EISDIR: "it is a folder",
    };
    return (code && reasons[code]) ?? (e instanceof Error ? e.message : String(e));
  }
}

/**
 * Above this size, `--out` needs `--force`: 100 MB holds the primes up to about 1.8·10⁸, so
 * every quick example writes freely, while `--up-to 1e9` (502 MB) has to be meant.
 */
export const FORCE_ABOVE_BYTES = 100e6;

/** Writes of at least this size are announced on stderr before they start. */
export const ANNOUNCE_FROM_BYTES = 1e6;

/** "502,000,000 bytes (479 MiB)" */
export function describeBytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  const unit = mib >= 1 ? `${mib >= 100 ? mib.toFixed(0) : mib.toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes.toLocaleString("en-US")} bytes (${unit})`;
}
