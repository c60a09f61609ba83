import type { ExamConfig } from '../config/exam-schema.ts';
import type { RnnParams } from '../engine/index.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { buildDocumentHeader, type DocumentHeaderView } from './document-header.ts';
import { PART_IDS, partTitle } from './final-answers.ts';
import { ROUNDING_CONVENTION } from './format-number.ts';
import { givenColumn, givenMatrix, line, tex, type MathLine } from './math-tokens.ts';

export interface QuestionPaperView {
  header: DocumentHeaderView;
  totalMarks: number;
  written: Array<{ number: number; text: string; marks: number; wordLimit?: number }>;
  rnn: {
    number: number;
    marks: number;
    /** the model, as text with $...$ math */
    introduction: string[];
    equations: MathLine[];
    /** U, W, V and b, c, x_t, each shown as its own small equation */
    weights: MathLine[];
    vectors: MathLine[];
    targets: string;
    parts: Array<{ number: string; title: string; marks: number }>;
    rounding: string;
  };
}

export function buildGivens(p: RnnParams) {
  return {
    weights: [line('U', [givenMatrix(p.U)]), line('W', [givenMatrix(p.W)]), line('V', [givenMatrix(p.V)])],
    vectors: [line('b', [givenColumn(p.b)]), line('c', [givenColumn(p.c)]), ...p.x.map((xt, t) => line(`x_{${t}}`, [givenColumn(xt)]))],
    targets: `The targets are the classes ${p.y.map((c, t) => `$y_{${t}} = ${c}$`).join(', ')} (classes numbered from 0; $\\hat{y}_t[k]$ is the probability of class $k$).`,
  };
}

export function rnnQuestionNumber(exam: ExamConfig): number {
  return exam.written.length + 1;
}

export function buildQuestionPaper(exam: ExamConfig, draw: StudentDraw): QuestionPaperView {
  const p = draw.params;
  const { input, hidden, output, T } = exam.rnn.sizes;
  const number = rnnQuestionNumber(exam);
  const parts = PART_IDS.map((id, i) => ({ number: `${number}.${i + 1}`, title: partTitle(id, p, exam.rnn.gradientStep), marks: exam.rnn.marks[id] }));
  const rnnMarks = parts.reduce((sum, part) => sum + part.marks, 0);
  const written = draw.written.map((q) => ({ number: q.number, text: q.text, marks: q.marks, wordLimit: q.wordLimit }));
  const reduction = p.lossReduction === 'mean' ? `L = \\frac{1}{${T}} \\sum_{t=0}^{${T - 1}} l_t` : `L = \\sum_{t=0}^{${T - 1}} l_t`;
  return {
    header: buildDocumentHeader(exam, draw, 'Question paper', false),
    totalMarks: rnnMarks + written.reduce((sum, q) => sum + q.marks, 0),
    written,
    rnn: {
      number,
      marks: rnnMarks,
      introduction: [
        `Consider an Elman recurrent neural network with input size ${input}, hidden size ${hidden} and ${output} output classes, ` +
          `run for $T = ${T}$ time steps $t = 0, \\dots, ${T - 1}$ with $h_{-1} = 0$:`,
      ],
      equations: [
        line('\\bar{h}_t', [tex('W h_{t-1} + U x_t + b, \\qquad h_t = \\tanh(\\bar{h}_t)')]),
        line('\\hat{y}_t', [tex('\\operatorname{softmax}(V h_t + c), \\qquad l_t = -\\log \\hat{y}_t[y_t], \\qquad ' + reduction)]),
      ],
      ...buildGivens(p),
      parts,
      rounding: ROUNDING_CONVENTION(exam.rnn.significantFigures),
    },
  };
}
