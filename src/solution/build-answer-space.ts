import type { ExamConfig } from '../config/exam-schema.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { rnnQuestionNumber } from './build-question-paper.ts';
import { PART_IDS, partQuantities, partTitle, type Quantity } from './final-answers.ts';
import { tex, type MathToken } from './math-tokens.ts';

/** One asked quantity's answer boxes: one box per entry, in the quantity's own shape. */
export interface AnswerGridView {
  /** the quantity's name, typeset */
  label: MathToken;
  rows: number;
  cols: number;
  /** rows × cols empty cells, for the template to draw */
  cells: Array<Array<Record<string, never>>>;
  shape: string;
}

export interface AnswerPartView {
  number: string;
  title: string;
  marks: number;
  grids: AnswerGridView[];
  /** height of the working space, mm: more marks, more working */
  workingMm: number;
  /** many or wide grids go below the working space, side by side, instead of in a column beside it */
  wide: boolean;
}
export interface WrittenAnswerView { number: number; marks: number; wordLimit?: number; lines: Array<Record<string, never>> }

/** Where a student writes: boxes for every numeric answer, ruled lines for every written question. */
export interface AnswerSpaceView {
  written: WrittenAnswerView[];
  rnn: { number: number; parts: AnswerPartView[] };
}

/**
 * The answer space of one student's paper, sized from the quantities their own question asks
 * for (a vector of 3 gets 3 boxes, a 3×3 matrix a 3×3 grid; vectors are columns) and from each
 * written question's word limit. Only shapes are taken from the solution, never values.
 */
export function buildAnswerSpace(exam: ExamConfig, draw: StudentDraw): AnswerSpaceView {
  const number = rnnQuestionNumber(exam);
  const { forward, grad } = draw.solution;
  const step = exam.rnn.gradientStep;
  return {
    written: draw.written.map((q) => ({ number: q.number, marks: q.marks, wordLimit: q.wordLimit, lines: emptyCells(ruledLines(exam, q.wordLimit)) })),
    rnn: {
      number,
      parts: PART_IDS.map((id, i) => ({
        number: `${number}.${i + 1}`,
        title: partTitle(id, draw.params, step),
        marks: exam.rnn.marks[id],
        ...answerBoxes(partQuantities(id, forward, grad, step).map(answerGrid)),
        workingMm: workingHeight(exam.rnn.marks[id]),
      })),
    },
  };
}

/** Room for working: 20 mm plus 14 mm a mark, at most most of a page. */
export function workingHeight(marks: number): number {
  return Math.min(200, Math.round(20 + 14 * marks));
}

function answerBoxes(grids: AnswerGridView[]): { grids: AnswerGridView[]; wide: boolean } {
  const width = Math.max(...grids.map((g) => g.cols));
  const height = grids.reduce((sum, g) => sum + g.rows, 0);
  return { grids, wide: width > 4 || height > 16 };
}

/** Lines for a written answer: the word limit at the configured words per line, plus 3 for crossings-out. */
export function ruledLines(exam: ExamConfig, wordLimit: number | undefined): number {
  return wordLimit === undefined ? exam.paper.linesWithoutWordLimit : Math.ceil(wordLimit / exam.paper.wordsPerLine) + 3;
}

export function answerGrid(q: Quantity): AnswerGridView {
  const { rows, cols } = shapeOf(q.value);
  return {
    label: tex(q.tex),
    rows, cols,
    cells: Array.from({ length: rows }, () => emptyCells(cols)),
    shape: rows === 1 && cols === 1 ? 'scalar' : cols === 1 ? `vector of ${rows}` : `${rows} × ${cols} matrix`,
  };
}

/** A scalar is 1×1, a vector a column of its length, a matrix rows × columns. */
export function shapeOf(value: Quantity['value']): { rows: number; cols: number } {
  if (typeof value === 'number') return { rows: 1, cols: 1 };
  if (typeof value[0] === 'number') return { rows: value.length, cols: 1 };
  return { rows: value.length, cols: (value[0] as number[]).length };
}

function emptyCells(n: number): Array<Record<string, never>> {
  return Array.from({ length: n }, () => ({}));
}
