/**
 * The one rounding rule of the tool: a double is read as the decimal it stands for and
 * rounded to N significant figures, half away from zero, as a student's calculator does.
 *
 * "The decimal it stands for" is the double's value to 15 significant figures: every decimal
 * of at most 15 figures survives a round trip through a double, so arithmetic noise is
 * dropped (0.412 + 0.493 + 3.9 is the double 4.80499999999999971578…, read as 4.805 and
 * rounded to 4.81, where toPrecision(3) on the binary value gives 4.80).
 */

/** A rounded value as decimal digits: sign × 0.d₁d₂…dₙ × 10^(exponent+1), i.e. d₁ has place 10^exponent. */
export interface RoundedDecimal {
  negative: boolean;
  /** exactly `digits` decimal digits, the first non-zero */
  digits: string;
  /** power of ten of the first digit */
  exponent: number;
}

/** null for 0 and non-finite values (they have no significant figures). */
export function roundDecimal(value: number, digits: number): RoundedDecimal | null {
  if (value === 0 || !Number.isFinite(value)) return null;
  const [mantissa, exponentText] = Math.abs(value).toExponential(14).split('e');
  const figures = mantissa.replace('.', '');
  let exponent = Number(exponentText);
  let kept = figures.slice(0, digits).padEnd(digits, '0');
  if (digits < figures.length && figures[digits] >= '5') {
    // Add one unit in the last kept place; 9.995 → 10.0 moves the exponent.
    const bumped = (BigInt(kept) + 1n).toString();
    if (bumped.length > digits) {
      kept = bumped.slice(0, digits);
      exponent += 1;
    } else kept = bumped;
  }
  return { negative: value < 0, digits: kept, exponent };
}

/** The rounded value as plain decimal text, trailing zeros kept ("0.310", "12300"); 0 as "0". */
export function roundedText(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  const r = roundDecimal(value, digits);
  if (!r) return '0';
  const sign = r.negative ? '-' : '';
  if (r.exponent < 0) return `${sign}0.${'0'.repeat(-r.exponent - 1)}${r.digits}`;
  if (r.exponent >= digits - 1) return `${sign}${r.digits}${'0'.repeat(r.exponent - digits + 1)}`;
  return `${sign}${r.digits.slice(0, r.exponent + 1)}.${r.digits.slice(r.exponent + 1)}`;
}

/** The rounded value as a number: what a student who follows the rule writes down. */
export function roundSignificantDecimal(value: number, digits: number): number {
  const fast = roundClearOfTies(value, digits);
  if (fast !== undefined) return fast;
  const r = roundDecimal(value, digits);
  if (!r) return value === 0 ? 0 : value;
  return Number(`${r.negative ? '-' : ''}${r.digits[0]}.${r.digits.slice(1)}e${r.exponent}`);
}

/** One unit in the last place of the value rounded to `digits` (0.09996 → 0.100 → 0.001); 0 for 0. */
export function lastPlaceUnit(value: number, digits: number): number {
  const r = roundDecimal(value, digits);
  return r ? Number(`1e${r.exponent - digits + 1}`) : 0;
}

/**
 * The same rounding in arithmetic when the value is clear of a tie (the common case, and
 * hot in the marking passes): k / 10^n and k × 10^n with exact powers of ten are correctly
 * rounded, so they give the very double that parsing the decimal text gives.
 */
function roundClearOfTies(value: number, digits: number): number | undefined {
  const m = Math.abs(value);
  if (!(m > 1e-300) || m > 1e21) return undefined;
  let e = Math.floor(Math.log10(m));
  if (10 ** e > m) e--;
  else if (10 ** (e + 1) <= m) e++;
  const n = digits - 1 - e; // decimal places kept
  if (n > 22 || n < -22) return undefined;
  const scaled = n >= 0 ? m * 10 ** n : m / 10 ** -n;
  const fraction = scaled - Math.floor(scaled);
  if (Math.abs(fraction - 0.5) < 1e-6) return undefined;
  const k = Math.round(scaled);
  const result = n >= 0 ? k / 10 ** n : k * 10 ** -n;
  return value < 0 ? -result : result;
}
