/**
 * Marks a student's final answers part by part: correct (every entry in its accepted
 * range), a listed common error (which one), wrong (which entries), or missing. It is a
 * report for a tutor, not a mark: method marks stay the marker's call.
 */
import { marksSchema, type RnnQuestionConfig } from '../config/exam-schema.ts';
import { solveRnn, type RnnParams } from '../engine/index.ts';
import { commonErrorAnswers, type CommonErrorAnswer, type CommonErrorId } from '../solution/common-errors.ts';
import { buildFinalAnswers, flattenQuantity, type AnswerPart, type PartId, type Quantity } from '../solution/final-answers.ts';
import { formatSignificant } from '../solution/format-number.ts';
import { acceptedRanges, isWithinRange, lastDigitUnit, type AcceptedRange } from '../solution/tolerance.ts';
import type { AnswerValue, GivenAnswers } from './parse-answers.ts';

export type Verdict = 'correct' | 'common-error' | 'wrong' | 'missing';

export interface EntryResult {
  /** flattened name: "h_1[2]", "L", "dL/dV[0][1]" */
  name: string;
  /** null when not given */
  given: number | null;
  /** full precision */
  expected: number;
  low: number;
  high: number;
  ok: boolean;
}

export interface PartResult {
  part: string;
  id: PartId;
  verdict: Verdict;
  errorId?: CommonErrorId;
  errorDescription?: string;
  /** other listed errors with the very same displayed answer */
  sameAnswerAs?: CommonErrorId[];
  entries: EntryResult[];
}

/** Everything the marking depends on besides the answers themselves. */
export interface CheckContext {
  params: RnnParams;
  gradientStep: number;
  digits: number;
  questionNumber: number;
  marks?: RnnQuestionConfig['marks'];
}

/** The six parts with their correct answers: numbers, names and shapes for the parser. */
export function answerParts(ctx: CheckContext): AnswerPart[] {
  const { forward, grad } = solveRnn(ctx.params);
  const marks = ctx.marks ?? marksSchema.parse({});
  return buildFinalAnswers(ctx.params, forward, grad, { gradientStep: ctx.gradientStep, marks }, ctx.questionNumber);
}

/** A given value flattened with the same names as flattenQuantity. */
function flattenGiven(name: string, value: AnswerValue): Map<string, number> {
  return new Map(flattenQuantity({ name, tex: '', value } as Quantity).map((e) => [e.name, e.value]));
}

/** name → given number for every entry of a part (absent quantities are absent). */
function givenEntries(part: AnswerPart, given: Map<string, AnswerValue> | undefined): Map<string, number> {
  const entries = new Map<string, number>();
  for (const q of part.quantities) {
    const value = given?.get(q.name);
    if (value !== undefined) for (const [name, x] of flattenGiven(q.name, value)) entries.set(name, x);
  }
  return entries;
}

/**
 * Whether `given` is what the wrong method gives: the same number at display rounding
 * (`exact`), or within the correct entry's tolerance moved onto the wrong value, never
 * narrower than one unit in its last digit (a wrong answer 3 times larger is rounded 3 times coarser).
 */
function matchesWrong(given: number, wrong: number, range: AcceptedRange, digits: number, exact: boolean): boolean {
  if (formatSignificant(given, digits) === formatSignificant(wrong, digits)) return true;
  if (exact) return false;
  const u = lastDigitUnit(wrong, digits);
  const below = Math.max(range.value - range.low, u), above = Math.max(range.high - range.value, u);
  return isWithinRange(given, { low: wrong - below, high: wrong + above });
}

/** The error whose answer this is: an exact match first, so two errors with close answers are told apart. */
function findCommonError(errors: CommonErrorAnswer[], given: Map<string, number>, ranges: Map<string, AcceptedRange>, digits: number): CommonErrorAnswer | undefined {
  const matches = (error: CommonErrorAnswer, exact: boolean) => {
    const wrong = error.quantities.flatMap(flattenQuantity);
    return wrong.length === given.size && wrong.every((w) => given.has(w.name) && matchesWrong(given.get(w.name)!, w.value, ranges.get(w.name)!, digits, exact));
  };
  return errors.find((e) => matches(e, true)) ?? errors.find((e) => matches(e, false));
}

/** Marks every part; parts absent from `given` are `missing`. */
export function checkAnswers(ctx: CheckContext, given: GivenAnswers): PartResult[] {
  const ranges = acceptedRanges(ctx.params, ctx.gradientStep, ctx.digits);
  const errors = commonErrorAnswers(ctx.params, ctx.gradientStep, ctx.digits);
  return answerParts(ctx).map((part) => {
    const values = givenEntries(part, given.get(part.id));
    const entries: EntryResult[] = part.quantities.flatMap(flattenQuantity).map(({ name, value }) => {
      const range = ranges.get(name)!;
      const x = values.get(name);
      return { name, given: x ?? null, expected: value, low: range.low, high: range.high, ok: x !== undefined && isWithinRange(x, range) };
    });
    const result = (verdict: Verdict, error?: CommonErrorAnswer): PartResult => ({
      part: part.number, id: part.id, verdict,
      ...(error && { errorId: error.errorId, errorDescription: error.description, sameAnswerAs: error.sameAnswerAs }),
      entries,
    });
    if (values.size === 0) return result('missing');
    if (entries.every((e) => e.ok)) return result('correct');
    // A common error needs the whole part: a partial answer cannot be told apart from guessing.
    const error = values.size === entries.length ? findCommonError(errors[part.id], values, ranges, ctx.digits) : undefined;
    return error ? result('common-error', error) : result('wrong');
  });
}

/** How many parts got each verdict, in a fixed order. */
export function verdictCounts(results: PartResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { correct: 0, 'common-error': 0, wrong: 0, missing: 0 };
  for (const r of results) counts[r.verdict]++;
  return counts;
}
