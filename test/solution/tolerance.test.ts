import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRnnParams, solveRnn, type RnnParams } from '../../src/engine/index.ts';
import { flattenQuantity, PART_IDS, partQuantities } from '../../src/solution/final-answers.ts';
import { roundSignificant } from '../../src/solution/format-number.ts';
import { acceptedRanges, honestPaths, isWithinRange, lastDigitUnit, roundedPathSolution } from '../../src/solution/tolerance.ts';
import { randomParams, smallIntegerParams, type Sizes } from '../helpers/random-params.ts';


const EXAM: Sizes = { input: 3, hidden: 3, output: 3, T: 3 };
const OTHER_SIZES: Sizes[] = [
  { input: 1, hidden: 1, output: 2, T: 1 },
  { input: 2, hidden: 4, output: 3, T: 5 },
  { input: 5, hidden: 2, output: 4, T: 2 },
];

/** Every draw the property tests run over: 2 × (60 + 3·10) small-integer + 2 × 4·15 real = 300. */
function draws(): Array<{ name: string; params: RnnParams; gradientStep: number; digits: number }> {
  const out: Array<{ name: string; params: RnnParams; gradientStep: number; digits: number }> = [];
  for (const reduction of ['mean', 'sum'] as const) {
    const add = (name: string, params: RnnParams, i: number) =>
      out.push({ name, params, gradientStep: i % params.x.length, digits: [3, 3, 2, 4][i % 4] });
    for (let i = 0; i < 60; i++) add(`int exam ${reduction} ${i}`, smallIntegerParams(`int exam ${reduction} ${i}`, EXAM, reduction), i);
    for (const s of OTHER_SIZES) {
      for (let i = 0; i < 10; i++) add(`int ${JSON.stringify(s)} ${reduction} ${i}`, smallIntegerParams(`int ${JSON.stringify(s)} ${reduction} ${i}`, s, reduction), i);
    }
    for (const s of [EXAM, ...OTHER_SIZES]) {
      for (let i = 0; i < 15; i++) add(`real ${JSON.stringify(s)} ${reduction} ${i}`, randomParams(`real ${JSON.stringify(s)} ${reduction} ${i}`, s, reduction), i);
    }
  }
  return out;
}

function sixPartEntries(forward: Parameters<typeof partQuantities>[1], grad: Parameters<typeof partQuantities>[2], step: number) {
  return PART_IDS.flatMap((id) => partQuantities(id, forward, grad, step).flatMap(flattenQuantity));
}

describe('the rounded path', () => {
  it('with many figures it is the full-precision solution', () => {
    for (const { params } of draws().slice(0, 40)) {
      const full = solveRnn(params), path = roundedPathSolution(params, 15);
      const a = sixPartEntries(full.forward, full.grad, 0), b = sixPartEntries(path.forward, path.grad, 0);
      a.forEach((e, i) => expect(Math.abs(e.value - b[i].value), e.name).toBeLessThan(1e-9 * Math.max(1, Math.abs(e.value))));
    }
  });

  it('redoes the sample sheet by hand: rounded h_0 carried into hbar_1', () => {
    const p = parseRnnParams(JSON.parse(readFileSync(new URL('../engine/fixtures/sample-params.json', import.meta.url), 'utf8')));
    const { forward } = roundedPathSolution(p, 3);
    expect(forward.h[0]).toEqual([-0.762, 0, 0.964]);
    // W h_0 + U x_1 + b = [-0.762 - 0.964 + 1, 2(-0.762) + 1 + 1, ...]: 0.476, where full precision gives 0.477
    expect(forward.hbar[1].slice(0, 2)).toEqual([-0.726, 0.476]);
    expect(forward.loss).toEqual([0.176, 0.311, 5.56]);
    expect(forward.L).toBe(2.02);
  });
});

