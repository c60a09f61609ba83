/**
 * Marking: accepted ranges, common errors, error carried forward, verdicts and marks. One
 * pure module that the marking key, `check` and a cohort `mark` all call, so what the key
 * prints and what a verdict says can never disagree.
 */
export { markStudent, prepareQuestion, type EntryResult, type MarkingQuestion, type PartMark, type PreparedQuestion, type StudentMark, type Verdict } from './mark-student.ts';
export { resolveMarkScheme, type MarkScheme, type MethodMark, type MarkingPolicy } from './mark-scheme.ts';
export { buildMarkingRanges, isAccepted, MARKED_ERRORS, type EntryRange, type ErrorPartRanges, type MarkingRanges, type PartRanges } from './marking-ranges.ts';
export { flattenAnswer, figuresOf, type AnswerValue, type GivenAnswers } from './answers.ts';
export { roundSignificantDecimal, roundedText } from './round-significant.ts';
export { prepareExamQuestion } from './exam-question.ts';
