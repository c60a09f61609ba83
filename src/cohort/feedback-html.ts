/**
 * One student's feedback as a self-contained HTML page (no scripts, no network): each part's
 * answers beside the accepted values, the verdict, the marks and why, and any common error
 * explained. Built per student and written out at once; nothing is kept.
 */
import type { ExamConfig } from '../config/exam-schema.ts';
import type { LossReduction } from '../engine/index.ts';
import { NO_NETWORK } from './no-network.ts';
import { escapeHtml } from '../render/math-html.ts';
import { rnnQuestionNumber } from '../solution/build-question-paper.ts';
import { commonErrors, errorShortName, type CommonErrorId } from '../solution/common-errors.ts';
import type { PartId } from '../solution/final-answers.ts';
import { formatSignificant } from '../solution/format-number.ts';
import type { PrintDocument } from '../print/pdf-printer.ts';
import type { StudentOutcome } from './mark-cohort.ts';
import type { Verdict } from '../marking/index.ts';
import { formatMark } from './marks-table.ts';

const PART_LABEL: Record<PartId, string> = {
  hiddenStates: 'Hidden states h_t',
  outputs: 'Outputs ŷ_t',
  losses: 'Losses l_t and the total loss L',
  hiddenGradient: 'The gradient dL/dh_t',
  outputWeightGradient: 'The gradient dL/dV',
  inputWeightGradient: 'The gradient dL/dU',
};

const VERDICT_TEXT: Record<Verdict, string> = { correct: 'Correct', 'too-few-figures': 'Right, but to too few significant figures', 'common-error': 'A common error', wrong: 'Not accepted', missing: 'Not answered' };

const STYLE = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}.ok{color:#116b2f}.bad{color:#a4161a}.meta{color:#555}.reason{margin:.3rem 0}.error{background:#fff6e0;border-left:4px solid #e0a200;padding:.4rem .6rem}
@media print{body{margin:0}}`;

const minus = (s: string) => s.replace(/-(?=[\d.])/g, '\u2212');

export function feedbackHtml(o: Extract<StudentOutcome, { status: 'marked' }>, exam: ExamConfig, reduction: LossReduction): string {
  const e = escapeHtml;
  const digits = exam.rnn.significantFigures;
  const q = rnnQuestionNumber(exam);
  const descriptions = new Map(commonErrors(reduction).map((c) => [c.id, c.description]));
  const show = (x: number) => minus(formatSignificant(x, digits));
  const rows = [
    ...o.written.map((m, i) => `<tr><td>Question ${i + 1} (written)</td><td>${m === null ? 'not marked yet' : formatMark(m)}</td><td>${formatMark(exam.written[i].marks)}</td></tr>`),
    `<tr><td>Question ${q} (RNN)</td><td>${formatMark(o.marks.total)}</td><td>${formatMark(o.marks.maxTotal)}</td></tr>`,
    `<tr><th>Total</th><th>${formatMark(o.total)}</th><th>${formatMark(o.maxTotal)}</th></tr>`,
  ];
  const parts = o.marks.parts.map((p) => {
    const entries = p.entries.map((x) => `<tr><td>${e(x.name)}</td><td>${x.given === null ? '—' : e(minus(String(x.given)))}</td><td>${e(show(x.expected))}</td><td>${e(show(x.low))} to ${e(show(x.high))}</td><td class="${x.ok ? 'ok' : 'bad'}">${x.ok ? '✓' : '✗'}</td></tr>`).join('');
    const error = p.errorId
      ? `<p class="error"><b>Common error: ${e(errorShortName(p.errorId as CommonErrorId, reduction))}.</b> ${e(descriptions.get(p.errorId) ?? '')}</p>`
      : '';
    return `<h2>${e(p.part)} ${e(PART_LABEL[p.id])} — ${formatMark(p.marks)} / ${formatMark(p.maxMarks)}</h2>
<p><b class="${p.verdict === 'correct' ? 'ok' : 'bad'}">${VERDICT_TEXT[p.verdict]}.</b>${p.ecf ? ' <b>Error carried forward:</b>' : ''} <span class="reason">${e(p.reason)}</span></p>${p.awarded.length ? `<p class="meta">Method marks: ${p.awarded.map((a) => `${e(a.step)}: ${formatMark(a.marks)}/${formatMark(a.of)}`).join('; ')}.</p>` : ''}${error}
<table><tr><th>Entry</th><th>Your answer</th><th>Correct value</th><th>Accepted range</th><th></th></tr>${entries}</table>`;
  }).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">${NO_NETWORK}<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Feedback: ${e(exam.title)} — ${e(o.student.name || o.student.id)}</title><style>${STYLE}</style></head>
<body><h1>${e(exam.course ? `${exam.course}: ` : '')}${e(exam.title)}</h1>
<p class="meta">${e(o.student.name)} (${e(o.student.id)}) · paper ${e(o.paperCode)} · attempt ${o.attempt}</p>
<table><tr><th>Question</th><th>Marks</th><th>Out of</th></tr>${rows.join('')}</table>
<p class="meta">Question ${q}: your answers as typed from your paper, beside the values computed from your paper's numbers. An answer is accepted anywhere in its range: the range allows for rounding at ${digits} significant figures along the way.</p>
${parts}
</body></html>
`;
}

/** The same page for the PDF printer, its footer naming the student on every page. */
export function feedbackPdfDocument(html: string, o: StudentOutcome): PrintDocument {
  const footer = `${escapeHtml(o.student.id)} · paper ${escapeHtml(o.paperCode)} · page <span class="pageNumber"></span> of <span class="totalPages"></span>`;
  return { html, headerHtml: '', footerHtml: `<div style="font-size:8pt;font-family:sans-serif;width:100%;text-align:center">${footer}</div>`, label: `feedback for ${o.student.id}` };
}
