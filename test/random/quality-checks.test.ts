import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { solveRnn, type RnnParams } from '../../src/engine/index.ts';
import { drawCandidate, drawParameters } from '../../src/random/draw-parameters.ts';
import { checkDrawQuality, isNearRoundingBoundary, QUALITY_RULES, type QualityRule } from '../../src/random/quality-checks.ts';
import { randomStream } from '../../src/random/seed.ts';
import { formatSignificant } from '../../src/solution/format-number.ts';

const rnn = examConfigSchema.parse({ examId: 'Q' }).rnn;
const flatAbsMax = (values: number[]) => Math.max(...values.map(Math.abs));

describe('quality rules, independently re-checked over many thousands of candidates', () => {
  const rng = randomStream('quality-sweep', 'rnn');
  const fired: Partial<Record<QualityRule, number>> = {};
  let accepted = 0;
  const candidates = 6000;
  for (let i = 0; i < candidates; i++) {
    const p = drawCandidate(rng, rnn);
    const s = solveRnn(p);
    const broken = checkDrawQuality(p, s, rnn);
    for (const r of broken) fired[r] = (fired[r] ?? 0) + 1;
    // Independent statements of each rule, checked against what the sampler decided.
    const independent: Record<QualityRule, boolean> = {
      'degenerate-matrix': [p.U, p.W, p.V].some((M) => M.some((r) => r.every((v) => v === 0)) || M[0].some((_, j) => M.every((r) => r[j] === 0))),
      'degenerate-inputs': p.x.some((xt) => xt.every((v) => v === 0)) || [0, 1, 2].some((k) => p.x.every((xt) => xt[k] === 0)),
      'equal-targets': new Set(p.y).size === 1,
      'zero-hidden-state': s.forward.h.some((h) => h.every((v) => v === 0)),
      cancellation: broken.includes('cancellation'), // a rare floating-point event, asserted only through the accepted draws below
      'saturated-tanh': flatAbsMax(s.forward.hbar.flat()) > rnn.quality.maxAbsHbar,
      'one-hot-output': flatAbsMax(s.forward.yhat.flat()) > rnn.quality.maxProbability,
      'vanishing-gradient': [s.grad.h[1], s.grad.V.flat(), s.grad.U.flat()].some((g) => flatAbsMax(g) < rnn.quality.minGradient),
      'exploding-gradient': [s.grad.h[1], s.grad.V.flat(), s.grad.U.flat()].some((g) => flatAbsMax(g) > rnn.quality.maxGradient),
      'rounding-boundary': broken.includes('rounding-boundary'), // checked separately below
      // Range rules run in drawParameters only (test/marking/discriminating-ranges.test.ts).
      'indiscriminate-range': false,
      'error-overlap': false,
    };
    for (const rule of Object.keys(independent) as QualityRule[]) {
      if (!['rounding-boundary', 'cancellation', 'indiscriminate-range', 'error-overlap'].includes(rule) && independent[rule] !== broken.includes(rule)) {
        throw new Error(`candidate ${i}: rule ${rule} disagrees (sampler ${broken.includes(rule)}, independent ${independent[rule]})`);
      }
    }
    if (broken.length === 0) accepted++;
  }

  it('every structural and forward rule agrees with its independent statement', () => {
    expect(accepted).toBeGreaterThan(candidates * 0.005);
  });

  it('the sweep exercises every rule that the default config can break', () => {
    for (const rule of ['degenerate-matrix', 'degenerate-inputs', 'equal-targets', 'saturated-tanh', 'one-hot-output', 'rounding-boundary'] as QualityRule[]) {
      expect(fired[rule], rule).toBeGreaterThan(0);
    }
  });
});

describe('single rules on hand-made questions', () => {
  const good: RnnParams = {
    U: [[1, 0, -1], [0, 1, 1], [1, -1, 0]], W: [[0, 1, 0], [-1, 0, 1], [0, 0, 1]], V: [[1, -1, 0], [0, 1, -1], [-1, 0, 1]],
    b: [0, -1, 0], c: [0, 0, 1], x: [[1, 0, -1], [0, 1, 1], [-1, 1, 0]], y: [0, 2, 1], lossReduction: 'mean',
  };
  const broken = (p: RnnParams, config = rnn) => checkDrawQuality(p, solveRnn(p), { ...config, quality: { ...config.quality, roundingMargin: 0 } });

  it('a fair question passes', () => expect(broken(good)).toEqual([]));
  it('zero column in W', () => expect(broken({ ...good, W: [[0, 1, 0], [0, 0, 1], [0, 0, 1]] })).toContain('degenerate-matrix'));
  it('zero row in V', () => expect(broken({ ...good, V: [[1, -1, 0], [0, 0, 0], [-1, 0, 1]] })).toContain('degenerate-matrix'));
  it('all-zero input vector', () => expect(broken({ ...good, x: [[1, 0, -1], [0, 0, 0], [-1, 1, 0]] })).toContain('degenerate-inputs'));
  it('all-zero hidden state', () => expect(broken({ ...good, b: [-2, 1, -1] })).toContain('zero-hidden-state'));
  it('equal targets', () => expect(broken({ ...good, y: [1, 1, 1] })).toContain('equal-targets'));
  it('saturated tanh', () => expect(broken({ ...good, b: [3, 1, 0] })).toContain('saturated-tanh'));
  it('nearly one-hot softmax', () => expect(broken({ ...good, c: [0, 0, 9] })).toContain('one-hot-output'));
  it('vanishing gradient', () => expect(broken(good, { ...rnn, quality: { ...rnn.quality, minGradient: 5 } })).toContain('vanishing-gradient'));
  it('exploding gradient', () => expect(broken(good, { ...rnn, quality: { ...rnn.quality, maxGradient: 0.05 } })).toContain('exploding-gradient'));

  it('rounding boundary: a value that rounds differently within the margin', () => {
    expect(isNearRoundingBoundary(0.12350001, 3, 0.01)).toBe(true);
    expect(isNearRoundingBoundary(0.1237, 3, 0.01)).toBe(false);
    expect(isNearRoundingBoundary(0.09995 + 1e-9, 3, 0.01)).toBe(true);
    expect(isNearRoundingBoundary(0.099995, 3, 0.01)).toBe(false);
    expect(formatSignificant(0.12349, 3)).toBe('0.123');
  });
});

describe('unsatisfiable configs', () => {
  it('fail with the rejection counts and a fix, not a hang', () => {
    const impossible = examConfigSchema.parse({ examId: 'X', rnn: { draw: { b: { type: 'integer', min: 5, max: 6 } }, quality: { maxAttempts: 300 } } }).rnn;
    expect(() => drawParameters(randomStream('x', 'rnn'), impossible, 'exam.json'))
      .toThrow(/exam\.json: rnn\.quality: no acceptable question in 300 draws; rejected for saturated-tanh ×\d+.*Fix: narrow the ranges/s);
  });
});

it('lists a description for every rule', () => {
  for (const text of Object.values(QUALITY_RULES)) expect(text.length).toBeGreaterThan(10);
});
