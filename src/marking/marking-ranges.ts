/**
 * Accepted ranges of every entry of the six parts, for the correct method and for each
 * common error, all from the affine pass: the bounds of an answer rounded end by end to
 * the paper's figures. A student's answer is accepted when, rounded to those figures, it lies
 * between the two ends, so the key can print exactly the ends ("0.962 to 0.966").
 */
import type { RnnParams } from '../engine/index.ts';
import { solveRnn } from '../engine/index.ts';
import { wrongMethodSolution, type CommonErrorId } from '../solution/common-errors.ts';
import { flattenQuantity, PART_IDS, partQuantities, type PartId } from '../solution/final-answers.ts';
import { bounds, type Form } from './affine.ts';
import { affineBackward, affineForward, affinePass, type ForwardForms, type CarriedOverrides, type FMatrix, type FormAnswers, type FVector, type MethodSwitches } from './affine-pass.ts';
import { roundSignificantDecimal } from './round-significant.ts';

/** The common errors that change an asked part, with their switches in the interval pass. */
export const MARKED_ERRORS: Array<{ id: CommonErrorId; switches: MethodSwitches }> = [
  { id: 'wrong-reduction', switches: { otherReduction: true } },
  { id: 'truncated-bptt', switches: { truncated: true } },
  { id: 'no-tanh-derivative', switches: { noTanhDerivative: true } },
  { id: 'transposed-outer-product', switches: { transposedOuter: true } },
  { id: 'softmax-without-target', switches: { noTarget: true } },
];

/** Accepted values of one entry: every value that rounds to between lo and hi (both already rounded). */
export interface EntryRange {
  name: string;
  /** full precision, by this method */
  value: number;
  lo: number;
  hi: number;
  /** the unrounded bounds the range was rounded from (for answers given to fewer figures) */
  rawLo: number;
  rawHi: number;
}

/** One part's entries in order; `shape` is the names joined, so a transposed matrix differs. */
export interface PartRanges { entries: EntryRange[]; shape: string }

export interface ErrorPartRanges extends PartRanges {
  errorId: CommonErrorId;
  /** how many entries the error changes at the paper's figures */
  changed: number;
  /** names of the changed entries whose range meets the correct one (they cannot tell the two apart) */
  overlapping: string[];
  /** at least one entry tells the error apart from the correct answer */
  distinguishable: boolean;
}

export interface MarkingRanges {
  digits: number;
  correct: Record<PartId, PartRanges>;
  /** per part, the errors whose answer differs from the correct one at the paper's figures */
  errors: Record<PartId, ErrorPartRanges[]>;
}

type FQuantity = { name: string; value: Form | FVector | FMatrix };

/** The interval answers of a part, named as in final-answers.ts. */
function intervalQuantities(id: PartId, a: FormAnswers, step: number): FQuantity[] {
  switch (id) {
    case 'hiddenStates': return a.h.map((value, t) => ({ name: `h_${t}`, value }));
    case 'outputs': return a.yhat.map((value, t) => ({ name: `yhat_${t}`, value }));
    case 'losses': return [...a.loss.map((value, t) => ({ name: `l_${t}`, value })), { name: 'L', value: a.L }];
    case 'hiddenGradient': return [{ name: `dL/dh_${step}`, value: a.dh[step] }];
    case 'outputWeightGradient': return [{ name: 'dL/dV', value: a.dV }];
    case 'inputWeightGradient': return [{ name: 'dL/dU', value: a.dU }];
  }
}

function flattenForms(q: FQuantity): Array<{ name: string; form: Form }> {
  if (!Array.isArray(q.value)) return [{ name: q.name, form: q.value }];
  return (q.value as Array<Form | Form[]>).flatMap((row, i) => (Array.isArray(row)
    ? row.map((form, j) => ({ name: `${q.name}[${i}][${j}]`, form }))
    : [{ name: `${q.name}[${i}]`, form: row }]));
}

