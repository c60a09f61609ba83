import type { ExamConfig } from '../config/exam-schema.ts';
import type { Matrix, Vector } from '../engine/index.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { rnnQuestionNumber } from './build-question-paper.ts';
import { buildMarkingRanges, resolveMarkScheme, type MarkingRanges, type MarkScheme } from '../marking/index.ts';
import { errorDescriptionTex, errorShortName, wrongMethodSolution, type CommonErrorId } from './common-errors.ts';
import { buildDocumentHeader, type DocumentHeaderView } from './document-header.ts';
import { buildFinalAnswers, flattenQuantity, partQuantities, type AnswerPart } from './final-answers.ts';
import { formatSignificant } from './format-number.ts';
import { fullValue, inColumnBlocks, line, roundedValue, type MathLine, type MathToken } from './math-tokens.ts';
import { compareIds } from './compare-ids.ts';

export interface KeyQuantityView { answerLines: MathLine[]; accept: MathToken[]; full: MathToken[] }
export interface KeyPartView {
  number: string;
  title: string;
  marks: number;
  /** the method-mark split, e.g. "the path V^T dL/dz_t (1)" */
  methodMarks: string;
  quantities: KeyQuantityView[];
  /** `overlap`: entries whose range meets the correct one (they do not tell the error apart) */
  commonErrors: Array<{ errorId: string; name: string; sameAs: string; answers: MathLine[]; overlap: string; marks: number }>;
}
export interface MarkingKeyView {
  header: DocumentHeaderView;
  rnnNumber: number;
  rnnMarks: number;
  toleranceNote: string;
  written: Array<{ number: number; id: string; marks: number; text: string; modelAnswer: Array<{ point: string; marks: string }> }>;
  parts: KeyPartView[];
  /** each common error listed in a part, described once (its math typeset) */
  commonErrorLegend: Array<{ name: string; description: string }>;
}

/** Everything a marker needs for one student, computed once and shared by the PDF and CSV keys. */
export interface StudentKey { draw: StudentDraw; parts: AnswerPart[]; ranges: MarkingRanges; scheme: MarkScheme; gradientStep: number }

export function buildStudentKey(exam: ExamConfig, draw: StudentDraw): StudentKey {
  const { params, solution } = draw;
  const digits = exam.rnn.significantFigures;
  return {
    draw,
    parts: buildFinalAnswers(params, solution.forward, solution.grad, exam.rnn, rnnQuestionNumber(exam)),
    // The draw's quality rules built these ranges already; a draw made otherwise builds them here.
    ranges: draw.ranges ?? buildMarkingRanges(params, exam.rnn.gradientStep, digits),
    scheme: resolveMarkScheme(exam.rnn.marks, exam.rnn.methodMarks, exam.rnn.marking),
    gradientStep: exam.rnn.gradientStep,
  };
}

/** Accepted values at the paper's precision, as `check` reads them: "0.962 to 0.966" (one value when both ends agree). */
export function acceptText(lo: number, hi: number, digits: number): string {
  const a = formatSignificant(lo, digits), b = formatSignificant(hi, digits);
  return a === b ? a : `${a} to ${b}`;
}

/** The split as one line: "pre-activation … (2) · h_t = tanh(hbar_t) … (1)". */
export function methodMarksText(steps: Array<{ step: string; marks: number }>): string {
  // A step's marks never start a line of their own.
  return steps.map((s) => `${s.step}\u00a0(${s.marks})`).join(' · ');
}

function rangeToken(value: number | Vector | Matrix, name: string, key: StudentKey, partId: AnswerPart['id'], digits: number): MathToken {
  const byName = new Map(key.ranges.correct[partId].entries.map((e) => [e.name, e]));
  const show = (entry: string) => {
    const r = byName.get(entry)!;
    return acceptText(r.lo, r.hi, digits);
  };
  if (typeof value === 'number') return { kind: 'matrix', rows: [[show(name)]], style: 'range scalar' };
  if (typeof value[0] === 'number') return { kind: 'matrix', rows: (value as Vector).map((_, i) => [show(`${name}[${i}]`)]), style: 'range' };
  const rows = (value as Matrix).map((r, i) => r.map((_, j) => show(`${name}[${i}][${j}]`)));
  return { kind: 'matrix', rows, style: 'range' };
}

