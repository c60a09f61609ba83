import type { ExamConfig } from '../config/exam-schema.ts';
import type { Matrix, Vector } from '../engine/index.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { rnnQuestionNumber } from './build-question-paper.ts';
import { commonErrorAnswers, errorDescriptionTex, errorShortName, type CommonErrorId } from './common-errors.ts';
import { buildDocumentHeader, type DocumentHeaderView } from './document-header.ts';
import { buildFinalAnswers, flattenQuantity, type AnswerPart } from './final-answers.ts';
import { formatSignificant } from './format-number.ts';
import { fullValue, inColumnBlocks, line, roundedValue, type MathLine, type MathToken } from './math-tokens.ts';
import { acceptedRanges, type AcceptedRange } from './tolerance.ts';
import { compareIds } from './compare-ids.ts';

export interface KeyQuantityView { answerLines: MathLine[]; accept: MathToken[]; full: MathToken[] }
export interface KeyPartView {
  number: string;
  title: string;
  marks: number;
  quantities: KeyQuantityView[];
  commonErrors: Array<{ errorId: string; name: string; sameAs: string; answers: MathLine[] }>;
}
export interface MarkingKeyView {
  header: DocumentHeaderView;
  rnnNumber: number;
  rnnMarks: number;
  toleranceNote: string;
  written: Array<{ number: number; id: string; marks: number; text: string; modelAnswer: string[] }>;
  parts: KeyPartView[];
  /** each common error listed in a part, described once (its math typeset) */
  commonErrorLegend: Array<{ name: string; description: string }>;
}

/** Everything a marker needs for one student, computed once and shared by the PDF and CSV keys. */
export interface StudentKey { draw: StudentDraw; parts: AnswerPart[]; ranges: Map<string, AcceptedRange>; errors: ReturnType<typeof commonErrorAnswers> }

export function buildStudentKey(exam: ExamConfig, draw: StudentDraw): StudentKey {
  const { params, solution } = draw;
  const digits = exam.rnn.significantFigures;
  return {
    draw,
    parts: buildFinalAnswers(params, solution.forward, solution.grad, exam.rnn, rnnQuestionNumber(exam)),
    ranges: acceptedRanges(params, exam.rnn.gradientStep, digits),
    errors: commonErrorAnswers(params, exam.rnn.gradientStep, digits),
  };
}

const RANGE_SEPARATOR = ' … ';

function rangeToken(value: number | Vector | Matrix, name: string, ranges: Map<string, AcceptedRange>, digits: number): MathToken {
  const show = (entry: string) => {
    const r = ranges.get(entry)!;
    return `${formatSignificant(r.low, digits + 1)}${RANGE_SEPARATOR}${formatSignificant(r.high, digits + 1)}`;
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
  const parts = key.parts.map((part) => ({
    number: part.number,
    title: part.title,
    marks: part.marks,
    quantities: part.quantities.map((q) => ({
      answerLines: [line(q.tex, [roundedValue(q.value, digits)], '\\approx')],
      accept: inColumnBlocks(rangeToken(q.value, q.name, key.ranges, digits)),
      full: inColumnBlocks(fullValue(q.value)),
    })),
    commonErrors: key.errors[part.id].map((e) => ({
      errorId: e.errorId,
      name: name(e.errorId),
      sameAs: e.sameAnswerAs.map(name).join(', '),
      answers: e.quantities.map((q) => line(q.tex, [roundedValue(q.value, digits)], '\\approx')),
    })),
  }));
  // Described once, in the order they first appear: a part names them in a few words.
  const listed = [...new Set(key.parts.flatMap((part) => key.errors[part.id].map((e) => e.errorId)))];
  const commonErrorLegend = listed.map((id) => ({ name: name(id), description: errorDescriptionTex(id, exam.rnn.lossReduction) }));
  return {
    header: buildDocumentHeader(exam, draw, 'Marking key', true),
    rnnNumber: rnnQuestionNumber(exam),
    rnnMarks: parts.reduce((sum, p) => sum + p.marks, 0),
    toleranceNote: `Answers are to ${digits} significant figures. Accept any value in the range shown: it spans the full-precision answer and the answers of a student who rounds every written intermediate to ${digits} (or ${digits + 1}) significant figures and carries the rounded values forward, and is never narrower than one unit in the last displayed digit. The common errors (described at the end) give method marks at the marker's discretion; each is listed only where its answer differs from the correct one at ${digits} significant figures.`,
    written: draw.written.map((q) => ({ number: q.number, id: q.id, marks: q.marks, text: q.text, modelAnswer: q.modelAnswer })),
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
  return key.parts.flatMap((part) => part.quantities.flatMap(flattenQuantity).map((entry) => {
    const range = key.ranges.get(entry.name)!;
    const errors = key.errors[part.id]
      .map((e) => {
        const wrong = e.quantities.flatMap(flattenQuantity).find((w) => w.name === entry.name);
        return wrong && formatSignificant(wrong.value, digits) !== formatSignificant(entry.value, digits) ? `${e.errorId}=${formatSignificant(wrong.value, digits)}` : undefined;
      })
      .filter(Boolean)
      .join('; ');
    return [draw.student.id, draw.student.name, draw.paperCode, draw.attempt, part.number, part.marks, entry.name,
      formatSignificant(entry.value, digits), entry.value, range.low, range.high, errors];
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
