import type { ExamConfig } from '../config/exam-schema.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { buildAnswerSpace, type AnswerSpaceView } from './build-answer-space.ts';
import { buildDocumentHeader, type DocumentHeaderView } from './document-header.ts';

export interface MarksRowView { question: string; marks: number }

export interface AnswerBookletView {
  header: DocumentHeaderView;
  /** one row per written question and per part of the RNN question, for the markers */
  marksGrid: MarksRowView[];
  totalMarks: number;
  answers: AnswerSpaceView;
}

/** Rows of the marks grid: each written question, then each part of the RNN question. */
export function marksRows(space: AnswerSpaceView): MarksRowView[] {
  return [
    ...space.written.map((q) => ({ question: String(q.number), marks: q.marks })),
    ...space.rnn.parts.map((p) => ({ question: p.number, marks: p.marks })),
  ];
}

/** A student's answer booklet: a cover for identity and marks, then room for every answer. */
export function buildAnswerBooklet(exam: ExamConfig, draw: StudentDraw): AnswerBookletView {
  const answers = buildAnswerSpace(exam, draw);
  const marksGrid = marksRows(answers);
  return {
    header: buildDocumentHeader(exam, draw, 'Answer booklet', false),
    marksGrid,
    totalMarks: marksGrid.reduce((sum, row) => sum + row.marks, 0),
    answers,
  };
}
