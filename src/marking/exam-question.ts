import type { ExamConfig } from '../config/exam-schema.ts';
import type { RnnParams } from '../engine/index.ts';
import { rnnQuestionNumber } from '../solution/build-question-paper.ts';
import { resolveMarkScheme, type MarkScheme } from './mark-scheme.ts';
import { buildMarkingRanges, type MarkingRanges } from './marking-ranges.ts';
import type { MarkingQuestion, PreparedQuestion } from './mark-student.ts';

/**
 * One student's question, scheme and ranges from the exam config and their draw, ready for
 * markStudent(prepared.question, answers, prepared.scheme, prepared). A draw from drawStudent
 * carries its ranges already (the quality rules built them), so nothing is computed twice.
 */
export function prepareExamQuestion(exam: ExamConfig, draw: { params: RnnParams; ranges?: MarkingRanges }): PreparedQuestion & { scheme: MarkScheme } {
  const { rnn } = exam;
  const question: MarkingQuestion = {
    params: draw.params, gradientStep: rnn.gradientStep, digits: rnn.significantFigures,
    questionNumber: rnnQuestionNumber(exam), marks: rnn.marks,
  };
  return {
    question,
    scheme: resolveMarkScheme(rnn.marks, rnn.methodMarks, rnn.marking),
    ranges: draw.ranges ?? buildMarkingRanges(draw.params, rnn.gradientStep, rnn.significantFigures),
  };
}
