import type { Matrix, Vector } from '../engine/index.ts';
import { formatSignificant } from './format-number.ts';

/**
 * What a line of mathematics holds in a view model: symbolic pieces as TeX (typeset with
 * KaTeX) and numeric matrices as already-formatted strings (laid out with HTML/CSS, which
 * prints far faster than KaTeX for grids of numbers).
 */
export type MathToken =
  | { kind: 'tex'; tex: string }
  | { kind: 'matrix'; rows: string[][]; style?: 'answer' | 'range' | 'scalar' | 'range scalar' }
  /** tokens kept together on one line: between parentheses that stretch to their height, or a label with its value */
  | { kind: 'group'; tokens: MathToken[]; style: 'paren' | 'labelled' | 'product' };

/** A displayed equation: `lhs rel rhs`, where continuation lines leave lhs empty. */
export interface MathLine { lhs: MathToken[]; rel: string; rhs: MathToken[] }

export const tex = (source: string): MathToken => ({ kind: 'tex', tex: source });

/** Given numbers (the question's own) shown exactly as drawn. */
export const givenMatrix = (M: Matrix): MathToken => ({ kind: 'matrix', rows: M.map((row) => row.map(formatGiven)) });
export const givenColumn = (v: Vector): MathToken => ({ kind: 'matrix', rows: v.map((x) => [formatGiven(x)]) });

export function formatGiven(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/**
 * A computed number for display: an exact integer (U x_t + b from integer data, 1 - h² at h = 0,
 * an exact 0) as the integer it is, like the data beside it; any other value to `digits`
 * significant figures. (Noise is the engine's business: rounding-noise.ts.)
 */
export function formatComputed(x: number, digits: number): string {
  // With decimal data an exact integer arrives as, e.g., -0.9999999999999999 (0.1 is not a double).
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) <= 1e-12 * Math.max(1, Math.abs(x)) && Math.abs(nearest) < 10 ** digits) return nearest === 0 ? '0' : String(nearest);
  return formatSignificant(x, digits);
}

/** Computed numbers rounded for display. */
export const column = (v: Vector, digits: number, style?: 'answer'): MathToken =>
  ({ kind: 'matrix', rows: v.map((x) => [formatComputed(x, digits)]), style });
export const row = (v: Vector, digits: number): MathToken =>
  ({ kind: 'matrix', rows: [v.map((x) => formatComputed(x, digits))] });
export const matrix = (M: Matrix, digits: number, style?: 'answer'): MathToken =>
  ({ kind: 'matrix', rows: M.map((r) => r.map((x) => formatComputed(x, digits))), style });
/** A matrix times a vector (or a column times a row): a long line wraps at its + signs, never inside a product. */
export const product = (...tokens: MathToken[]): MathToken => ({ kind: 'group', tokens, style: 'product' });
export const parenthesised = (tokens: MathToken[]): MathToken => ({ kind: 'group', tokens, style: 'paren' });
export const labelled = (label: string, value: MathToken): MathToken => ({ kind: 'group', tokens: [tex(`\\text{${label}}`), value], style: 'labelled' });

/** Full precision for the "exact value" column: 10 significant figures, trailing zeros dropped. */
export function formatFull(x: number): string {
  if (x === 0) return '0';
  return String(Number(x.toPrecision(10)));
}
export const fullValue = (value: number | Vector | Matrix): MathToken => {
  if (typeof value === 'number') return { kind: 'matrix', rows: [[formatFull(value)]], style: 'scalar' };
  if (typeof value[0] === 'number') return { kind: 'matrix', rows: (value as Vector).map((x) => [formatFull(x)]) };
  return { kind: 'matrix', rows: (value as Matrix).map((r) => r.map(formatFull)) };
};

/**
 * A matrix wider than 4 columns of long numbers (accepted ranges, full values) does not fit
 * the page at 8 columns: it is cut into blocks of 4 columns, each labelled, one under another.
 */
const COLUMN_BLOCK = 4;
export function inColumnBlocks(token: MathToken, label = ''): MathToken[] {
  if (token.kind !== 'matrix' || token.rows[0].length <= COLUMN_BLOCK) return label ? [labelled(label, token)] : [token];
  const cols = token.rows[0].length;
  return Array.from({ length: Math.ceil(cols / COLUMN_BLOCK) }, (_, b) => {
    const first = b * COLUMN_BLOCK, last = Math.min(cols, first + COLUMN_BLOCK);
    const block: MathToken = { ...token, rows: token.rows.map((r) => r.slice(first, last)) };
    return labelled(`${b === 0 && label ? `${label}, ` : ''}columns ${first + 1}\u2013${last}`, block);
  });
}

/** Rounded value of a scalar, vector (as a column) or matrix. */
export const roundedValue = (value: number | Vector | Matrix, digits: number): MathToken => {
  if (typeof value === 'number') return tex(formatComputed(value, digits));
  if (typeof value[0] === 'number') return column(value as Vector, digits, 'answer');
  return matrix(value as Matrix, digits, 'answer');
};

export const line = (lhs: MathToken[] | string, rhs: MathToken[], rel = '='): MathLine =>
  ({ lhs: typeof lhs === 'string' ? [tex(lhs)] : lhs, rel, rhs });
export const more = (rhs: MathToken[], rel = '='): MathLine => ({ lhs: [], rel, rhs });
