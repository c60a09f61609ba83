import type { RnnQuestionConfig } from '../config/exam-schema.ts';
import { backpropThroughTime, forwardPassWithBounds, solveRnn, type RnnParams, type RnnSolution } from '../engine/index.ts';
import { RnnExamError } from '../errors.ts';
import { drawMatrix, drawVector } from './draw-values.ts';
import { correctRanges, withErrorRanges, type MarkingRanges } from '../marking/marking-ranges.ts';
import { checkAnswers, checkForward, checkRanges, checkStructure, QUALITY_RULES, type QualityRule } from './quality-checks.ts';

export interface Draw {
  params: RnnParams;
  solution: RnnSolution;
  /** how many candidates were drawn, this one included */
  attempts: number;
  rejections: Partial<Record<QualityRule, number>>;
  /** the accepted ranges the range rules were checked on (the marking key reuses them) */
  ranges: MarkingRanges;
}

/** One candidate, always consuming the stream in the same order: U, W, V, b, c, x, y. */
export function drawCandidate(rng: () => number, rnn: RnnQuestionConfig): RnnParams {
  const { input, hidden, output, T } = rnn.sizes;
  const d = rnn.draw;
  return {
    U: drawMatrix(rng, d.U, hidden, input),
    W: drawMatrix(rng, d.W, hidden, hidden),
    V: drawMatrix(rng, d.V, output, hidden),
    b: drawVector(rng, d.b, hidden),
    c: drawVector(rng, d.c, output),
    x: drawMatrix(rng, d.x, T, input),
    y: Array.from({ length: T }, () => Math.floor(rng() * output)),
    lossReduction: rnn.lossReduction,
  };
}

/**
 * Draws candidates from one stream until one passes every quality rule. Deterministic: the
 * same stream always yields the same accepted draw.
 */
export function drawParameters(rng: () => number, rnn: RnnQuestionConfig, source = 'exam config'): Draw {
  const rejections: Partial<Record<QualityRule, number>> = {};
  for (let attempts = 1; attempts <= rnn.quality.maxAttempts; attempts++) {
    const params = drawCandidate(rng, rnn);
    // Cheapest rules first: most candidates fail before anything is solved. The rules see the
    // raw floating-point values (an answer that is 0 only by cancellation is rejected); the
    // accepted draw is then solved with its rounding noise removed, for display.
    let broken = checkStructure(params);
    let solution: RnnSolution | undefined;
    let ranges: MarkingRanges | undefined;
    if (broken.length === 0) {
      const { forward, bounds } = forwardPassWithBounds(params, { removeNoise: false });
      broken = checkForward(forward, rnn);
      if (broken.length === 0) {
        solution = { forward, grad: backpropThroughTime(params, forward, { removeNoise: false }, bounds) };
        broken = checkAnswers(solution, rnn);
        if (broken.length === 0) {
          // The dearest rule last: ranges are built only for a question that passes the rest.
          // The correct ranges first (one pass); the common errors' only for a question that passes.
          const base = correctRanges(params, rnn.gradientStep, rnn.significantFigures);
          broken = checkRanges(base, rnn.quality.largePartIndiscriminate);
          if (broken.length === 0) {
            ranges = withErrorRanges(params, rnn.gradientStep, rnn.significantFigures, base);
            broken = checkRanges(ranges, rnn.quality.largePartIndiscriminate);
          }
        }
      }
    }
    if (broken.length === 0) return { params, solution: solveRnn(params), attempts, rejections, ranges: ranges! };
    for (const rule of broken) rejections[rule] = (rejections[rule] ?? 0) + 1;
  }
  const worst = (Object.entries(rejections) as Array<[QualityRule, number]>).sort((a, b) => b[1] - a[1]);
  throw new RnnExamError({
    where: `${source}: rnn.quality`,
    what: `no acceptable question in ${rnn.quality.maxAttempts} draws; rejected for ${worst.map(([rule, n]) => `${rule} ×${n} (${QUALITY_RULES[rule]})`).join('; ')}`,
    fix: 'narrow the ranges in rnn.draw (smaller values keep tanh and softmax away from saturation), or relax rnn.quality (e.g. raise maxAbsHbar or maxProbability, lower roundingMargin), or raise quality.maxAttempts',
  });
}
