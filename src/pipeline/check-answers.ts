/**
 * Marks a student's final answers part by part through src/marking (markStudent): a verdict,
 * the marks and why. This file only adapts the `check` command's context to the marking.
 */
import { marksSchema, type RnnQuestionConfig } from '../config/exam-schema.ts';
import { solveRnn, type RnnParams } from '../engine/index.ts';
import { markStudent, prepareQuestion, resolveMarkScheme, type MarkingQuestion, type MarkingRanges, type PartMark, type StudentMark, type Verdict } from '../marking/index.ts';
import { buildFinalAnswers, type AnswerPart } from '../solution/final-answers.ts';
import type { GivenAnswers } from './parse-answers.ts';

export type { EntryResult, Verdict } from '../marking/index.ts';
export type PartResult = PartMark;

/** Everything the marking depends on besides the answers themselves. */
export interface CheckContext {
  params: RnnParams;
  gradientStep: number;
  digits: number;
  questionNumber: number;
  marks?: RnnQuestionConfig['marks'];
  /** the exam's method-mark split and marking policy (defaults when absent) */
  methodMarks?: RnnQuestionConfig['methodMarks'];
  marking?: RnnQuestionConfig['marking'];
  /** the draw's ranges, when the question came from drawStudent (saves building them again) */
  ranges?: MarkingRanges;
}

/** The six parts with their correct answers: numbers, names and shapes for the parser. */
export function answerParts(ctx: CheckContext): AnswerPart[] {
  const { forward, grad } = solveRnn(ctx.params);
  const marks = ctx.marks ?? marksSchema.parse({});
  return buildFinalAnswers(ctx.params, forward, grad, { gradientStep: ctx.gradientStep, marks }, ctx.questionNumber);
}

export function markingQuestion(ctx: CheckContext): MarkingQuestion {
  return { params: ctx.params, gradientStep: ctx.gradientStep, digits: ctx.digits, questionNumber: ctx.questionNumber, marks: ctx.marks ?? marksSchema.parse({}) };
}

/** Marks and verdicts of every part, with the total. */
export function markAnswers(ctx: CheckContext, given: GivenAnswers): StudentMark {
  const question = markingQuestion(ctx);
  const scheme = resolveMarkScheme(question.marks, ctx.methodMarks, ctx.marking);
  const prepared = ctx.ranges ? { question, scheme, ranges: ctx.ranges } : prepareQuestion(question, scheme);
  return markStudent(question, given, scheme, prepared);
}

/** Marks every part; parts absent from `given` are `missing`. */
export function checkAnswers(ctx: CheckContext, given: GivenAnswers): PartResult[] {
  return markAnswers(ctx, given).parts;
}

/** How many parts got each verdict, in a fixed order. */
export function verdictCounts(results: PartResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { correct: 0, 'too-few-figures': 0, 'common-error': 0, wrong: 0, missing: 0 };
  for (const r of results) counts[r.verdict]++;
  return counts;
}
