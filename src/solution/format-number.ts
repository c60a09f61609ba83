import { roundedText, roundSignificantDecimal } from '../marking/round-significant.ts';

/**
 * Display rounding. Internally every number is a full double; only what is shown is
 * rounded, to `digits` significant figures, half away from zero on the decimal value
 * (src/marking/round-significant.ts), trailing zeros kept (0.310), no exponent notation,
 * and -0 shown as 0.
 */
export function formatSignificant(value: number, digits = 3): string {
  return roundedText(value, digits);
}

/** The rounded value itself, as a number (what a student who follows the rule writes). */
export function roundSignificant(value: number, digits = 3): number {
  return roundSignificantDecimal(value, digits);
}

/** Fixed decimal places, the same tie rule, -0 as 0. */
export function formatFixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

export const ROUNDING_CONVENTION = (digits: number) =>
  `Give every answer to ${digits} significant figures (e.g. 0.310, \u22122.76, 5.56), rounding half away from zero; ` +
  `round only the numbers you write down, and carry them forward as written.`;
