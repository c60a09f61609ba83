import type { StudentDraw } from './draw-student.ts';

export interface Spread { min: number; median: number; max: number }

export interface FairnessReport {
  students: number;
  loss: Spread;
  /** largest |entry| of each asked gradient */
  hiddenGradient: Spread;
  outputWeightGradient: Spread;
  inputWeightGradient: Spread;
  attempts: Spread;
  /** per written slot, how often each question was drawn */
  writtenCounts: Array<Record<string, number>>;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}
const maxAbs = (values: number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** How comparable the students' questions are: spread of L, gradient sizes, and the written-question mix. */
export function buildFairnessReport(draws: StudentDraw[], gradientStep: number): FairnessReport {
  const writtenCounts: Array<Record<string, number>> = [];
  for (const d of draws) {
    d.written.forEach((q, i) => {
      writtenCounts[i] ??= {};
      writtenCounts[i][q.id] = (writtenCounts[i][q.id] ?? 0) + 1;
    });
  }
  return {
    students: draws.length,
    loss: spread(draws.map((d) => d.solution.forward.L)),
    hiddenGradient: spread(draws.map((d) => maxAbs(d.solution.grad.h[gradientStep]))),
    outputWeightGradient: spread(draws.map((d) => maxAbs(d.solution.grad.V.flat()))),
    inputWeightGradient: spread(draws.map((d) => maxAbs(d.solution.grad.U.flat()))),
    attempts: spread(draws.map((d) => d.attempts)),
    writtenCounts,
  };
}

export function formatFairnessReport(r: FairnessReport): string {
  const s = (x: Spread) => `min ${x.min.toPrecision(3)}  median ${x.median.toPrecision(3)}  max ${x.max.toPrecision(3)}`;
  return [
    `Fairness over ${r.students} student${r.students === 1 ? '' : 's'}:`,
    `  L                      ${s(r.loss)}`,
    `  max |dL/dh_k|          ${s(r.hiddenGradient)}`,
    `  max |dL/dV|            ${s(r.outputWeightGradient)}`,
    `  max |dL/dU|            ${s(r.inputWeightGradient)}`,
    `  draws until accepted   ${s(r.attempts)}`,
    ...r.writtenCounts.map((counts, i) => `  written Q${i + 1}: ${Object.entries(counts).map(([id, n]) => `${id} ×${n}`).join(', ')}`),
  ].join('\n');
}
