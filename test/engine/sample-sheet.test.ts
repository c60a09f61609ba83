import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRnnParams, solveRnn } from '../../src/engine/index.ts';
import { formatSignificant } from '../../src/solution/format-number.ts';
import { numericParamGradient, type PlainParams } from '../helpers/reference-rnn.ts';

/**
 * ../shared/reference/sample-answer-sheet.md is one student's work for the parameters in
 * sample-params.json. It defines L as the mean of l_t but differentiates the sum. Its long
 * decimals were computed from rounded intermediates, so they agree with full precision to
 * about 6 significant figures; its ≈ answers are 3 significant figures.
 */
const sheetParams = JSON.parse(readFileSync(new URL('./fixtures/sample-params.json', import.meta.url), 'utf8'));
const sumParams = parseRnnParams({ ...sheetParams, lossReduction: 'sum' });
const meanParams = parseRnnParams(sheetParams);

function expectSixFigures(actual: number[], sheet: number[]) {
  actual.forEach((a, i) => expect(Math.abs(a - sheet[i]), `entry ${i}: ${a} vs sheet ${sheet[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(sheet[i]))));
}
const rounded = (values: number[]) => values.map((v) => formatSignificant(v, 3));

describe('the sample answer sheet', () => {
  const sum = solveRnn(sumParams);
  const mean = solveRnn(meanParams);

  it('3.1 hidden states', () => {
    expectSixFigures(sum.forward.h[0], [-0.76159416762, 0, 0.96402758]);
    expectSixFigures(sum.forward.h[1], [-0.62037946, 0.44368657, -0.97906084]);
    expectSixFigures(sum.forward.h[2], [0.99758347, -0.66239687, 0.48438043]);
    expect(rounded(sum.forward.hbar[1])).toEqual(['-0.726', '0.477', '-2.27']);
    expect(rounded(sum.forward.hbar[2])).toEqual(['3.36', '-0.797', '0.529']);
  });

  it('3.2 outputs', () => {
    expectSixFigures(sum.forward.yhat[0], [0.08854891, 0.07232151, 0.83912957]);
    expectSixFigures(sum.forward.yhat[1], [0.06102426, 0.73368879, 0.20528695]);
    expectSixFigures(sum.forward.yhat[2], [0.93940335, 0.05674045, 0.00385621]);
    expect(rounded(sum.forward.z[0])).toEqual(['-0.523', '-0.726', '1.73']);
  });

  it('3.3 losses and the mean loss L', () => {
    expectSixFigures(sum.forward.loss, [0.17539015058878907, 0.3096703321031836, 5.558070443135849]);
    expect(rounded(sum.forward.loss)).toEqual(['0.175', '0.310', '5.56']);
    expect(Math.abs(mean.forward.L - 2.0143769752759404)).toBeLessThan(1e-6);
    expect(formatSignificant(mean.forward.L)).toBe('2.01');
  });

  it('3.4 dL/dh_1 with the summed loss the sheet used', () => {
    expectSixFigures(sum.grad.h[1], [-2.7565646, -3.1419743, -0.34840563]);
    expect(rounded(sum.grad.h[1])).toEqual(['-2.76', '-3.14', '-0.348']);
    // and for L as the sheet defines it (the mean), a third of that
    expect(rounded(mean.grad.h[1])).toEqual(['-0.919', '-1.05', '-0.116']);
  });

  it('3.5 dL/dV with the summed loss', () => {
    const sheet = [[0.83183672, -0.5951822, 0.48064573], [0.16673769, -0.1557434, 0.35793877], [-0.99857442, 0.7509256, -0.8385845]];
    sum.grad.V.forEach((row, i) => expectSixFigures(row, sheet[i]));
    expect(sum.grad.V.map(rounded)).toEqual([['0.832', '-0.595', '0.481'], ['0.167', '-0.156', '0.358'], ['-0.999', '0.751', '-0.839']]);
  });

  it('3.6 the sheet\'s dL/dU is wrong; the correct value is pinned from finite differences', () => {
    // Pinned from central differences of an independent loss (the check below recomputes them).
    const correctSumU = [[-0.9435272195, 0.9718310020, 0], [-1.9803535803, -1.2466655333, 0], [-0.6891106260, -0.9225931792, 0]];
    const plain = { ...sumParams } as PlainParams;
    correctSumU.forEach((row, i) => row.forEach((value, j) => {
      expect(Math.abs(numericParamGradient(plain, 'U', i, j) - value)).toBeLessThan(1e-8);
      expect(Math.abs(sum.grad.U[i][j] - value)).toBeLessThan(1e-9);
    }));
    const sheetU = [['0.696', '-0.678', '0'], ['-1.84', '-1.62', '0'], ['-0.431', '-0.375', '0']];
    expect(sum.grad.U.map(rounded)).not.toEqual(sheetU);
    expect(sum.grad.U.map(rounded)).toEqual([['-0.944', '0.972', '0'], ['-1.98', '-1.25', '0'], ['-0.689', '-0.923', '0']]);
    expect(mean.grad.U.map(rounded)).toEqual([['-0.315', '0.324', '0'], ['-0.660', '-0.416', '0'], ['-0.230', '-0.308', '0']]);
  });
});
