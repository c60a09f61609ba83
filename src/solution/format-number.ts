/**
 * Display rounding. Internally every number is a full double; only what is shown is
 * rounded, to `digits` significant figures, half away from zero on the double's exact
 * value (what Number.prototype.toPrecision does), trailing zeros kept (0.310), no
 * exponent notation, and -0 shown as 0.
 */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const text = value.toPrecision(digits);
  if (!text.includes('e')) return text === '-0' ? '0' : text;
  // Large or tiny magnitudes: write the rounded value out in plain decimals.
  const rounded = Number(text);
  const exponent = Math.floor(Math.log10(Math.abs(rounded)));
  const decimals = Math.max(0, digits - 1 - exponent);
  return rounded.toFixed(Math.min(decimals, 100));
}

/** The rounded value itself, as a number (what a student who follows the rule writes). */
export function roundSignificant(value: number, digits = 3): number {
  return Number(formatSignificant(value, digits));
}

/** Fixed decimal places, the same tie rule, -0 as 0. */
export function formatFixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

export const ROUNDING_CONVENTION = (digits: number) =>
  `Give every answer to ${digits} significant figures (e.g. 0.310, \u22122.76, 5.56), rounding half away from zero; ` +
  `round only the numbers you write down, and carry them forward as written.`;
