/**
 * The one place that turns a student's answers into marks. Everything else in src/cohort
 * reads only the StudentMarks shape, so a better marking rule (error carried forward,
 * src/marking) replaces this file alone.
 *
 * Today's rule, stated on every part as its reason: every entry in its accepted range earns
 * the part's full marks; anything else (a named common error, a wrong or missing answer)
 * earns 0. No error is carried forward yet (ecf is always false).
 */
import { checkAnswers, type CheckContext, type EntryResult, type Verdict } from '../pipeline/check-answers.ts';
import type { GivenAnswers } from '../pipeline/parse-answers.ts';
import { errorShortName, type CommonErrorId } from '../solution/common-errors.ts';
import type { PartId } from '../solution/final-answers.ts';

export interface PartMarks {
  /** "3.4" */
  part: string;
  id: PartId;
  marks: number;
  maxMarks: number;
  verdict: Verdict;
  errorId?: CommonErrorId;
  /** true when marks were given for work carried forward from an earlier wrong answer */
  ecf: boolean;
  /** why these marks, in a sentence a student can read */
  reason: string;
  entries: EntryResult[];
}

export interface StudentMarks {
  parts: PartMarks[];
  total: number;
  maxTotal: number;
}

export type MarkingContext = CheckContext & { marks: NonNullable<CheckContext['marks']> };

function reasonFor(verdict: Verdict, max: number, errorId?: CommonErrorId): string {
  switch (verdict) {
    case 'correct': return `Every value is within its accepted range: full marks (${max}).`;
    case 'common-error': return `A recognised common error (${errorShortName(errorId!)}): no marks for this part.`;
    case 'wrong': return 'At least one value is outside its accepted range: no marks for this part.';
    case 'missing': return 'No answer given for this part.';
  }
}

export function markOneStudent(ctx: MarkingContext, given: GivenAnswers): StudentMarks {
  const parts = checkAnswers(ctx, given).map((r): PartMarks => {
    const maxMarks = ctx.marks[r.id];
    return {
      part: r.part, id: r.id, marks: r.verdict === 'correct' ? maxMarks : 0, maxMarks, verdict: r.verdict,
      ...(r.errorId && { errorId: r.errorId }),
      ecf: false,
      reason: reasonFor(r.verdict, maxMarks, r.errorId),
      entries: r.entries,
    };
  });
  return { parts, total: parts.reduce((s, p) => s + p.marks, 0), maxTotal: parts.reduce((s, p) => s + p.maxMarks, 0) };
}

/** Names the rule above in the marking run's manifest. */
export const MARKING_RULE = 'verdicts-v1: correct part full marks, otherwise 0; no error carried forward';
