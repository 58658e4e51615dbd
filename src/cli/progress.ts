/**
 * A progress bar on stderr, drawn only when stderr is a terminal (so pipes, --json and CI logs
 * stay clean).
 */
import type { Progress } from "../pool/pool.js";

export interface ProgressBar {
  update(progress: Progress, detail?: string): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true): ProgressBar {
  if (!enabled) return { update() {}, done() {} };
  const started = performance.now();
  let drawn = false;
  return {
    update(p, detail) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 40));
      const filled = Math.round(p.fraction * width);
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      const pct = (p.fraction * 100).toFixed(0).padStart(3);
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}% ${secs}s${detail ? ` ${detail}` : ""}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
