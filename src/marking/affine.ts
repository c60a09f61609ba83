/**
 * First-order affine arithmetic: a quantity is  c + Σ a_k ε_k ± r, each ε_k an independent
 * error in [-1, 1] (one per rounding a student may make) and r a bound on everything else
 * (second-order terms of products, exp, tanh, log, 1/x). Unlike plain intervals it keeps
 * correlations: the same rounding of h_0 flowing into dL/dV by two paths adds up with its
 * sign, so ranges stay as tight as the rounding allows.
 */
import { roundSignificantDecimal } from './round-significant.ts';

export interface Form {
  /** the value when no rounding is made */
  c: number;
  /** coefficient of symbol k (missing = 0) */
  a: Float64Array;
  /** remainder bound, ≥ 0 */
  r: number;
}

const EMPTY = new Float64Array(0);
export const constant = (x: number): Form => ({ c: x, a: EMPTY, r: 0 });

/** Σ|a_k| + r: how far the quantity can move from its centre. */
export function radius(x: Form): number {
  let s = x.r;
  for (let k = 0; k < x.a.length; k++) s += Math.abs(x.a[k]);
  return s;
}

/** The values the quantity can take, widened for the doubles' own rounding. */
export function bounds(x: Form): { lo: number; hi: number } {
  const rad = radius(x) * (1 + 1e-9) + Math.abs(x.c) * 1e-13;
  return { lo: x.c - rad, hi: x.c + rad };
}

function combine(x: Form, sx: number, y: Form, sy: number): Float64Array {
  const n = Math.max(x.a.length, y.a.length);
  const a = new Float64Array(n);
  for (let k = 0; k < x.a.length; k++) a[k] = sx * x.a[k];
  if (sy !== 0) for (let k = 0; k < y.a.length; k++) a[k] += sy * y.a[k];
  return a;
}

/** Σ coef_i x_i in one pass (matrix-vector products and sums). */
export function linear(terms: Form[], coefs?: number[]): Form {
  let n = 0, c = 0, r = 0;
  for (let i = 0; i < terms.length; i++) if (terms[i].a.length > n) n = terms[i].a.length;
  const a = n === 0 ? EMPTY : new Float64Array(n);
  // Plain loops: this is the hot path of every pass.
  for (let i = 0; i < terms.length; i++) {
    const w = coefs ? coefs[i] : 1;
    if (w === 0) continue;
    const t = terms[i];
    c += w * t.c;
    r += Math.abs(w) * t.r;
    for (let k = 0; k < t.a.length; k++) a[k] += w * t.a[k];
  }
  return { c, a, r };
}

export const add = (x: Form, y: Form): Form => ({ c: x.c + y.c, a: combine(x, 1, y, 1), r: x.r + y.r });
export const sub = (x: Form, y: Form): Form => ({ c: x.c - y.c, a: combine(x, 1, y, -1), r: x.r + y.r });
export const scale = (x: Form, s: number): Form => (s === 0 ? constant(0) : { c: x.c * s, a: combine(x, s, x, 0), r: x.r * Math.abs(s) });

export function mul(x: Form, y: Form): Form {
  const rx = radius(x), ry = radius(y);
  if (rx === 0) return scale(y, x.c);
  if (ry === 0) return scale(x, y.c);
  return { c: x.c * y.c, a: combine(y, x.c, x, y.c), r: Math.abs(x.c) * y.r + Math.abs(y.c) * x.r + rx * ry };
}

/** f(x) linearised at the centre; `curvature(lo, hi)` bounds |f''| on [lo, hi]. */
function smooth(x: Form, f: (v: number) => number, df: (v: number) => number, curvature: (lo: number, hi: number) => number): Form {
  const rho = radius(x);
  if (rho === 0) return constant(f(x.c));
  const slope = df(x.c);
  const m2 = curvature(x.c - rho, x.c + rho);
  return { c: f(x.c), a: combine(x, slope, x, 0), r: Math.abs(slope) * x.r + 0.5 * m2 * rho * rho };
}

// |tanh''| = 2|tanh|(1 - tanh²) ≤ 4/(3√3)
export const tanh = (x: Form) => smooth(x, Math.tanh, (v) => 1 - Math.tanh(v) ** 2, () => 0.7699);
export const exp = (x: Form) => smooth(x, Math.exp, Math.exp, (_lo, hi) => Math.exp(hi));
/** ln x; unbounded when x may reach 0. */
export const log = (x: Form) => smooth(x, Math.log, (v) => 1 / v, (lo) => (lo > 0 ? 1 / (lo * lo) : Infinity));
/** 1/x for x > 0; unbounded when x may reach 0. */
export const reciprocal = (x: Form) => smooth(x, (v) => 1 / v, (v) => -1 / (v * v), (lo) => (lo > 0 ? 2 / lo ** 3 : Infinity));

/** One unit in the last of `digits` figures of any value of magnitude ≤ m once rounded. */
export function unitAtMost(m: number, digits: number): number {
  if (!(m > 0)) return 0;
  if (!Number.isFinite(m)) return Infinity;
  let e = Math.floor(Math.log10(m));
  if (10 ** e > m) e--;
  if (10 ** (e + 1) <= m) e++;
  let u = 10 ** (e - digits + 1);
  if (m + u / 2 >= 10 ** (e + 1)) u *= 10; // 0.9996 rounds to 1.00
  return u * (1 + 1e-12);
}

