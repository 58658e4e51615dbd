/**
 * The benchmark chart as one SVG (no dependencies; the CLI writes it, the browser page shows
 * it): left, each workload's pool speedup T(1)/T(P) against workers, beside the ideal line;
 * right, per workload, plain JS, WASM scalar, WASM SIMD and the pool on P workers as speedup over
 * plain JS (log scale: the bars span 1× to hundreds).
 */
import type { BenchReport } from "./schema.js";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];
const BAR_COLORS: Record<string, string> = { js: "#999999", "wasm-scalar": "#1f77b4", "wasm-simd": "#2ca02c", pool: "#d62728" };
const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function benchChartSvg(report: BenchReport): string {
  const W = 1000, H = 440, top = 60, bottom = 70;
  const panelW = 440;
  const lines = report.suites.flatMap((s) => {
    const pool = s.cases.filter((c) => c.kind === "pool" && !c.skipped);
    const t1 = pool.find((c) => c.workers === 1);
    return t1 && pool.length > 1 ? [{ name: s.name, points: pool.map((c) => ({ w: c.workers, s: t1.nsPerItem / c.nsPerItem })) }] : [];
  });
  const groups = report.suites.flatMap((s) => {
    const js = s.cases.find((c) => c.kind === "js" && !c.skipped);
    if (!js) return [];
    const poolP = s.cases.filter((c) => c.kind === "pool" && !c.skipped).at(-1);
    const bars = [js, s.cases.find((c) => c.kind === "wasm-scalar"), s.cases.find((c) => c.kind === "wasm-simd"), poolP]
      .filter((c) => c !== undefined && !c.skipped)
      .map((c) => ({ kind: c!.kind, label: c!.kind === "pool" ? `pool ${c!.workers}w` : c!.kind, s: js.nsPerItem / c!.nsPerItem }));
    return [{ name: s.name, bars }];
  });
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  const who = report.machine.cpuModel ?? report.machine.userAgent ?? report.machine.runtime;
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(`wasm-mp bench${report.quick ? " --quick" : ""}: ${who}, ${report.machine.cores} cores`)}</text>`);

  // --- left: speedup against workers -------------------------------------------------------
  {
    const left = 60, right = left + panelW - 20;
    const maxP = Math.max(2, report.workers);
    const maxS = Math.max(maxP, ...lines.flatMap((l) => l.points.map((p) => p.s))) * 1.05;
    const x = (w: number) => left + ((w - 1) / (maxP - 1)) * (right - left);
    const y = (s: number) => top + (1 - s / maxS) * (H - top - bottom);
    out.push(`<text x="${(left + right) / 2}" y="${top - 12}" text-anchor="middle" font-size="13">pool speedup T(1)/T(P) against workers</text>`);
    const ticks = Math.min(8, Math.ceil(maxS));
    for (let i = 0; i <= ticks; i++) {
      const s = (maxS * i) / ticks;
      out.push(`<line x1="${left}" x2="${right}" y1="${y(s).toFixed(1)}" y2="${y(s).toFixed(1)}" stroke="#eee"/><text x="${left - 6}" y="${(y(s) + 4).toFixed(1)}" text-anchor="end">${s.toFixed(1)}</text>`);
    }
    for (let w = 1; w <= maxP; w++) out.push(`<text x="${x(w).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${w}</text>`);
    out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="black"/><line x1="${left}" x2="${right}" y1="${H - bottom}" y2="${H - bottom}" stroke="black"/>`);
    out.push(`<text x="${(left + right) / 2}" y="${H - bottom + 34}" text-anchor="middle">workers</text>`);
    out.push(`<path d="M${x(1).toFixed(1)},${y(1).toFixed(1)} L${x(maxP).toFixed(1)},${y(maxP).toFixed(1)}" stroke="#999" stroke-dasharray="6 4" stroke-width="1.5" fill="none"/>`);
    lines.forEach((l, i) => {
      const c = COLORS[i % COLORS.length]!;
      out.push(`<path d="${l.points.map((p, k) => `${k ? "L" : "M"}${x(p.w).toFixed(1)},${y(p.s).toFixed(1)}`).join(" ")}" stroke="${c}" stroke-width="2" fill="none"/>`);
      for (const p of l.points) out.push(`<circle cx="${x(p.w).toFixed(1)}" cy="${y(p.s).toFixed(1)}" r="3.5" fill="${c}"><title>${esc(`${l.name}, ${p.w} workers: ${p.s.toFixed(2)}×`)}</title></circle>`);
      out.push(`<line x1="${left + 10}" x2="${left + 30}" y1="${top + 12 + 16 * i}" y2="${top + 12 + 16 * i}" stroke="${c}" stroke-width="2"/><text x="${left + 36}" y="${top + 16 + 16 * i}">${esc(l.name)}</text>`);
    });
    out.push(`<text x="${left + 36}" y="${top + 16 + 16 * lines.length}" fill="#777">ideal (dashed)</text>`);
  }

  // --- right: speedup over plain JS, log scale ----------------------------------------------
  {
    const left = panelW + 110, right = W - 20;
    const maxS = Math.max(2, ...groups.flatMap((g) => g.bars.map((b) => b.s)));
    const decades = Math.max(1, Math.ceil(Math.log10(maxS)));
    const minLog = Math.min(0, Math.floor(Math.log10(Math.min(1, ...groups.flatMap((g) => g.bars.map((b) => b.s))))));
    const y = (s: number) => top + (1 - (Math.log10(s) - minLog) / (decades - minLog)) * (H - top - bottom);
    out.push(`<text x="${(left + right) / 2}" y="${top - 12}" text-anchor="middle" font-size="13">speedup over plain JS (per item, log scale)</text>`);
    for (let d = minLog; d <= decades; d++) {
      out.push(`<line x1="${left}" x2="${right}" y1="${y(10 ** d).toFixed(1)}" y2="${y(10 ** d).toFixed(1)}" stroke="#eee"/><text x="${left - 6}" y="${(y(10 ** d) + 4).toFixed(1)}" text-anchor="end">${10 ** d}×</text>`);
    }
    out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="black"/><line x1="${left}" x2="${right}" y1="${H - bottom}" y2="${H - bottom}" stroke="black"/>`);
    const gw = (right - left) / Math.max(1, groups.length);
    groups.forEach((g, i) => {
      const bw = Math.min(18, (gw - 10) / 4);
      const x0 = left + i * gw + (gw - bw * g.bars.length) / 2;
      g.bars.forEach((b, k) => {
        const yTop = y(Math.max(b.s, 10 ** minLog));
        out.push(`<rect x="${(x0 + k * bw).toFixed(1)}" y="${yTop.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(H - bottom - yTop).toFixed(1)}" fill="${BAR_COLORS[b.kind] ?? "#555"}"><title>${esc(`${g.name}, ${b.label}: ${b.s.toFixed(2)}×`)}</title></rect>`);
      });
      out.push(`<text x="${(left + i * gw + gw / 2).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${esc(g.name)}</text>`);
    });
    const legend = [["js", "plain JS"], ["wasm-scalar", "WASM scalar, 1 worker"], ["wasm-simd", "WASM SIMD, 1 worker"], ["pool", `pool, ${report.workers} workers`]];
    legend.forEach(([k, label], i) => {
      const lx = left + (i % 2) * 190, ly = H - 28 + Math.floor(i / 2) * 16;
      out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${BAR_COLORS[k!]}"/><text x="${lx + 18}" y="${ly}">${esc(label!)}</text>`);
    });
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
