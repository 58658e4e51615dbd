/**
 * Progress on stderr (so pipes and --json stay clean on stdout): on a terminal, a bar redrawn in
 * place; elsewhere (a CI log, `2> log.txt`), one line each time another 10 % is done, after the first
 * second, so a long run leaves a few lines rather than one per tick and a short one none.
 */
import type { Progress } from "../pool/pool.js";

/** What a command passes progress to. */
export interface ProgressBar {
  /** Reports the fraction done, with an optional detail such as the sweep count. */
  update(progress: Progress, detail?: string): void;
  /** The run is over: erases a bar drawn in place. */
  done(): void;
}

/** "bar": redrawn in place (a terminal); "lines": a line per 10 %; false: nothing. */
export type ProgressMode = "bar" | "lines" | false;

/** Runs shorter than this print no progress lines. */
export const QUIET_MS = 1000;

/** Progress for `label` on `stream`, drawn as `mode` says (by default a bar on a terminal, else lines). */
export function progressBar(label: string, stream: NodeJS.WritableStream & { columns?: number; isTTY?: boolean } = process.stderr,
  mode: ProgressMode | boolean = stream.isTTY === true ? "bar" : "lines", quietMs = QUIET_MS): ProgressBar {
  const kind = mode === true ? "bar" : mode;
  if (!kind) return { update() {}, done() {} };
  const started = performance.now();
  const secs = () => ((performance.now() - started) / 1000).toFixed(1);
  if (kind === "lines") {
    let lastTenth = 0;
    return {
      update(p, detail) {
        const tenth = Math.floor(p.fraction * 10 + 1e-9);
        // a step of 10 % or more since the last line, once the run has taken a second (a quick
        // run prints only its result); 100 % is left to the result itself
        if (tenth <= lastTenth || tenth >= 10 || performance.now() - started < quietMs) return;
        lastTenth = tenth;
        stream.write(`${label}: ${tenth * 10}% ${secs()}s${detail ? ` ${detail}` : ""}\n`);
      },
      done() {},
    };
  }
  let drawn = false;
  return {
    update(p, detail) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 40));
      const filled = Math.round(p.fraction * width);
      const pct = (p.fraction * 100).toFixed(0).padStart(3);
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}% ${secs()}s${detail ? ` ${detail}` : ""}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
