import { describe, expect, it } from 'vitest';
import { solveRnn } from '../../src/engine/index.ts';
import { numericIntermediateGradient, numericParamGradient, referenceLoss } from '../helpers/reference-rnn.ts';
import { randomParams } from '../helpers/random-params.ts';

const SIZES = [
  { input: 3, hidden: 3, output: 3, T: 3 },
  { input: 1, hidden: 1, output: 2, T: 1 },
  { input: 2, hidden: 4, output: 3, T: 5 },
  { input: 5, hidden: 2, output: 4, T: 2 },
  { input: 4, hidden: 5, output: 2, T: 7 },
];

function expectClose(actual: number, expected: number, what: string) {
  const tolerance = 1e-7 + 1e-6 * Math.abs(expected);
  expect(Math.abs(actual - expected), `${what}: engine ${actual}, finite difference ${expected}`).toBeLessThan(tolerance);
}

describe('BPTT gradients agree with central finite differences of an independent loss', () => {
  for (const lossReduction of ['mean', 'sum'] as const) {
    for (const sizes of SIZES) {
      for (let draw = 0; draw < 6; draw++) {
        const name = `${lossReduction} ${sizes.input}-${sizes.hidden}-${sizes.output} T=${sizes.T} draw ${draw}`;
        it(name, () => {
          const p = randomParams(name, sizes, lossReduction);
          const { forward, grad } = solveRnn(p);
          expectClose(forward.L, referenceLoss(p), 'L');
          for (const key of ['U', 'W', 'V'] as const) {
            grad[key].forEach((row, i) => row.forEach((g, j) => expectClose(g, numericParamGradient(p, key, i, j), `d${key}[${i}][${j}]`)));
          }
          for (const key of ['b', 'c'] as const) {
            grad[key].forEach((g, i) => expectClose(g, numericParamGradient(p, key, i), `d${key}[${i}]`));
          }
          for (const quantity of ['z', 'h', 'hbar'] as const) {
            grad[quantity].forEach((v, t) => v.forEach((g, i) => expectClose(g, numericIntermediateGradient(p, quantity, t, i), `d${quantity}_${t}[${i}]`)));
          }
          // the two paths into h_t add up to the total
          grad.h.forEach((v, t) => v.forEach((g, i) => expectClose(grad.hFromOutput[t][i] + grad.hFromNext[t][i], g, `split dh_${t}[${i}]`)));
        });
      }
    }
  }
});

describe('forward pass', () => {
  it('keeps softmax finite and exact for huge logits', () => {
    const p = { U: [[1]], W: [[0]], V: [[800], [-800]], b: [0], c: [0, 0], x: [[5]], y: [1], lossReduction: 'sum' as const };
    const { forward, grad } = solveRnn(p);
    expect(forward.yhat[0].every(Number.isFinite)).toBe(true);
    expect(forward.loss[0]).toBeCloseTo(1600 * Math.tanh(5), 6);
    expect(grad.V.flat().every(Number.isFinite)).toBe(true);
  });

  it('divides by T for the mean and not for the sum', () => {
    const p = randomParams('mean-vs-sum', SIZES[2], 'sum');
    const sum = solveRnn(p);
    const mean = solveRnn({ ...p, lossReduction: 'mean' });
    expect(mean.forward.L * 5).toBeCloseTo(sum.forward.L, 12);
    expect(mean.grad.U[1][0] * 5).toBeCloseTo(sum.grad.U[1][0], 12);
  });
});
