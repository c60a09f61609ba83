/**
 * Statistics of a marked cohort, gathered student by student from numbers only: the
 * distribution of totals, facility and discrimination per part and question (as Moodle's quiz
 * statistics define them), how often each common error was made, and the RNN marks against
 * each variant's difficulty features.
 */
import type { ExamConfig } from '../config/exam-schema.ts';
import { rnnQuestionNumber } from '../solution/build-question-paper.ts';
import { PART_IDS } from '../solution/final-answers.ts';
import type { StudentOutcome, VariantFeatures } from './mark-cohort.ts';

export interface ItemStats {
  label: string;
  maxMarks: number;
  /** students with a mark for this item */
  n: number;
  /** mean mark / max marks, 0–1 */
  facility: number | null;
  /** correlation of the item's marks with the rest of the total (total minus this item) */
  discrimination: number | null;
}

export interface CohortStats {
  counts: { roster: number; marked: number; flagged: number; absent: number };
  maxTotal: number;
  totals: number[];
  summary: { mean: number; sd: number; median: number; min: number; max: number } | null;
  items: ItemStats[];
  /** error id → part → count */
  errors: Map<string, Map<string, number>>;
  /** per marked student: RNN marks as a fraction and the variant's features */
  fairness: Array<{ fraction: number } & VariantFeatures>;
}

export function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx, dy = ys[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** Collects the numbers of each outcome; `result()` computes the statistics once all are in. */
export class CohortStatsCollector {
  private readonly counts = { roster: 0, marked: 0, flagged: 0, absent: 0 };
  private readonly totals: number[] = [];
  /** item index → marks per marked student (NaN where a written mark is missing) */
  private readonly itemMarks: number[][];
  private readonly labels: Array<{ label: string; maxMarks: number }>;
  private readonly errors = new Map<string, Map<string, number>>();
  private readonly fairness: CohortStats['fairness'] = [];
  private maxTotal = 0;

  constructor(private readonly exam: ExamConfig) {
    const q = rnnQuestionNumber(exam);
    this.labels = [
      ...exam.written.map((w, i) => ({ label: `Q${i + 1}`, maxMarks: w.marks })),
      ...PART_IDS.map((id, i) => ({ label: `${q}.${i + 1}`, maxMarks: exam.rnn.marks[id] })),
    ];
    this.itemMarks = this.labels.map(() => []);
  }

  add(o: StudentOutcome): void {
    this.counts.roster++;
    this.counts[o.status]++;
    if (o.status !== 'marked') return;
    this.totals.push(o.total);
    this.maxTotal = o.maxTotal;
    const marks = [...o.written.map((m) => m ?? NaN), ...o.marks.parts.map((p) => p.marks)];
    marks.forEach((m, i) => this.itemMarks[i].push(m));
    for (const p of o.marks.parts) {
      if (!p.errorId) continue;
      const byPart = this.errors.get(p.errorId) ?? new Map<string, number>();
      byPart.set(p.part, (byPart.get(p.part) ?? 0) + 1);
      this.errors.set(p.errorId, byPart);
    }
    this.fairness.push({ fraction: o.marks.maxTotal > 0 ? o.marks.total / o.marks.maxTotal : 0, ...o.features });
  }

  result(): CohortStats {
    const t = this.totals;
    const sorted = [...t].sort((a, b) => a - b);
    const mean = t.reduce((a, b) => a + b, 0) / (t.length || 1);
    const summary = t.length === 0 ? null : {
      mean, sd: Math.sqrt(t.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, t.length - 1)),
      median: sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
      min: sorted[0], max: sorted[sorted.length - 1],
    };
    const items = this.labels.map(({ label, maxMarks }, i): ItemStats => {
      const xs: number[] = [], rest: number[] = [];
      this.itemMarks[i].forEach((m, s) => { if (!Number.isNaN(m)) { xs.push(m); rest.push(t[s] - m); } });
      const facility = xs.length && maxMarks > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length / maxMarks : null;
      return { label, maxMarks, n: xs.length, facility, discrimination: pearson(xs, rest) };
    });
    return { counts: { ...this.counts }, maxTotal: this.maxTotal, totals: t, summary, items, errors: this.errors, fairness: this.fairness };
  }
}
