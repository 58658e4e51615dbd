/**
 * The benchmark report as text: the machine header and one table (the CLI prints it, the browser
 * page shows it in a <pre>).
 */
import type { BenchReport, CaseResult, MachineInfo } from "./schema.js";
import type { Comparison } from "./compare.js";

export function formatMachine(m: MachineInfo): string[] {
  const runtime = m.runtime === "node" ? `Node ${m.node}, V8 ${m.v8}` : (m.userAgent ?? "a browser");
  return [
    `CPU: ${m.cpuModel ?? "(not exposed to web pages)"}, ${m.cores} logical cores, ${m.platform}`,
    `Runtime: ${runtime}`,
    `WebAssembly SIMD: ${m.simd ? "yes" : "no"}; workers sharing memory: ${m.sharedMemory ? "yes" : "no"}` +
      (m.crossOriginIsolated === null ? "" : m.crossOriginIsolated ? " (the page is cross-origin isolated)"
        : " (the page is not cross-origin isolated: workers get private memories, and kernels that need shared memory run in the page's thread)"),
  ];
}

export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

function perItem(ns: number): string {
  return formatTime(ns / 1e6);
}

function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "—";
  const exp = Math.floor(Math.log10(perSecond));
  return exp >= 3 ? `${(perSecond / 10 ** exp).toFixed(2)}e${exp}` : perSecond.toFixed(0);
}

const HEAD = ["case", "items", "median", "per item", "items/s", "±%", "speedup", "efficiency"];

function row(c: CaseResult): string[] {
  if (c.skipped) return [c.name, "", "", "", "", "", "", `skipped: ${c.skipped}`];
  return [
    c.name,
    `${rate(c.items)} ${c.itemName}`,
    formatTime(c.medianMs),
    perItem(c.nsPerItem),
    rate(c.itemsPerSecond),
    c.margin.toFixed(1),
    c.speedup === null ? "" : `${c.speedup >= 10 ? c.speedup.toFixed(1) : c.speedup.toFixed(2)}×`,
    c.efficiency === null ? "" : `${(c.efficiency * 100).toFixed(0)}%`,
  ];
}

/** The header and the table: a block per suite, its cases' rows, speedups over the suite's baseline. */
export function formatReport(report: BenchReport): string {
  const lines = [
    `wasm-mp ${report.version ?? ""} bench${report.quick ? " --quick" : ""}, ${report.date}, pool of 1..${report.workers} workers`.replace("  ", " "),
    ...formatMachine(report.machine),
    "",
  ];
  const rows: string[][] = [HEAD];
  const notes: Array<[number, string]> = [];
  for (const s of report.suites) {
    notes.push([rows.length, `${s.name}: ${s.description}${s.baseline ? `; speedup over ${s.cases.find((c) => c.id === s.baseline)?.name}` : ""}`]);
    for (const c of s.cases) rows.push(row(c));
  }
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (i === 7 && r[i]!.startsWith("skipped") ? 0 : r[i]!.length))));
  const fmt = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.startsWith("skipped") ? cell : cell.padStart(widths[i]!))).join("  ").trimEnd();
  const noteAt = new Map(notes);
  rows.forEach((r, i) => {
    const note = noteAt.get(i);
    if (note) lines.push(`${i > 1 ? "\n" : ""}${note}`);
    lines.push(fmt(r));
  });
  const checks = report.suites.filter((s) => s.checked).map((s) => `  ${s.name}: ${s.checked}`);
  if (checks.length) lines.push("", "Checked before timing:", ...checks);
  lines.push("", `Median of each case's samples (benny). Efficiency: T(1 worker) / (P × T(P workers)). Took ${(report.elapsedMs / 1000).toFixed(1)} s.`);
  return lines.join("\n");
}

export function formatComparison(cmp: Comparison): string {
  const rows = [["case", "before", "now", "change", "p", ""]];
  for (const c of cmp.cases) {
    const sign = c.change >= 0 ? "+" : "";
    rows.push([c.id, perItem(c.beforeNsPerItem), perItem(c.afterNsPerItem), `${sign}${(c.change * 100).toFixed(1)}%`, c.p < 1e-4 ? c.p.toExponential(1) : c.p.toFixed(4),
      c.verdict === "unchanged" ? "within noise" : c.verdict === "slower" ? "SLOWER beyond noise" : "faster beyond noise"]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = [
    `Comparison per item (Mann–Whitney U on the samples, two-sided; a change counts when p < ${cmp.alpha} and the median moved more than ${(cmp.threshold * 100).toFixed(0)}%):`,
    ...cmp.warnings.map((w) => `warning: ${w}`),
    ...rows.map((r) => r.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd()),
  ];
  if (cmp.unmatched.length) lines.push(`not in both runs: ${cmp.unmatched.join(", ")}`);
  lines.push(cmp.regressions.length ? `${cmp.regressions.length} case(s) slower beyond the noise: ${cmp.regressions.map((r) => r.id).join(", ")}` : "no case slower beyond the noise");
  return lines.join("\n");
}
