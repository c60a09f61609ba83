import type { RnnQuestionConfig } from '../config/exam-schema.ts';
import type { ForwardPass, Matrix, RnnParams, RnnSolution } from '../engine/index.ts';
import { flattenQuantity, PART_IDS, partQuantities } from '../solution/final-answers.ts';
import { formatSignificant } from '../solution/format-number.ts';
import type { MarkingRanges, PartRanges } from '../marking/marking-ranges.ts';

/** Why a draw can be rejected; each is checked on every draw and counted in reports. */
export const QUALITY_RULES = {
  'degenerate-matrix': 'U, W or V has a row or column of zeros',
  'degenerate-inputs': 'an input vector x_t is all zeros, or an input component is 0 at every time step (U would drop out of a step, or a column of dL/dU would be trivially 0)',
  'equal-targets': 'every target y_t is the same class',
  'zero-hidden-state': 'some hidden state h_t is all zeros (that step carries nothing forward)',
  'cancellation': 'an answer is zero in exact arithmetic but not in floating point (e.g. 1e-17), so it cannot be shown honestly',
  'saturated-tanh': 'some |hbar| exceeds quality.maxAbsHbar (tanh saturates, gradients vanish)',
  'one-hot-output': 'some softmax output exceeds quality.maxProbability (nearly one-hot)',
  'vanishing-gradient': 'an asked gradient has every |entry| below quality.minGradient',
  'exploding-gradient': 'an asked gradient has an |entry| above quality.maxGradient',
  'rounding-boundary': 'a displayed answer lies within quality.roundingMargin of a rounding boundary',
  'indiscriminate-range': 'an asked entry\'s accepted range contains 0 or both signs (it cannot tell right from wrong)',
  'error-overlap': 'a common error\'s range overlaps the correct one in every entry of a part it changes (the two cannot be told apart)',
} as const;
export type QualityRule = keyof typeof QUALITY_RULES;

const hasZeroLine = (M: Matrix) =>
  M.some((row) => row.every((v) => v === 0)) || M[0].some((_, j) => M.every((row) => row[j] === 0));

const maxAbs = (values: number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** True when nudging v by `margin` units of its last displayed digit changes what is displayed. */
export function isNearRoundingBoundary(v: number, digits: number, margin: number): boolean {
  if (v === 0 || margin === 0) return false;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(v))) - digits + 1);
  return formatSignificant(v - margin * unit, digits) !== formatSignificant(v + margin * unit, digits);
}

/** Rules on the numbers alone, checked before anything is computed. */
export function checkStructure(p: RnnParams): QualityRule[] {
  const broken: QualityRule[] = [];
  if ([p.U, p.W, p.V].some(hasZeroLine)) broken.push('degenerate-matrix');
  if (p.x.some((xt) => xt.every((v) => v === 0)) || p.x[0].some((_, k) => p.x.every((xt) => xt[k] === 0))) broken.push('degenerate-inputs');
  if (p.y.length > 1 && p.y.every((c) => c === p.y[0])) broken.push('equal-targets');
  return broken;
}

/** Rules on the forward pass: saturation and near one-hot outputs. */
export function checkForward(forward: ForwardPass, rnn: RnnQuestionConfig): QualityRule[] {
  const broken: QualityRule[] = [];
  if (forward.h.some((h) => h.every((v) => v === 0))) broken.push('zero-hidden-state');
  if (maxAbs(forward.hbar.flat()) > rnn.quality.maxAbsHbar) broken.push('saturated-tanh');
  if (maxAbs(forward.yhat.flat()) > rnn.quality.maxProbability) broken.push('one-hot-output');
  return broken;
}

/** Rules on the answers: gradient sizes and rounding boundaries. */
export function checkAnswers({ forward, grad }: RnnSolution, rnn: RnnQuestionConfig): QualityRule[] {
  const q = rnn.quality;
  const broken: QualityRule[] = [];
  const asked = [grad.h[rnn.gradientStep], grad.V.flat(), grad.U.flat()];
  if (asked.some((g) => maxAbs(g) < q.minGradient)) broken.push('vanishing-gradient');
  if (asked.some((g) => maxAbs(g) > q.maxGradient)) broken.push('exploding-gradient');
  const shown = PART_IDS.flatMap((id) => partQuantities(id, forward, grad, rnn.gradientStep).flatMap(flattenQuantity));
  if (shown.some(({ value }) => value !== 0 && Math.abs(value) < 1e-9)) broken.push('cancellation');
  if (shown.some(({ value }) => isNearRoundingBoundary(value, rnn.significantFigures, q.roundingMargin))) broken.push('rounding-boundary');
  return broken;
}

/** Every rule a solved draw breaks (empty when the question is fair and markable). */
export function checkDrawQuality(p: RnnParams, solution: RnnSolution, rnn: RnnQuestionConfig): QualityRule[] {
  return [...checkStructure(p), ...checkForward(solution.forward, rnn), ...checkAnswers(solution, rnn)];
}

/** Entries in a part above which a share of them may have a range holding 0 (quality.largePartIndiscriminate). */
export const LARGE_PART = 16;

/** Rules on the accepted ranges (src/marking): each asked entry must discriminate. */
export function checkRanges(ranges: Pick<MarkingRanges, 'correct'> & Partial<Pick<MarkingRanges, 'errors'>>, largePartShare = 0): QualityRule[] {
  const broken: QualityRule[] = [];
  const parts = PART_IDS.map((id) => ranges.correct[id]);
  // An exact structural zero (range [0, 0]) is a fair answer; any other range must keep one sign.
  // A part of more than 16 entries may hold a few that do not (its other entries still tell right
  // from wrong): at the largest shapes almost every draw has some, and no question could be found.
  const allowed = (n: number) => (n > LARGE_PART ? Math.floor(n * largePartShare) : 0);
  const straddling = (p: PartRanges) => p.entries.filter((e) => !(e.lo === 0 && e.hi === 0) && e.lo <= 0 && e.hi >= 0).length;
  if (parts.some((p) => straddling(p) > allowed(p.entries.length))) broken.push('indiscriminate-range');
  if (ranges.errors && PART_IDS.some((id) => ranges.errors![id].some((e) => !e.distinguishable))) broken.push('error-overlap');
  return broken;
}
