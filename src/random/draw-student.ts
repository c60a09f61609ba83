import { createHash } from 'node:crypto';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError } from '../errors.ts';
import { pageCodeKey } from '../solution/page-code.ts';
import { drawParameters, type Draw } from './draw-parameters.ts';
import { deriveSeed, paperCode, randomStream, SEED_SCHEME } from './seed.ts';

export interface StudentRef { id: string; name: string }

export interface ChosenWrittenQuestion {
  /** question number on the paper, 1-based */
  number: number;
  id: string;
  text: string;
  marks: number;
  wordLimit?: number;
  modelAnswer: string[];
  /** marks of each model-answer point, adding up to the question's marks */
  pointMarks: number[];
}

/** Everything random about one student's paper: the single source of the paper, solution and key. */
export interface StudentDraw extends Draw {
  student: StudentRef;
  examId: string;
  attempt: number;
  seedScheme: string;
  paperCode: string;
  written: ChosenWrittenQuestion[];
  /** sha256 of the parameters as JSON: identifies the numbers without revealing the seed */
  paramsHash: string;
  /** the HMAC key of the QR page codes (derived from the secret; see page-code.ts) */
  pageCodeKey: string;
}

export function drawWrittenQuestions(rng: () => number, exam: ExamConfig): ChosenWrittenQuestion[] {
  return exam.written.map((slot, i) => {
    const q = slot.questions[Math.floor(rng() * slot.questions.length)];
    return { number: i + 1, id: q.id, text: q.text, marks: slot.marks, wordLimit: slot.wordLimit, modelAnswer: q.modelAnswer, pointMarks: pointMarksOf(q.modelAnswer.length, slot.marks, q.pointMarks) };
  });
}

export function hashParams(params: Draw['params']): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex');
}

export function drawStudent(secret: string, exam: ExamConfig, student: StudentRef, attempt = 1, source = 'exam config'): StudentDraw {
  // The attempt is part of the seed and printed on the paper: "attempt NaN" or 1.5 must never get that far.
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RnnExamError({ where: 'attempt', what: `must be a whole number from 1, not ${attempt}`, fix: 'give --attempt 1, 2, 3, …' });
  }
  const input = { examId: exam.examId, studentId: student.id, attempt };
  const seed = deriveSeed(secret, input);
  const draw = drawParameters(randomStream(seed, 'rnn'), exam.rnn, source);
  return {
    ...draw,
    student: { id: student.id, name: student.name },
    examId: exam.examId,
    attempt,
    seedScheme: SEED_SCHEME,
    paperCode: paperCode(secret, input),
    written: drawWrittenQuestions(randomStream(seed, 'written'), exam),
    paramsHash: hashParams(draw.params),
    pageCodeKey: pageCodeKey(secret),
  };
}

/** Across a roster no two students may share numbers; a collision means the draw space is too small. */
export function assertDistinctDraws(draws: Iterable<Pick<StudentDraw, 'student' | 'paramsHash'>>, source = 'exam config'): void {
  const seen = new Map<string, string>();
  const problems = [];
  for (const d of draws) {
    const other = seen.get(d.paramsHash);
    if (other !== undefined) {
      problems.push({ where: `${source}: rnn.draw`, what: `students '${other}' and '${d.student.id}' drew identical numbers`, fix: 'widen the ranges in rnn.draw (or use decimals) so every student can get a different question' });
    } else seen.set(d.paramsHash, d.student.id);
  }
  if (problems.length > 0) throw new RnnExamError(problems);
}

/** The config's marks per point, or the question's marks shared equally (in quarters, the last taking the rest). */
export function pointMarksOf(points: number, marks: number, given?: number[]): number[] {
  if (given) return given;
  if (points === 0) return [];
  const share = Math.floor((marks / points) * 4) / 4;
  return Array.from({ length: points }, (_, i) => (i < points - 1 ? share : Math.round((marks - share * (points - 1)) * 4) / 4));
}
