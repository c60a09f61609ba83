/** The statistics report: one self-contained HTML page, plots as inline SVG, no scripts. */
import type { ExamConfig } from '../config/exam-schema.ts';
import { NO_NETWORK } from './no-network.ts';
import { escapeHtml as e } from '../render/math-html.ts';
import { commonErrors, errorShortName, type CommonErrorId } from '../solution/common-errors.ts';
import { pearson, type CohortStats } from './cohort-stats.ts';
import { formatMark } from './marks-table.ts';
import { barChart, countAxisMax, scatterPlot } from './svg-plots.ts';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const r2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));

function histogram(stats: CohortStats): string {
  const max = stats.maxTotal;
  const width = max <= 25 ? 1 : Math.ceil(max / 20);
  const bins = Array.from({ length: Math.floor(max / width) + 1 }, (_, i) => ({ from: i * width, count: 0 }));
  for (const t of stats.totals) bins[Math.min(bins.length - 1, Math.floor(t / width))].count++;
  return barChart('Distribution of totals', bins.map((b) => ({
    label: String(b.from), value: b.count,
    hint: `${width === 1 ? `total ${b.from}` : `totals ${b.from}–${b.from + width}`}: ${b.count} student${b.count === 1 ? '' : 's'}`,
  })), { xLabel: `total (out of ${formatMark(max)})`, yLabel: 'students', max: countAxisMax(Math.max(...bins.map((b) => b.count))) });
}

function judgement(d: number | null): string {
  if (d === null) return 'not enough spread to tell';
  return d >= 0.3 ? 'discriminates well' : d >= 0.15 ? 'discriminates adequately' : d >= 0 ? 'weak: review' : 'negative: check the key';
}

export function statsReportHtml(stats: CohortStats, exam: ExamConfig): string {
  const { counts, summary, items } = stats;
  const descriptions = new Map(commonErrors(exam.rnn.lossReduction).map((c) => [c.id, c.description]));
  const errorRows = [...stats.errors].map(([id, byPart]) => ({ id, total: [...byPart.values()].reduce((a, b) => a + b, 0), byPart })).sort((a, b) => b.total - a.total);
  const itemTable = items.map((it) => `<tr><td>${e(it.label)}</td><td>${formatMark(it.maxMarks)}</td><td>${it.n}</td><td>${pct(it.facility)}</td><td>${r2(it.discrimination)}</td><td>${judgement(it.discrimination)}</td></tr>`).join('');
  const fair = stats.fairness;
  const rLoss = pearson(fair.map((f) => f.loss), fair.map((f) => f.fraction));
  const rGrad = pearson(fair.map((f) => f.gradient), fair.map((f) => f.fraction));
  const plots = [
    `<figure>${histogram(stats)}<figcaption>Totals of the ${counts.marked} marked students.</figcaption></figure>`,
    `<figure>${barChart('Facility per part and question', items.map((it) => ({ label: it.label, value: (it.facility ?? 0) * 100, hint: `${it.label}: facility ${pct(it.facility)}` })), { xLabel: 'question / part', yLabel: 'facility (%)', max: 100, format: (x) => `${Math.round(x)}` })}<figcaption>Facility: the mean mark as a share of the marks available.</figcaption></figure>`,
    `<figure>${barChart('Discrimination per part and question', items.map((it) => ({ label: it.label, value: it.discrimination ?? 0, hint: `${it.label}: discrimination ${r2(it.discrimination)}` })), { xLabel: 'question / part', yLabel: 'discrimination', max: 1, min: -1 })}<figcaption>Discrimination: the correlation of the item's marks with the rest of the total, from −1 to 1; a bar below the line (red) is an item that stronger students did worse on — check its key.</figcaption></figure>`,
    `<figure>${barChart('Frequency of each common error', errorRows.map((r) => ({ label: errorShortName(r.id as CommonErrorId, exam.rnn.lossReduction), value: r.total })), { xLabel: 'common error', yLabel: 'parts', max: countAxisMax(Math.max(0, ...errorRows.map((r) => r.total))) })}<figcaption>How many answered parts showed each named error.</figcaption></figure>`,
    `<figure>${scatterPlot('Question marks against |L| of the variant', fair.map((f) => ({ x: f.loss, y: f.fraction * 100 })), { xLabel: '|L| of the student\'s variant', yLabel: 'RNN question (%)', yMax: 100 })}<figcaption>Correlation r = ${r2(rLoss)}.</figcaption></figure>`,
    `<figure>${scatterPlot('Question marks against gradient magnitude of the variant', fair.map((f) => ({ x: f.gradient, y: f.fraction * 100 })), { xLabel: 'largest |entry| of dL/dh, dL/dV, dL/dU', yLabel: 'RNN question (%)', yMax: 100 })}<figcaption>Correlation r = ${r2(rGrad)}.</figcaption></figure>`,
  ];
  const fairness = [rLoss, rGrad].some((r) => r !== null && Math.abs(r) >= 0.3)
    ? '<p class="warn">A difficulty feature correlates with the marks (|r| ≥ 0.3): some variants may have been harder than others. Look at the plots before releasing marks.</p>'
    : '<p>No difficulty feature correlates strongly with the marks (|r| &lt; 0.3): no sign that some variants were harder.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">${NO_NETWORK}<title>Statistics: ${e(exam.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:76rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}figure{display:inline-block;margin:.5rem 1rem .5rem 0;vertical-align:top}figcaption{color:#555;max-width:560px}.warn{background:#fff6e0;border-left:4px solid #e0a200;padding:.4rem .6rem}</style></head>
<body><h1>${e(exam.course ? `${exam.course}: ` : '')}${e(exam.title)} — statistics</h1>
<p>${counts.roster} students on the roster: ${counts.marked} marked, ${counts.flagged} flagged (not marked), ${counts.absent} without answers.</p>
${summary ? `<p>Totals out of ${formatMark(stats.maxTotal)}: mean ${summary.mean.toFixed(2)}, standard deviation ${summary.sd.toFixed(2)}, median ${formatMark(summary.median)}, lowest ${formatMark(summary.min)}, highest ${formatMark(summary.max)}.</p>` : '<p>No student was marked.</p>'}
${plots.join('\n')}
<h2>Parts and questions</h2>
<table><tr><th>Item</th><th>Marks</th><th>Marked</th><th>Facility</th><th>Discrimination</th><th></th></tr>${itemTable}</table>
<h2>Common errors</h2>
${errorRows.length === 0 ? '<p>No named common error was made.</p>' : `<table><tr><th>Error</th><th>Parts</th><th>Where</th><th>What it is</th></tr>${errorRows.map((r) => `<tr><td>${e(errorShortName(r.id as CommonErrorId, exam.rnn.lossReduction))}</td><td>${r.total}</td><td>${e([...r.byPart].map(([p, n]) => `${p}: ${n}`).join(', '))}</td><td>${e(descriptions.get(r.id as CommonErrorId) ?? '')}</td></tr>`).join('')}</table>`}
<h2>Were the variants fair?</h2>
${fairness}
</body></html>
`;
}
