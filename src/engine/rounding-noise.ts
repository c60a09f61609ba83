import type { Matrix, Vector } from './linalg.ts';

/**
 * Rounding-noise bounds, carried beside the values through the RNN's computation: for each
 * computed entry, a bound on how far floating point can have taken it from its exact value
 * (first order, from the magnitudes of the operands times machine epsilon). An entry no larger
 * than its bound cannot be told from zero, and is zero in exact arithmetic whenever the data
 * make it so: V^T dL/dz_t when a column of V is constant (the entries of dL/dz_t sum to 0),
 * 0.1 + 0.2 - 0.3 with decimal data. Such entries are set to exactly 0 where they are
 * computed, so the noise neither prints (0.0000000000000000416) nor flows into later steps.
 */
const EPS = Number.EPSILON;
/** An entry is noise when |value| <= SAFETY × its bound: the bound is first order, so give it room. */
const SAFETY = 4;

const abs = Math.abs;

/** A drawn number as a double: integers are exact, decimals (0.1) within half an ulp. */
export const dataBound = (x: number): number => (Number.isInteger(x) ? 0 : abs(x) * EPS);
export const dataBounds = (v: Vector): Vector => v.map(dataBound);
export const dataMatrixBounds = (M: Matrix): Matrix => M.map(dataBounds);

/** Bound of one computed product sum Σ_k a_k b_k over n terms (then added to one more term). */
function dotBound(a: Vector, ea: Vector, b: Vector, eb: Vector): number {
  const n = a.length + 1;
  let bound = 0;
  for (let k = 0; k < a.length; k++) {
    bound += abs(a[k]) * eb[k] + abs(b[k]) * ea[k] + ea[k] * eb[k] + n * EPS * abs(a[k] * b[k]);
  }
  return bound;
}

/** Bound of A v. */
export const matVecBound = (A: Matrix, eA: Matrix, v: Vector, ev: Vector): Vector =>
  A.map((row, i) => dotBound(row, eA[i], v, ev));

/** Bound of Aᵀ v. */
export const transposeMatVecBound = (A: Matrix, eA: Matrix, v: Vector, ev: Vector): Vector =>
  (A[0] ?? []).map((_, j) => dotBound(A.map((r) => r[j]), eA.map((r) => r[j]), v, ev));

/** Bound of a sum of vectors: their bounds plus the additions' own rounding. */
export const sumBound = (terms: Vector[], bounds: Vector[]): Vector =>
  terms[0].map((_, i) => terms.reduce((s, v, k) => s + bounds[k][i] + terms.length * EPS * abs(v[i]), 0));

/** Bound of the element-wise product u ⊙ v (also of one entry of an outer product). */
export const productBound = (u: number, eu: number, v: number, ev: number): number =>
  abs(u) * ev + abs(v) * eu + eu * ev + EPS * abs(u * v);

export const hadamardBound = (u: Vector, eu: Vector, v: Vector, ev: Vector): Vector =>
  u.map((ui, i) => productBound(ui, eu[i], v[i], ev[i]));

export const outerBound = (u: Vector, eu: Vector, v: Vector, ev: Vector): Matrix =>
  u.map((ui, i) => v.map((vj, j) => productBound(ui, eu[i], vj, ev[j])));

export const addMatrixBounds = (M: Matrix, eM: Matrix, N: Matrix, eN: Matrix): Matrix =>
  M.map((row, i) => row.map((m, j) => eM[i][j] + eN[i][j] + 2 * EPS * (abs(m) + abs(N[i][j]))));

/** tanh is accurate to an ulp or two; its slope 1 - h² carries the input's noise. */
export const tanhBound = (h: Vector, ehbar: Vector): Vector => h.map((x, i) => (1 - x * x) * ehbar[i] + 2 * EPS * abs(x));

/** 1 - h² */
export const tanhSlopeBound = (h: Vector, eh: Vector): Vector => h.map((x, i) => 2 * abs(x) * eh[i] + 2 * EPS);

/** softmax: d log ŷ_i = dz_i - Σ_j ŷ_j dz_j, so each ŷ_i moves by at most ŷ_i · 2 max|dz|, plus exp's and the division's rounding. */
export const softmaxBound = (yhat: Vector, ez: Vector): Vector => {
  const worst = Math.max(0, ...ez);
  return yhat.map((y) => y * (2 * worst + (yhat.length + 4) * EPS));
};

/** The value with every entry that cannot be told from zero set to exactly 0. */
export const withoutNoise = (v: Vector, e: Vector): Vector => v.map((x, i) => (abs(x) <= SAFETY * e[i] ? 0 : x));
export const matrixWithoutNoise = (M: Matrix, eM: Matrix): Matrix => M.map((row, i) => withoutNoise(row, eM[i]));
