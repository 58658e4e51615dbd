/**
 * A heat map of a square grid as an RGB picture: the grid in a perceptually ordered colour map
 * (matplotlib's "inferno", dark = cold, bright = hot), a colour bar with tick marks and values,
 * and a title line, so the picture reads at a glance.
 */
import { drawText, fillRect, textWidth, GLYPH_HEIGHT } from "./bitmap-font.js";
import { rgbImage, type RgbImage } from "./png.js";

type Rgb = readonly [number, number, number];

/** inferno sampled at 0, 1/8, …, 1 (van der Walt & Smith, matplotlib 2.0); linear in between. */
const INFERNO: readonly Rgb[] = [
  [0, 0, 4], [31, 12, 72], [85, 15, 109], [136, 34, 106], [186, 54, 85],
  [227, 89, 51], [249, 140, 10], [249, 201, 50], [252, 255, 164],
];

const INK: Rgb = [30, 30, 30];
const TEXT_SCALE = 2;
const MARGIN = 20;
/** Plates up to this many pixels a side are drawn whole (enlarged to about it when small). */
const PLATE_TARGET = 640;
const BAR_GAP = 24;
const BAR_WIDTH = 24;
const TICK = 6;

/** The colour scale's colour at t from 0 (cold) to 1 (hot). */
export function colourAt(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (INFERNO.length - 1);
  const i = Math.min(INFERNO.length - 2, Math.floor(x));
  const f = x - i;
  const a = INFERNO[i]!;
  const b = INFERNO[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/**
 * Renders a side × side row-major grid (row 0 at the top). Grids of more than 640 cells a side
 * are shrunk by averaging k × k cells; smaller ones are enlarged to whole-pixel blocks.
 */
export function renderHeatmap(grid: Float64Array, side: number, title: string): RgbImage {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of grid) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const shrink = Math.ceil(side / PLATE_TARGET);
  const enlarge = shrink > 1 ? 1 : Math.max(1, Math.floor(PLATE_TARGET / side));
  const plate = shrink > 1 ? Math.ceil(side / shrink) : side * enlarge;
  const ticks = niceTicks(lo, hi);
  const labels = ticks.map((t) => formatTick(t, ticks));
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, TEXT_SCALE)));
  const textHeight = GLYPH_HEIGHT * TEXT_SCALE;
  const top = MARGIN + textHeight + 14;
  const barX = MARGIN + plate + BAR_GAP;
  const width = Math.max(barX + BAR_WIDTH + TICK + 6 + labelWidth + MARGIN, MARGIN * 2 + textWidth(title, TEXT_SCALE));
  const height = top + plate + MARGIN + textHeight / 2;
  const image = rgbImage(width, height);
  const span = hi - lo;
  const toT = (v: number): number => (span > 0 ? (v - lo) / span : 0.5);

  drawText(image, title, MARGIN, MARGIN, TEXT_SCALE, INK);
  for (let py = 0; py < plate; py++) {
    for (let px = 0; px < plate; px++) {
      const v = shrink > 1 ? blockMean(grid, side, py * shrink, px * shrink, shrink) : grid[Math.floor(py / enlarge) * side + Math.floor(px / enlarge)]!;
      image.pixels.set(colourAt(toT(v)), ((top + py) * width + MARGIN + px) * 3);
    }
  }
  // colour bar: hot at the top, as on a thermometer
  for (let py = 0; py < plate; py++) fillRect(image, barX, top + py, BAR_WIDTH, 1, colourAt(1 - py / Math.max(1, plate - 1)));
  outline(image, barX - 1, top - 1, BAR_WIDTH + 2, plate + 2);
  ticks.forEach((t, i) => {
    const y = top + Math.round((1 - toT(t)) * (plate - 1));
    fillRect(image, barX + BAR_WIDTH, y, TICK, 1, INK);
    drawText(image, labels[i]!, barX + BAR_WIDTH + TICK + 6, y - Math.floor(textHeight / 2), TEXT_SCALE, INK);
  });
  return image;
}

function blockMean(grid: Float64Array, side: number, r0: number, c0: number, k: number): number {
  let sum = 0;
  let count = 0;
  for (let r = r0; r < Math.min(side, r0 + k); r++) {
    for (let c = c0; c < Math.min(side, c0 + k); c++) {
      sum += grid[r * side + c]!;
      count++;
    }
  }
  return sum / count;
}

function outline(image: RgbImage, x: number, y: number, w: number, h: number): void {
  fillRect(image, x, y, w, 1, INK);
  fillRect(image, x, y + h - 1, w, 1, INK);
  fillRect(image, x, y, 1, h, INK);
  fillRect(image, x + w - 1, y, 1, h, INK);
}

/** Round values (1, 2, 2.5 or 5 × 10^k apart) spanning [lo, hi], about 5 of them; [lo] when lo = hi. */
export function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9))!;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9) + 0; k * step <= hi + step * 1e-9; k++) ticks.push(k * step); // + 0: no -0
  return ticks;
}

/** A tick's label with as few decimals as tell the ticks apart, or in exponent form when very small or large. */
export function formatTick(value: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : Math.abs(value) || 1;
  const largest = Math.max(...ticks.map(Math.abs));
  if (value === 0) return "0";
  if (largest >= 1e6 || step < 1e-4) return value.toExponential(Math.max(0, Math.min(6, Math.round(Math.log10(largest / step))))).replace("e+", "e");
  let decimals = 0;
  while (decimals < 10 && ticks.some((t) => Math.abs(Number(t.toFixed(decimals)) - t) > step * 1e-6)) decimals++;
  return value.toFixed(decimals);
}
