import type { ExamConfig } from '../config/exam-schema.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { marksRows } from './build-answer-booklet.ts';
import { buildAnswerSpace, type AnswerSpaceView } from './build-answer-space.ts';
import { ROUNDING_CONVENTION } from './format-number.ts';

export interface PaperCoverView {
  instructions: string[];
  permittedMaterials: string[];
  /** where answers go: the booklet or the spaces in this paper */
  whereToAnswer: string;
  rounding: string;
  /** the layout conventions for vectors and gradients, as text with $...$ math */
  conventions: string[];
  /** one row per question; the RNN question lists its parts' marks */
  marks: Array<{ title: string; marks: number }>;
  totalMarks: number;
}

/** The rules a real exam prints before its questions, all from the exam config. */
export function buildPaperCover(exam: ExamConfig, draw: StudentDraw): PaperCoverView {
  const { input, hidden, output } = exam.rnn.sizes;
  const space = buildAnswerSpace(exam, draw);
  const rows = marksRows(space);
  return {
    instructions: exam.instructions,
    permittedMaterials: exam.paper.permittedMaterials,
    whereToAnswer: exam.paper.answerSpace === 'booklet'
      ? 'Write every answer in your answer booklet, which carries your name, student ID and paper code: numeric answers in the boxes of their part, working beside them, written answers on the ruled lines.'
      : 'Write every answer in the space this paper gives after each question: numeric answers in the boxes of their part, working beside them, written answers on the ruled lines.',
    rounding: ROUNDING_CONVENTION(exam.rnn.significantFigures),
    conventions: [
      `Vectors are columns: $x_t$ has ${input} entries, $h_t$, $b$ and $\\partial L / \\partial h_t$ have ${hidden}, $\\hat{y}_t$ and $c$ have ${output}.`,
      `A gradient has the shape of what it is taken with respect to: $\\partial L / \\partial V$ is ${output} × ${hidden} like $V$, $\\partial L / \\partial U$ is ${hidden} × ${input} like $U$; entry $(i, j)$ of $\\partial L / \\partial V$ is $\\partial L / \\partial V_{ij}$.`,
      'Entries and classes are numbered from 0: $\\hat{y}_t[k]$ is the probability of class $k$, $V_{ij}$ is row $i$, column $j$.',
      '$\\log$ is the natural logarithm.',
    ],
    marks: [
      ...draw.written.map((q) => ({ title: `Question ${q.number} (written${q.wordLimit ? `, at most ${q.wordLimit} words` : ''})`, marks: q.marks })),
      { title: `Question ${space.rnn.number} (parts ${space.rnn.parts.map((p) => `${p.number}: ${p.marks}`).join(', ')})`, marks: space.rnn.parts.reduce((sum, p) => sum + p.marks, 0) },
    ],
    totalMarks: rows.reduce((sum, row) => sum + row.marks, 0),
  };
}

/** The question paper's own view plus its cover page and, when the config says so, its answer space. */
export function withCoverAndAnswers<V extends object>(paper: V, exam: ExamConfig, draw: StudentDraw): V & { cover?: PaperCoverView; answerSpace?: AnswerSpaceView } {
  return {
    ...paper,
    cover: exam.paper.cover ? buildPaperCover(exam, draw) : undefined,
    answerSpace: exam.paper.answerSpace === 'paper' ? buildAnswerSpace(exam, draw) : undefined,
  };
}
