/**
 * Small plots as inline SVG, so the statistics page is one file that opens anywhere offline.
 * Every label is escaped; sizes are fixed so the page lays out the same everywhere.
 */
import { escapeHtml as e } from '../render/math-html.ts';

const W = 560, H = 270, M = { left: 52, right: 16, top: 16, bottom: 56 };
const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
const num = (x: number) => String(Number(x.toPrecision(3)));

function frame(title: string, body: string, xLabel: string, yLabel: string): string {
  return `<svg class="plot" role="img" aria-label="${e(title)}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui,sans-serif" font-size="11">
<title>${e(title)}</title>
<line x1="${M.left}" y1="${M.top + plotH}" x2="${M.left + plotW}" y2="${M.top + plotH}" stroke="#333"/>
<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + plotH}" stroke="#333"/>
${body}
<text x="${M.left + plotW / 2}" y="${H - 4}" text-anchor="middle">${e(xLabel)}</text>
<text transform="translate(12 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${e(yLabel)}</text>
</svg>`;
}

function yAxis(max: number, format = num, min = 0): string {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = M.top + plotH - f * plotH;
    return `<line x1="${M.left - 4}" y1="${y}" x2="${M.left + plotW}" y2="${y}" stroke="#ddd"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${format(min + f * (max - min))}</text>`;
  }).join('');
}

/** A label in at most two lines under its bar (long error names would run into each other). */
function barLabel(text: string, x: number, slot: number): string {
  const y = M.top + plotH + 14;
  const fits = Math.max(4, Math.floor(slot / 6));
  if (text.length <= fits) return `<text x="${x}" y="${y}" text-anchor="middle">${e(text)}</text>`;
  const words = text.split(' ');
  let first = '';
  while (words.length > 1 && `${first} ${words[0]}`.trim().length <= fits) first = `${first} ${words.shift()}`.trim();
  if (first === '') first = words.shift()!;
  const second = words.join(' ');
  const cut = (t: string) => (t.length > fits ? `${t.slice(0, fits - 1)}…` : t);
  return `<text x="${x}" y="${y}" text-anchor="middle"><tspan x="${x}">${e(cut(first))}</tspan><tspan x="${x}" dy="12">${e(cut(second))}</tspan></text>`;
}

/** A round top for a count axis, so its five ticks are whole numbers. */
export const countAxisMax = (max: number): number => Math.max(4, Math.ceil(max / 4) * 4);

/** Vertical bars with a label under each; with `min` below 0, bars below the zero line are negative values. */
export function barChart(title: string, bars: Array<{ label: string; value: number; hint?: string }>, opts: { xLabel: string; yLabel: string; max?: number; min?: number; format?: (x: number) => string }): string {
  const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
  const min = Math.min(0, opts.min ?? 0);
  const y = (v: number) => M.top + plotH - ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const every = Math.ceil(bars.length / 24);
  const body = bars.map((b, i) => {
    const top = Math.min(y(b.value), y(0)), h = Math.abs(y(b.value) - y(0));
    const x = M.left + i * slot;
    const label = i % every === 0 ? barLabel(b.label, x + slot / 2, slot * every) : '';
    const fill = b.value < 0 ? '#c0392b' : '#3d6fb6';
    return `<rect class="bar" x="${x + slot * 0.1}" y="${top}" width="${slot * 0.8}" height="${h}" fill="${fill}"><title>${e(b.hint ?? `${b.label}: ${num(b.value)}`)}</title></rect>${label}`;
  }).join('');
  const zero = min < 0 ? `<line class="zero" x1="${M.left}" y1="${y(0)}" x2="${M.left + plotW}" y2="${y(0)}" stroke="#333"/>` : '';
  return frame(title, yAxis(max, opts.format, min) + zero + body, opts.xLabel, opts.yLabel);
}

/** Points with a least-squares line; x from 0 to the largest x. */
export function scatterPlot(title: string, points: Array<{ x: number; y: number }>, opts: { xLabel: string; yLabel: string; yMax: number }): string {
  const xMax = Math.max(1e-9, ...points.map((p) => p.x)) * 1.05;
  const px = (x: number) => M.left + (x / xMax) * plotW;
  const py = (y: number) => M.top + plotH - (y / opts.yMax) * plotH;
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${px(f * xMax)}" y="${M.top + plotH + 14}" text-anchor="middle">${num(f * xMax)}</text>`).join('');
  const dots = points.map((p) => `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="2.5" fill="#3d6fb6" fill-opacity="0.45"/>`).join('');
  let line = '';
  const n = points.length;
  if (n >= 3) {
    const mx = points.reduce((a, p) => a + p.x, 0) / n, my = points.reduce((a, p) => a + p.y, 0) / n;
    const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
    if (sxx > 0) {
      const slope = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
      const at = (x: number) => Math.min(opts.yMax, Math.max(0, my + slope * (x - mx)));
      line = `<line class="trend" x1="${px(0)}" y1="${py(at(0))}" x2="${px(xMax)}" y2="${py(at(xMax))}" stroke="#c0392b" stroke-width="2"/>`;
    }
  }
  return frame(title, yAxis(opts.yMax) + xTicks + dots + line, opts.xLabel, opts.yLabel);
}