/**
 * The value both ends round to when [lo, hi] lies inside one rounding cell, clear of its
 * edges (so the doubles' own error cannot matter); undefined otherwise.
 */
function sameRoundingCell(lo: number, hi: number, digits: number): number | undefined {
  if (lo === hi) return roundSignificantDecimal(lo, digits);
  if (lo <= 0 && hi >= 0) return undefined;
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  const u = unitAtMost(m, digits);
  if (u !== unitAtMost(Math.min(Math.abs(lo), Math.abs(hi)), digits)) return undefined;
  const kLo = lo / u, kHi = hi / u;
  const cLo = Math.round(kLo), cHi = Math.round(kHi);
  const clear = (k: number, c: number) => Math.abs(Math.abs(k - c) - 0.5) > 1e-6;
  if (cLo !== cHi || !clear(kLo, cLo) || !clear(kHi, cHi)) return undefined;
  // The cell's value exactly as the rounding gives it (u carries a safety factor).
  return roundSignificantDecimal(lo, digits);
}

/** Allocates error symbols for one pass. */
export class Symbols {
  constructor(readonly digits: number, private count = 0) {}

  /** Symbols for a second pass that continues from this one (both may add their own). */
  fork(): Symbols {
    return new Symbols(this.digits, this.count);
  }

  /** x plus a new independent error of at most `size`. */
  withError(x: Form, size: number, shared: boolean): Form {
    if (size === 0 && (!shared || x.r === 0)) return x;
    // An error of a quantity used in one place cannot cancel anything: the remainder holds it
    // exactly as well as a symbol would, and costs nothing to carry.
    if (!shared) return { c: x.c, a: x.a, r: x.r + size };
    // A shared quantity's remainder joins its new symbol too, so every use moves together.
    const k = this.count++;
    const a = new Float64Array(k + 1);
    a.set(x.a);
    a[k] = size + x.r;
    return { c: x.c, a, r: 0 };
  }

  /**
   * What a student who follows the rule carries forward: the quantity as computed, or as
   * written (rounded to the paper's figures, off by at most half a unit in its last figure).
   * An exact quantity is carried as itself or its rounding, nothing in between. `shared`:
   * the quantity is used in more than one place, so its error keeps a symbol of its own.
   */
  maybeRounded(x: Form, shared = false): Form {
    const error = this.roundingError(x);
    if (error.lo === 0 && error.hi === 0) return shared ? this.withError(x, 0, true) : x;
    return this.withError({ c: x.c + (error.lo + error.hi) / 2, a: x.a, r: x.r }, (error.hi - error.lo) / 2, shared);
  }

  /**
   * A sum of terms added in any order, any running total written: k terms have k - 2 running
   * totals before the sum itself (which whoever uses it rounds). Each running total is the sum
   * of some 2 … k-1 of the terms, and writing it moves the result by its own rounding error:
   * for up to 5 terms every such subset is looked at (a total that stays inside one rounding
   * cell errs by a known amount, often 0); beyond that, by at most half a unit in the last
   * figure of Σ|term|. Terms that are exactly 0 change nothing.
   */
  sumAnyOrder(terms: Form[]): Form {
    const live = terms.filter((t) => t.c !== 0 || radius(t) !== 0);
    if (live.length === 0) return constant(0);
    const total = linear(live);
    if (live.length <= 2) return total;
    const k = live.length;
    let low = 0, high = 0;
    if (k <= 5) {
      const subset: Form[] = [];
      for (let mask = 1; mask < (1 << k) - 1; mask++) {
        if (popCount(mask) < 2) continue;
        subset.length = 0;
        for (let i = 0; i < k; i++) if (mask & (1 << i)) subset.push(live[i]);
        const error = this.roundingError(linear(subset));
        low = Math.min(low, error.lo);
        high = Math.max(high, error.hi);
      }
    } else {
      const M = live.reduce((m, t) => m + Math.abs(t.c) + radius(t), 0);
      high = 0.5 * unitAtMost(M, this.digits);
      low = -high;
    }
    const shift = ((k - 2) * (low + high)) / 2, size = ((k - 2) * (high - low)) / 2;
    return this.withError({ c: total.c + shift, a: total.a, r: total.r }, size, false);
  }

  /** Every value of written - x (0 included: not written) for x in the quantity's bounds. */
  private roundingError(x: Form): { lo: number; hi: number } {
    if (radius(x) === 0) {
      // An exact quantity: written is its rounding, exactly (no widening for the doubles).
      const error = roundSignificantDecimal(x.c, this.digits) - x.c;
      return { lo: Math.min(0, error), hi: Math.max(0, error) };
    }
    const { lo, hi } = bounds(x);
    const cell = sameRoundingCell(lo, hi, this.digits);
    if (cell !== undefined) return { lo: Math.min(0, cell - hi), hi: Math.max(0, cell - lo) };
    const half = 0.5 * unitAtMost(Math.max(Math.abs(lo), Math.abs(hi)), this.digits);
    return { lo: -half, hi: half };
  }
}

function popCount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}
