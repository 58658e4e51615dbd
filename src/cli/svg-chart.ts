/**
 * A small SVG line chart (no dependencies): measured time and ideal time T₁/P against workers.
 */
export interface ScalingPoint { workers: number; elapsedMs: number }

/** The scaling chart: measured time and the ideal T₁/P against the worker count, as an SVG document. */
export function scalingChartSvg(title: string, points: readonly ScalingPoint[]): string {
  const W = 640, H = 400, left = 70, right = 20, top = 50, bottom = 60;
  const t1 = points.find((p) => p.workers === 1)?.elapsedMs ?? points[0]!.elapsedMs;
  const maxP = Math.max(...points.map((p) => p.workers));
  const maxT = Math.max(...points.map((p) => p.elapsedMs), t1) * 1.1;
  const x = (p: number): number => left + (maxP === 1 ? 0.5 : (p - 1) / (maxP - 1)) * (W - left - right);
  const y = (t: number): number => top + (1 - t / maxT) * (H - top - bottom);
  const line = (pts: Array<[number, number]>): string => pts.map(([a, b], i) => `${i ? "L" : "M"}${a.toFixed(1)},${b.toFixed(1)}`).join(" ");
  const measured = points.map((p) => [x(p.workers), y(p.elapsedMs)] as [number, number]);
  const ideal = points.map((p) => [x(p.workers), y(t1 / p.workers)] as [number, number]);
  const yTicks = Array.from({ length: 6 }, (_, i) => (maxT * i) / 5);
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(title)}</text>
${yTicks.map((t) => `<line x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${fmtMs(t)}</text>`).join("\n")}
${points.map((p) => `<text x="${x(p.workers)}" y="${H - bottom + 18}" text-anchor="middle">${p.workers}</text>`).join("\n")}
<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="black"/>
<line x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}" stroke="black"/>
<text x="${W / 2}" y="${H - 20}" text-anchor="middle">workers</text>
<text x="18" y="${H / 2}" text-anchor="middle" transform="rotate(-90 18 ${H / 2})">time</text>
<path d="${line(ideal)}" fill="none" stroke="#999" stroke-dasharray="6 4" stroke-width="2"/>
<path d="${line(measured)}" fill="none" stroke="#d62728" stroke-width="2.5"/>
${measured.map(([a, b]) => `<circle cx="${a}" cy="${b}" r="4" fill="#d62728"/>`).join("\n")}
<g transform="translate(${W - right - 170},${top})"><rect width="165" height="44" fill="white" stroke="#ccc"/>
<line x1="8" x2="38" y1="14" y2="14" stroke="#d62728" stroke-width="2.5"/><text x="44" y="18">measured time</text>
<line x1="8" x2="38" y1="32" y2="32" stroke="#999" stroke-dasharray="6 4" stroke-width="2"/><text x="44" y="36">ideal T₁/P</text></g>
</svg>
`;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 10 ? 0 : 1)} ms`;
}
