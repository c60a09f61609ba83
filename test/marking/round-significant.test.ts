import { describe, expect, it } from 'vitest';
import { lastPlaceUnit, roundedText, roundSignificantDecimal } from '../../src/marking/round-significant.ts';

describe('decimal rounding, half away from zero', () => {
  it('rounds the decimal a sum stands for, not its binary double', () => {
    const sum = 0.412 + 0.493 + 3.9;
    expect(sum.toPrecision(3)).toBe('4.80'); // what the binary value gives
    expect(roundedText(sum, 3)).toBe('4.81');
    expect(roundSignificantDecimal(sum, 3)).toBe(4.81);
    expect(roundedText(-sum, 3)).toBe('-4.81');
  });

  it('ties go away from zero at every magnitude, and carries move the exponent', () => {
    expect(roundedText(0.0125, 2)).toBe('0.013');
    expect(roundedText(-0.0125, 2)).toBe('-0.013');
    expect(roundedText(1.005, 3)).toBe('1.01'); // 1.00499999999999989… as a double
    expect(roundedText(2.675, 3)).toBe('2.68');
    expect(roundedText(9.995, 3)).toBe('10.0');
    expect(roundedText(-0.09996, 3)).toBe('-0.100');
    expect(roundedText(12345, 3)).toBe('12300');
    expect(roundedText(0.000123456, 3)).toBe('0.000123');
    expect(roundedText(0.31, 3)).toBe('0.310');
  });

  it('zero and non-finite values', () => {
    expect(roundedText(0, 3)).toBe('0');
    expect(roundedText(-0, 3)).toBe('0');
    expect(roundedText(Number.NaN, 3)).toBe('NaN');
    expect(roundSignificantDecimal(0, 3)).toBe(0);
  });

  it('agrees with exact decimal rounding on random decimals with a tie digit', () => {
    for (let i = 0; i < 2000; i++) {
      const k = 1000 + ((i * 7919) % 9000); // 4-figure integers
      const value = Number(`${(k / 1000).toFixed(3)}5`); // 1.2345: a tie at the 5th figure
      const expected = (k + 1) / 1000;
      expect(roundSignificantDecimal(value, 4)).toBeCloseTo(expected, 12);
    }
  });

  it('lastPlaceUnit is one unit of the last figure of the rounded value', () => {
    expect(lastPlaceUnit(2.0144, 3)).toBe(0.01);
    expect(lastPlaceUnit(0.09996, 3)).toBe(0.001);
    expect(lastPlaceUnit(0, 3)).toBe(0);
  });
});

describe('the arithmetic fast path', () => {
  it('gives the same double as rounding the decimal text, over many magnitudes', async () => {
    const { roundDecimal } = await import('../../src/marking/round-significant.ts');
    let seed = 7;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 20000; i++) {
      const value = (next() - 0.5) * 10 ** Math.floor(next() * 16 - 8);
      const digits = 2 + Math.floor(next() * 5);
      const r = roundDecimal(value, digits);
      const viaText = r ? Number(`${r.negative ? '-' : ''}${r.digits[0]}.${r.digits.slice(1)}e${r.exponent}`) : 0;
      expect(roundSignificantDecimal(value, digits)).toBe(viaText);
    }
  });
});
