/**
 * Marks one student's answers: a verdict per part, the method marks it earns and why.
 *   correct          every entry in its accepted range: full marks;
 *   too-few-figures  right, but only to fewer figures than asked: full marks less a penalty;
 *   common-error     the answer of a known wrong method (told apart from the correct one by
 *                    at least one entry): the method marks that error does not lose;
 *   wrong            otherwise; with error carried forward (ecf) the part is recomputed from
 *                    the student's own earlier parts, and earns its method marks when it is
 *                    right given them (unless that makes it trivial: all zeros, or unbounded);
 *   missing          not answered.
 */
import type { RnnParams } from '../engine/index.ts';
import { commonErrors, type CommonErrorId } from '../solution/common-errors.ts';
import { PART_IDS, type PartId } from '../solution/final-answers.ts';
import { figuresOf, flattenAnswer, type AnswerValue, type GivenAnswers } from './answers.ts';
import type { CarriedOverrides } from './affine-pass.ts';
import { resolveMarkScheme, type MarkScheme } from './mark-scheme.ts';
import {
  buildMarkingRanges, carriedForwardRanges, isAccepted, isRightToFigures, type EntryRange, type MarkingRanges, type PartRanges,
} from './marking-ranges.ts';

export type Verdict = 'correct' | 'too-few-figures' | 'common-error' | 'wrong' | 'missing';

export interface MarkingQuestion {
  params: RnnParams;
  gradientStep: number;
  digits: number;
  /** the RNN question's number: parts are "3.1" … "3.6" */
  questionNumber: number;
  marks: Record<PartId, number>;
}

export interface EntryResult {
  /** flattened name: "h_1[2]", "L", "dL/dV[0][1]" */
  name: string;
  /** null when not given */
  given: number | null;
  /** full precision, by the method the part is marked against */
  expected: number;
  /** accepted values: everything that rounds to between low and high at the paper's figures */
  low: number;
  high: number;
  ok: boolean;
}

export interface PartMark {
  part: string;
  id: PartId;
  marks: number;
  maxMarks: number;
  verdict: Verdict;
  errorId?: CommonErrorId;
  errorDescription?: string;
  /** other errors whose answer this also is */
  sameAnswerAs?: CommonErrorId[];
  /** marks given by error carried forward */
  ecf: boolean;
  /** one sentence: why these marks */
  reason: string;
  /** each method mark: given or not */
  awarded: Array<{ step: string; marks: number; of: number }>;
  /** the matrix was given transposed */
  transposed?: boolean;
  entries: EntryResult[];
}

export interface StudentMark { parts: PartMark[]; total: number; maxTotal: number }

/** Everything computed once per question (a cohort marks many answer sheets against one key). */
export interface PreparedQuestion { question: MarkingQuestion; ranges: MarkingRanges; scheme: MarkScheme }

export function prepareQuestion(question: MarkingQuestion, scheme?: MarkScheme): PreparedQuestion {
  return {
    question,
    ranges: buildMarkingRanges(question.params, question.gradientStep, question.digits),
    scheme: scheme ?? resolveMarkScheme(question.marks),
  };
}

const total = (xs: Array<{ marks: number }>) => Math.round(xs.reduce((s, x) => s + x.marks, 0) * 1e6) / 1e6;

function entriesAgainst(range: PartRanges, values: Map<string, number>, digits: number): EntryResult[] {
  return range.entries.map((e) => {
    const x = values.get(e.name);
    return { name: e.name, given: x ?? null, expected: e.value, low: e.lo, high: e.hi, ok: x !== undefined && isAccepted(x, e, digits) };
  });
}

/** The overrides of the parts before `id`: what the student carried into it. */
function carriedBefore(id: PartId, given: GivenAnswers, T: number): CarriedOverrides | undefined {
  const index = PART_IDS.indexOf(id);
  const take = (part: PartId, name: (t: number) => string) => (PART_IDS.indexOf(part) < index
    ? Array.from({ length: T }, (_, t) => given.get(part)?.get(name(t)) as number[] | undefined) : []);
  const h = take('hiddenStates', (t) => `h_${t}`);
  const yhat = take('outputs', (t) => `yhat_${t}`);
  const loss = take('losses', (t) => `l_${t}`) as unknown as Array<number | undefined>;
  if (![...h, ...yhat, ...loss].some((v) => v !== undefined)) return undefined;
  return { h, yhat, loss };
}

const entryNames = (values: Map<string, AnswerValue>) => new Map([...values].flatMap(([name, v]) => flattenAnswer(name, v)));

