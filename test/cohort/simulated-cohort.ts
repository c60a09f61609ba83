/**
 * A simulated cohort for the mark tests and the bench: each student's true answers come from
 * the project's own draw and solver, then are changed the way real students change them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import type { ExamConfig } from '../../src/config/exam-schema.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { paperCode } from '../../src/random/seed.ts';
import { commonErrorAnswers, type CommonErrorId } from '../../src/solution/common-errors.ts';
import { partQuantities, PART_IDS, type PartId, type Quantity } from '../../src/solution/final-answers.ts';
import { roundSignificant } from '../../src/solution/format-number.ts';
import { rnnQuestionNumber } from '../../src/solution/build-question-paper.ts';

export const EXAM_PATH = fileURLToPath(new URL('../../examples/exam.json', import.meta.url));
export const SECRET = 'simulated-cohort-secret-for-tests-only';
export const exam: ExamConfig = parseExamConfig(JSON.parse(readFileSync(EXAM_PATH, 'utf8')), EXAM_PATH);

export type Behaviour =
  | { kind: 'exact' } | { kind: 'rounded' } | { kind: 'absent' } | { kind: 'malformed' }
  | { kind: 'error'; error: CommonErrorId; part: PartId }
  | { kind: 'wrong'; part: PartId }
  | { kind: 'neighbour'; of: string }
  /** yhat_t written wrong (its entries in reverse order), then the losses computed honestly from it */
  | { kind: 'carried' };

const round = (v: Quantity['value']): Quantity['value'] => (typeof v === 'number' ? roundSignificant(v, 3)
  : typeof v[0] === 'number' ? (v as number[]).map((x) => roundSignificant(x, 3)) : (v as number[][]).map((r) => r.map((x) => roundSignificant(x, 3))));
const cell = (v: Quantity['value']) => (typeof v === 'number' ? String(v) : `"${JSON.stringify(v)}"`);

export function codeOf(id: string, attempt = 1): string {
  return paperCode(SECRET, { examId: exam.examId, studentId: id, attempt });
}

/** The CSV rows (without header) of one student's answers: student_id,part,quantity,value,paper_code. */
export function answerRows(id: string, behaviour: Behaviour): string[] {
  if (behaviour.kind === 'absent') return [];
  const draw = drawStudent(SECRET, exam, { id, name: '' });
  const { forward, grad } = draw.solution;
  const q = rnnQuestionNumber(exam);
  const step = exam.rnn.gradientStep;
  const errors = behaviour.kind === 'error' ? commonErrorAnswers(draw.params, step, exam.rnn.significantFigures) : undefined;
  const code = behaviour.kind === 'neighbour' ? codeOf(behaviour.of) : draw.paperCode;
  return PART_IDS.flatMap((part, i) => {
    let quantities = partQuantities(part, forward, grad, step);
    if (behaviour.kind === 'error' && behaviour.part === part) {
      const e = errors![part].find((x) => x.errorId === behaviour.error);
      if (!e) throw new Error(`${behaviour.error} does not show in ${part} for ${id}`);
      quantities = e.quantities;
    }
    if (behaviour.kind === 'wrong' && behaviour.part === part) quantities = quantities.map((x) => ({ ...x, value: typeof x.value === 'number' ? x.value + 7 : x.value }));
    if (behaviour.kind === 'carried' && (part === 'outputs' || part === 'losses')) {
      const theirs = forward.yhat.map((y) => round([...y].reverse()) as number[]);
      const losses = theirs.map((y, t) => -Math.log(y[draw.params.y[t]]));
      const L = exam.rnn.lossReduction === 'mean' ? losses.reduce((a, b) => a + b, 0) / losses.length : losses.reduce((a, b) => a + b, 0);
      quantities = part === 'outputs'
        ? quantities.map((x, t) => ({ ...x, value: theirs[t] }))
        : quantities.map((x) => ({ ...x, value: x.name === 'L' ? L : losses[Number(x.name.slice(2))] }));
    }
    return quantities.map((x, j) => {
      const value = behaviour.kind === 'exact' ? x.value : round(x.value);
      const text = behaviour.kind === 'malformed' && i === 1 && j === 0 ? 'not-a-number' : cell(value);
      return `${id},${q}.${i + 1},${x.name},${text},${code}`;
    });
  });
}

export const CSV_HEADER = 'student_id,part,quantity,value,paper_code';