/** Every part's ranges from one interval pass, with the full-precision values of `full`. */
export function partRangesOf(answers: FormAnswers, full: ReturnType<typeof solveRnn>, step: number, digits: number): Record<PartId, PartRanges> {
  const result = {} as Record<PartId, PartRanges>;
  for (const id of PART_IDS) {
    const values = new Map(partQuantities(id, full.forward, full.grad, step).flatMap(flattenQuantity).map((e) => [e.name, e.value]));
    const entries = intervalQuantities(id, answers, step).flatMap(flattenForms).map(({ name, form }) => {
      const b = bounds(form);
      return { name, value: values.get(name) ?? Number.NaN, lo: roundSignificantDecimal(b.lo, digits), hi: roundSignificantDecimal(b.hi, digits), rawLo: b.lo, rawHi: b.hi };
    });
    result[id] = { entries, shape: entries.map((e) => e.name).join(',') };
  }
  return result;
}

/** Ranges given a student's own earlier answers (error carried forward). */
export function carriedForwardRanges(params: RnnParams, step: number, digits: number, carried: CarriedOverrides): Record<PartId, PartRanges> {
  return partRangesOf(affinePass(params, digits, {}, carried), solveRnn(params), step, digits);
}

const overlaps = (a: EntryRange, b: EntryRange) => a.lo <= b.hi && b.lo <= a.hi;
/** Same displayed answer: same names, same values at the paper's figures. */
const sameShown = (a: PartRanges, b: PartRanges, digits: number) => a.shape === b.shape
  && a.entries.every((e, i) => roundSignificantDecimal(e.value, digits) === roundSignificantDecimal(b.entries[i].value, digits));

/** The correct method's ranges alone (what the draw's first range rule needs). */
export function correctRanges(params: RnnParams, gradientStep: number, digits: number): { forward: ForwardForms; correct: Record<PartId, PartRanges> } {
  const forward = affineForward(params, digits);
  return { forward, correct: partRangesOf(affineBackward(params, forward), solveRnn(params), gradientStep, digits) };
}

/** Every common error's ranges, on top of the correct ones (sharing their forward pass). */
export function withErrorRanges(params: RnnParams, gradientStep: number, digits: number, base = correctRanges(params, gradientStep, digits)): MarkingRanges {
  const { forward, correct } = base;
  const errors = Object.fromEntries(PART_IDS.map((id) => [id, [] as ErrorPartRanges[]])) as Record<PartId, ErrorPartRanges[]>;
  for (const { id: errorId, switches } of MARKED_ERRORS) {
    const wrong = partRangesOf(affineBackward(params, forward, switches), wrongMethodSolution(params, errorId), gradientStep, digits);
    for (const id of PART_IDS) {
      const part = wrong[id], right = correct[id];
      if (sameShown(part, right, digits)) continue;
      // Only entries the error changes (at the paper's figures) can tell it apart.
      const changed = part.shape === right.shape
        ? part.entries.filter((e, i) => roundSignificantDecimal(e.value, digits) !== roundSignificantDecimal(right.entries[i].value, digits))
        : part.entries;
      const overlapping = part.shape === right.shape
        ? changed.filter((e) => overlaps(e, right.entries[part.entries.indexOf(e)])).map((e) => e.name)
        : [];
      errors[id].push({ ...part, errorId, changed: changed.length, overlapping, distinguishable: overlapping.length < changed.length });
    }
  }
  return { digits, correct, errors };
}

export function buildMarkingRanges(params: RnnParams, gradientStep: number, digits: number): MarkingRanges {
  return withErrorRanges(params, gradientStep, digits);
}

/** Whether a number given to `figures` (< the paper's) figures is right to those figures. */
export function isRightToFigures(given: number, range: Pick<EntryRange, 'rawLo' | 'rawHi'>, figures: number): boolean {
  if (!Number.isFinite(given)) return false;
  const shownValue = roundSignificantDecimal(given, figures);
  return shownValue >= roundSignificantDecimal(range.rawLo, figures) && shownValue <= roundSignificantDecimal(range.rawHi, figures);
}

/** Whether a given number, rounded to the paper's figures, lies in an entry's range. */
export function isAccepted(given: number, range: Pick<EntryRange, 'lo' | 'hi'>, digits: number): boolean {
  if (!Number.isFinite(given)) return false;
  const shownValue = roundSignificantDecimal(given, digits);
  return shownValue >= range.lo && shownValue <= range.hi;
}