/** Marks one part; `ecfRanges` recomputes the parts from the student's earlier answers on demand. */
function markPart(prepared: PreparedQuestion, id: PartId, given: GivenAnswers, ecfRanges: (id: PartId) => Record<PartId, PartRanges> | undefined): PartMark {
  const { question, ranges, scheme } = prepared;
  const { digits } = question;
  const index = PART_IDS.indexOf(id);
  const steps = scheme[id];
  const maxMarks = question.marks[id];
  const part = `${question.questionNumber}.${index + 1}`;
  const values = entryNames(given.get(id) ?? new Map());
  const correct = ranges.correct[id];
  const result = (verdict: Verdict, marks: number, reason: string, extra: Partial<PartMark> & { entries: EntryResult[] }, awarded = steps.map((s) => ({ step: s.step, marks: marks === maxMarks ? s.marks : 0, of: s.marks }))): PartMark =>
    ({ part, id, marks, maxMarks, verdict, ecf: false, reason, awarded, ...extra });
  const names = [...values.keys()].join(',');
  const transposedShape = ranges.errors[id].find((e) => e.shape !== correct.shape && e.shape === names);

  if (values.size === 0) return result('missing', 0, 'not answered', { entries: entriesAgainst(correct, values, digits) });
  const entries = entriesAgainst(correct, values, digits);
  if (!transposedShape && entries.every((e) => e.ok)) return result('correct', maxMarks, 'every entry in its accepted range', { entries });

  const fewer = !transposedShape && entries.every((e, i) => e.ok || (e.given !== null && figuresOf(e.given) < digits && isRightToFigures(e.given, correct.entries[i], figuresOf(e.given))));
  if (fewer) {
    const marks = Math.max(0, maxMarks - scheme.policy.tooFewFiguresPenalty);
    return result('too-few-figures', marks, `right, but to fewer than ${digits} significant figures (${scheme.policy.tooFewFiguresPenalty} mark${scheme.policy.tooFewFiguresPenalty === 1 ? '' : 's'} off)`,
      { entries }, steps.map((s) => ({ step: s.step, marks: s.marks, of: s.marks })));
  }

  // A named error needs the whole part, and at least one entry that the correct range does not hold.
  const matching = ranges.errors[id].filter((e) => e.shape === names && e.distinguishable
    && e.entries.every((x) => values.has(x.name) && isAccepted(values.get(x.name)!, x, digits)));
  if (matching.length > 0) {
    const error = matching[0];
    const awarded = steps.map((s) => ({ step: s.step, marks: (s.lostBy as string[]).includes(error.errorId) ? 0 : s.marks, of: s.marks }));
    const description = commonErrors(question.params.lossReduction).find((e) => e.id === error.errorId)!.description;
    const lost = steps.filter((s) => (s.lostBy as string[]).includes(error.errorId)).map((s) => s.step);
    return result('common-error', total(awarded), `common error ${error.errorId}${lost.length ? `: loses ${lost.join('; ')}` : ''}`, {
      errorId: error.errorId, errorDescription: description, sameAnswerAs: matching.slice(1).map((e) => e.errorId),
      transposed: Boolean(transposedShape), entries: entriesAgainst(error, values, digits),
    }, awarded);
  }
  if (transposedShape) return result('wrong', 0, 'given transposed, and not the transposed-outer-product answer', { transposed: true, entries: entriesAgainst(transposedShape, values, digits) });

  const carried = scheme.policy.errorCarriedForward ? ecfRanges(id) : undefined;
  if (carried) {
    const ecf = carried[id];
    const ecfEntries = entriesAgainst(ecf, values, digits);
    const finite = ecf.entries.every((e) => Number.isFinite(e.lo) && Number.isFinite(e.hi));
    const trivial = ecf.entries.every((e) => e.lo <= 0 && e.hi >= 0) || [...values.values()].every((v) => v === 0);
    if (finite && !trivial && ecfEntries.every((e) => e.ok)) {
      return { ...result('wrong', maxMarks, 'error carried forward: right given the student\'s own earlier answers', { entries }, steps.map((s) => ({ step: s.step, marks: s.marks, of: s.marks }))), ecf: true };
    }
  }
  const bad = entries.filter((e) => !e.ok).length;
  return result('wrong', 0, `${bad} of ${entries.length} entries outside their accepted ranges${carried ? ', and not right given the earlier answers either' : ''}`, { entries });
}

/**
 * Marks a student's answers against one question. `scheme` defaults to the default split of
 * the question's marks; `prepared` (from prepareQuestion) saves building the ranges again.
 */
export function markStudent(question: MarkingQuestion, answers: GivenAnswers, scheme?: MarkScheme, prepared?: PreparedQuestion): StudentMark {
  const ready = prepared ?? prepareQuestion(question, scheme);
  const T = question.params.x.length;
  const cache = new Map<string, Record<PartId, PartRanges> | undefined>();
  const ecfRanges = (id: PartId) => {
    const carried = carriedBefore(id, answers, T);
    if (!carried) return undefined;
    const key = JSON.stringify(carried);
    if (!cache.has(key)) {
      const finite = [...(carried.h ?? []), ...(carried.yhat ?? [])].every((v) => v === undefined || v.every(Number.isFinite));
      cache.set(key, finite ? carriedForwardRanges(question.params, question.gradientStep, question.digits, carried) : undefined);
    }
    return cache.get(key);
  };
  const parts = PART_IDS.map((id) => markPart(ready, id, answers, ecfRanges));
  return { parts, total: total(parts), maxTotal: total(parts.map((p) => ({ marks: p.maxMarks }))) };
}

export type { EntryRange };