describe('accepted ranges', () => {
  it('lastDigitUnit is one unit of the last digit shown', () => {
    expect(lastDigitUnit(2.0144, 3)).toBeCloseTo(0.01, 15);
    expect(lastDigitUnit(-0.000386, 3)).toBeCloseTo(0.000001, 18);
    expect(lastDigitUnit(0.09996, 3)).toBeCloseTo(0.001, 15); // shown as 0.100
    expect(lastDigitUnit(0, 3)).toBe(0);
  });

  it('isWithinRange keeps answers on a bound, rejects outside and non-numbers', () => {
    expect(isWithinRange(0.3, { low: 0.1 + 0.2, high: 1 })).toBe(true);
    expect(isWithinRange(0.299, { low: 0.3, high: 1 })).toBe(false);
    expect(isWithinRange(0, { low: 0, high: 0 })).toBe(true);
    expect(isWithinRange(0.001, { low: 0, high: 0 })).toBe(false);
    expect(isWithinRange(Number.NaN, { low: -1, high: 1 })).toBe(false);
  });

  const all = draws();
  it(`hold every honest answer, the full value, and at least ±1 last-digit unit (${all.length} draws)`, () => {
    let maxUnits = 0;
    for (const { name, params, gradientStep, digits } of all) {
      const ranges = acceptedRanges(params, gradientStep, digits);
      const full = solveRnn(params);
      const names = sixPartEntries(full.forward, full.grad, gradientStep).map((e) => e.name);
      expect([...ranges.keys()], name).toEqual(names);
      for (const path of honestPaths(params, digits)) {
        expect(path.digits === digits || path.digits === digits + 1).toBe(true);
        for (const e of sixPartEntries(path.solution.forward, path.solution.grad, gradientStep)) {
          const range = ranges.get(e.name)!;
          expect(isWithinRange(e.value, range), `${name} ${e.name} path ${path.digits}`).toBe(true);
          expect(isWithinRange(roundSignificant(e.value, digits), range), `${name} ${e.name} written`).toBe(true);
        }
      }
      for (const [entry, range] of ranges) {
        expect(isWithinRange(range.value, range), `${name} ${entry}`).toBe(true);
        const u = lastDigitUnit(range.value, digits);
        expect(range.low, `${name} ${entry}`).toBeLessThanOrEqual(range.value - u);
        expect(range.high, `${name} ${entry}`).toBeGreaterThanOrEqual(range.value + u);
        if (range.value !== 0) {
          expect(u).toBeGreaterThan(0);
          maxUnits = Math.max(maxUnits, (range.high - range.low) / 2 / u);
        }
      }
    }
    // Carried rounding really moves answers beyond ±1 unit. (It can move them by hundreds of
    // units where an entry is tiny next to its part, e.g. under saturated tanh where an
    // honest 1 - 1.00² = 0 makes a gradient 0, so no upper bound is asserted.)
    expect(maxUnits).toBeGreaterThan(2);
  });

  it('structural zeros stay exactly zero', () => {
    const p = parseRnnParams(JSON.parse(readFileSync(new URL('../engine/fixtures/sample-params.json', import.meta.url), 'utf8')));
    const ranges = acceptedRanges(p, 1, 3);
    for (const name of ['h_0[1]', 'dL/dU[0][2]', 'dL/dU[1][2]', 'dL/dU[2][2]']) {
      expect(ranges.get(name), name).toEqual({ value: 0, low: 0, high: 0 });
    }
  });
});

describe('the sample sheet (mean loss)', () => {
  const p = parseRnnParams(JSON.parse(readFileSync(new URL('../engine/fixtures/sample-params.json', import.meta.url), 'utf8')));
  const ranges = acceptedRanges(p, 1, 3);
  const get = (name: string) => ranges.get(name)!;

  it('accepts the sheet\'s L = 2.01 and the honest hand value 2.02, not the summed 6.04', () => {
    const L = get('L');
    expect(Math.abs(L.value - 2.0143769752759404)).toBeLessThan(1e-6);
    expect(isWithinRange(2.01, L)).toBe(true);
    expect(isWithinRange(2.02, L)).toBe(true);
    expect(isWithinRange(6.04, L)).toBe(false);
    expect(L.low).toBeCloseTo(L.value - 0.01, 12);
    expect(L.high).toBeCloseTo(L.value + 0.01, 12);
  });

  it('widens dL/dh_1 and dL/dU where carried rounding moves the answer, and rejects the summed-loss gradient', () => {
    // dL/dh_1[1] = -1.0473 (shows -1.05); the honest path writes -1.04: inside ±0.01
    expect(isWithinRange(-1.04, get('dL/dh_1[1]'))).toBe(true);
    // dL/dU[0][0] = -0.3145 (shows -0.315); the honest path writes -0.310, 4.5 units away
    const u00 = get('dL/dU[0][0]');
    expect(u00.high).toBe(-0.31);
    expect(isWithinRange(-0.31, u00)).toBe(true);
    expect(isWithinRange(-0.305, u00)).toBe(false);
    // the summed-loss answers are three times larger
    expect(isWithinRange(-2.76, get('dL/dh_1[0]'))).toBe(false);
    expect(isWithinRange(0.832, get('dL/dV[0][0]'))).toBe(false);
  });

  it('shows a few ranges', () => {
    const shown = ['L', 'dL/dh_1[0]', 'dL/dV[0][2]', 'dL/dU[0][0]'].map((n) => {
      const r = get(n);
      return `${n}: ${r.value.toPrecision(5)} in [${r.low.toPrecision(5)}, ${r.high.toPrecision(5)}]`;
    });
    expect(shown).toMatchInlineSnapshot(`
      [
        "L: 2.0144 in [2.0044, 2.0244]",
        "dL/dh_1[0]: -0.91885 in [-0.91985, -0.91600]",
        "dL/dV[0][2]: 0.16022 in [0.15900, 0.16122]",
        "dL/dU[0][0]: -0.31451 in [-0.31800, -0.31000]",
      ]
    `);
  });
});