export function buildMarkingKey(exam: ExamConfig, key: StudentKey): MarkingKeyView {
  const digits = exam.rnn.significantFigures;
  const { draw } = key;
  const name = (id: CommonErrorId) => errorShortName(id, exam.rnn.lossReduction);
  const errors = keyErrors(key);
  const parts = key.parts.map((part) => ({
    number: part.number,
    title: part.title,
    marks: part.marks,
    methodMarks: methodMarksText(key.scheme[part.id]),
    quantities: part.quantities.map((q) => ({
      answerLines: [line(q.tex, [roundedValue(q.value, digits)], '\\approx')],
      accept: inColumnBlocks(rangeToken(q.value, q.name, key, part.id, digits)),
      full: inColumnBlocks(fullValue(q.value)),
    })),
    commonErrors: errors[part.id].map((e) => ({
      errorId: e.errorId,
      name: name(e.errorId),
      sameAs: e.sameAnswerAs.map(name).join(', '),
      answers: e.quantities.map((q) => line(q.tex, [roundedValue(q.value, digits)], '\\approx')),
      overlap: e.overlapping.length === 0 ? ''
        : e.distinguishable ? `range meets the correct one in ${e.overlapping.length} of ${e.changed} changed entries` : 'range meets the correct one in every changed entry: not told apart, not claimed by check',
      marks: key.scheme[part.id].reduce((sum, s) => sum + ((s.lostBy as string[]).includes(e.errorId) ? 0 : s.marks), 0),
    })),
  }));
  // Described once, in the order they first appear: a part names them in a few words.
  const listed = [...new Set(key.parts.flatMap((part) => errors[part.id].map((e) => e.errorId)))];
  const commonErrorLegend = listed.map((id) => ({ name: name(id), description: errorDescriptionTex(id, exam.rnn.lossReduction) }));
  return {
    header: buildDocumentHeader(exam, draw, 'Marking key', true),
    rnnNumber: rnnQuestionNumber(exam),
    rnnMarks: parts.reduce((sum, p) => sum + p.marks, 0),
    toleranceNote: `Answers to ${digits} significant figures. Accept any answer that rounds into the range shown (ends included): it covers every student's answer under the paper's rule, whatever intermediates they write (each to ${digits} s.f., half away from zero) and in whatever order they add. A common error (described at the end; listed where its answer differs at ${digits} s.f.) earns the method marks it does not lose, as does a part right given an earlier wrong answer (error carried forward).`,
    written: draw.written.map((q) => ({ number: q.number, id: q.id, marks: q.marks, text: q.text, modelAnswer: q.modelAnswer.map((point, k) => ({ point, marks: `${q.pointMarks[k]} mark${q.pointMarks[k] === 1 ? '' : 's'}` })) })),
    parts,
    commonErrorLegend,
  };
}

export const MARKING_KEY_CSV_HEADER = [
  'student_id', 'name', 'paper_code', 'attempt', 'part', 'marks', 'answer', 'value', 'full_value', 'accept_low', 'accept_high', 'common_errors',
];

/** One row per student and answer entry, for a spreadsheet or an LMS import. */
export function markingKeyRows(exam: ExamConfig, key: StudentKey): Array<Array<string | number>> {
  const digits = exam.rnn.significantFigures;
  const { draw } = key;
  const errors = keyErrors(key);
  return key.parts.flatMap((part) => part.quantities.flatMap(flattenQuantity).map((entry) => {
    const range = key.ranges.correct[part.id].entries.find((e) => e.name === entry.name)!;
    const wrongAnswers = errors[part.id]
      .map((e) => {
        const wrong = e.quantities.flatMap(flattenQuantity).find((w) => w.name === entry.name);
        return wrong && formatSignificant(wrong.value, digits) !== formatSignificant(entry.value, digits) ? `${e.errorId}=${formatSignificant(wrong.value, digits)}` : undefined;
      })
      .filter(Boolean)
      .join('; ');
    return [draw.student.id, draw.student.name, draw.paperCode, draw.attempt, part.number, part.marks, entry.name,
      formatSignificant(entry.value, digits), entry.value, formatSignificant(range.lo, digits), formatSignificant(range.hi, digits), wrongAnswers];
  }));
}

