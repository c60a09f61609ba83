/**
 * The one place that turns a student's answers into marks for the cohort: the same
 * markStudent (src/marking) as `check` and the printed key, so a cohort's marks, a single
 * student's check and the key never disagree. Everything else in src/cohort reads only the
 * StudentMarks shape.
 */
import { markAnswers, type CheckContext } from '../pipeline/check-answers.ts';
import type { PartMark, StudentMark } from '../marking/index.ts';
import type { GivenAnswers } from '../pipeline/parse-answers.ts';

export type PartMarks = PartMark;
export type StudentMarks = StudentMark;

export type MarkingContext = CheckContext & { marks: NonNullable<CheckContext['marks']> };

export function markOneStudent(ctx: MarkingContext, given: GivenAnswers): StudentMarks {
  return markAnswers(ctx, given);
}

/** Names the rule above in the marking run's manifest. */
export const MARKING_RULE = 'marking-v2: derived ranges at the paper\'s figures, method marks, named common errors, error carried forward';