/** The cohort key: every student's final answers, compactly, by ID, with an index by name and boxes for the marks. */
export interface CohortKeyView {
  header: DocumentHeaderView;
  summary: string;
  /** by name: where to find each student (entries are numbered in ID order) */
  index: Array<{ name: string; id: string; entry: number }>;
  /** the questions and parts a mark is recorded for, with their maximum */
  markBoxes: Array<{ label: string; marks: number }>;
  totalMarks: number;
  students: Array<{ entry: number; id: string; name: string; paperCode: string; attempt: number; written: string; parts: Array<{ number: string; marks: number; answers: MathLine[] }> }>;
}

/** Which part of a roster split into several cohort documents this one is (1-based, inclusive rows). */
export interface CohortPart { part: number; parts: number; first: number; last: number; total: number }

const byName = new Intl.Collator('en', { sensitivity: 'base' });

export function buildCohortKey(exam: ExamConfig, keys: StudentKey[], part?: CohortPart): CohortKeyView {
  const digits = exam.rnn.significantFigures;
  // A split cohort key says on every page which students it holds, not just how many.
  const summary = part && part.parts > 1
    ? `Part ${part.part} of ${part.parts} \u00b7 students ${part.first}\u2013${part.last} of ${part.total}`
    : `All ${keys.length} ${keys.length === 1 ? 'student' : 'students'}`;
  const first = part?.first ?? 1;
  const students = keys.map(({ draw, parts }, i) => ({
    entry: first + i,
    id: draw.student.id, name: draw.student.name, paperCode: draw.paperCode, attempt: draw.attempt,
    written: draw.written.map((q) => `Q${q.number}: ${q.id}`).join(' \u00b7 '),
    parts: parts.map((p) => ({ number: p.number, marks: p.marks, answers: p.quantities.map((q) => line(q.tex, [roundedValue(q.value, digits)], '\\approx')) })),
  }));
  const markBoxes = [
    ...exam.written.map((slot, i) => ({ label: `Q${i + 1}`, marks: slot.marks })),
    ...(keys[0]?.parts ?? []).map((p) => ({ label: p.number, marks: p.marks })),
  ];
  return {
    header: {
      course: exam.course, title: exam.title, date: exam.date, duration: exam.duration, examId: exam.examId,
      documentKind: 'Marking key (cohort)', staffOnly: true, student: { id: '', name: '' },
      paperCode: '', attempt: 1, instructions: [], cohort: summary,
    },
    summary,
    index: students.map((s) => ({ name: s.name, id: s.id, entry: s.entry })).sort((a, b) => byName.compare(a.name, b.name) || compareIds(a.id, b.id)),
    markBoxes,
    totalMarks: markBoxes.reduce((sum, b) => sum + b.marks, 0),
    students,
  };
}

/** Each part's listed common errors with their full-precision answers, from the marking ranges. */
function keyErrors(key: StudentKey) {
  const { params } = key.draw;
  const { gradientStep } = key;
  const solutions = new Map<CommonErrorId, ReturnType<typeof wrongMethodSolution>>();
  const solutionOf = (id: CommonErrorId) => solutions.get(id) ?? solutions.set(id, wrongMethodSolution(params, id)).get(id)!;
  const result = {} as Record<AnswerPart['id'], Array<{ errorId: CommonErrorId; quantities: ReturnType<typeof partQuantities>; sameAnswerAs: CommonErrorId[]; overlapping: string[]; changed: number; distinguishable: boolean }>>;
  for (const part of key.parts) {
    const listed = key.ranges.errors[part.id].map((e) => {
      const s = solutionOf(e.errorId);
      return { errorId: e.errorId, quantities: partQuantities(part.id, s.forward, s.grad, gradientStep), overlapping: e.overlapping, changed: e.changed, distinguishable: e.distinguishable, shown: e.entries.map((x) => `${x.name}=${formatSignificant(x.value, key.ranges.digits)}`).join(';') };
    });
    result[part.id] = listed.map(({ shown, ...e }) => ({ ...e, sameAnswerAs: listed.filter((o) => o.errorId !== e.errorId && o.shown === shown).map((o) => o.errorId) }));
  }
  return result;
}
