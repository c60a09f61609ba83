/**
 * Accepted ranges for the six parts of the RNN question.
 *
 * The paper asks students to round only what they write down, to `digits` significant
 * figures, and to carry the written values forward. Such a student's final answers differ
 * from full precision, sometimes by several units in the last digit (rounding error grows
 * through BPTT and through cancellation, e.g. dL/dh_t = a - b with a ≈ b). So the range of
 * an entry is the span of the full-precision value and of a few honest "rounded paths",
 * never narrower than one unit of the last displayed digit on either side of the value.
 */
import { oneHot, sizesOf, solveRnn, transposeMatVec, zerosMatrix, zerosVector } from '../engine/index.ts';
import type { ForwardPass, Gradients, Matrix, RnnParams, RnnSolution, Vector } from '../engine/index.ts';
import { flattenQuantity, PART_IDS, partQuantities } from './final-answers.ts';
import { roundSignificant } from './format-number.ts';

export interface RoundedPathOptions {
  /**
   * true (default): every term of a sum that a student writes on its own line is rounded
   * before it is added — the two paths V^T dL/dz_t and W^T dL/dhbar_{t+1} into dL/dh_t, and
   * each per-step outer product of a weight gradient. false: only the sums are rounded
   * (a student who accumulates a sum on the calculator in one go).
   */
  roundTerms?: boolean;
}

export interface AcceptedRange {
  /** full precision */
  value: number;
  low: number;
  high: number;
}

/**
 * The forward and backward pass redone the way a student does it by hand: every quantity
 * written down is rounded to `digits` significant figures and the rounded value is what
 * the next step uses. What counts as written (one policy, applied at every step):
 *   forward:  hbar_t, h_t, z_t, the exponentials e^{z_t,i} and their sum, yhat_t,
 *             l_t = -ln yhat_t[y_t] (from the written yhat), L (from the written l_t);
 *   backward: dL/dz_t = (yhat_t - onehot(y_t)) · (1/T for the mean), the factor (1 - h_t²),
 *             dL/dh_t, dL/dhbar_t = dL/dh_t ⊙ (1 - h_t²), each weight gradient;
 *   terms:    with roundTerms, also V^T dL/dz_t, W^T dL/dhbar_{t+1} and each per-step
 *             outer product (dL/dz_t h_t^T, dL/dhbar_t x_t^T, ...) before they are summed.
 * Products of a written number with an exam entry are not written separately: they are
 * added up inside the matrix-vector product. The given parameters are used as they are.
 */
export function roundedPathSolution(params: RnnParams, digits: number, options: RoundedPathOptions = {}): RnnSolution {
  const forward = roundedForward(params, digits);
  return { forward, grad: roundedBackward(params, forward, digits, options.roundTerms ?? true) };
}

const roundVec = (v: Vector, d: number) => v.map((x) => roundSignificant(x, d));
const roundMat = (m: Matrix, d: number) => m.map((row) => roundVec(row, d));
const matVec = (A: Matrix, v: Vector) => A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
const add = (u: Vector, v: Vector) => u.map((x, i) => x + v[i]);
const addMat = (A: Matrix, B: Matrix) => A.map((row, i) => row.map((a, j) => a + B[i][j]));
const outer = (u: Vector, v: Vector) => u.map((a) => v.map((b) => a * b));

function roundedForward(p: RnnParams, d: number): ForwardPass {
  const { hidden, T } = sizesOf(p);
  const hbar: Vector[] = [], h: Vector[] = [], z: Vector[] = [], yhat: Vector[] = [], loss: number[] = [];
  let hPrev = zerosVector(hidden);
  for (let t = 0; t < T; t++) {
    hbar[t] = roundVec(add(add(matVec(p.W, hPrev), matVec(p.U, p.x[t])), p.b), d);
    h[t] = roundVec(hbar[t].map(Math.tanh), d);
    z[t] = roundVec(add(matVec(p.V, h[t]), p.c), d);
    // By hand: e^{z_i} written, their sum written, then each divided by the sum.
    const exps = roundVec(z[t].map(Math.exp), d);
    const total = roundSignificant(exps.reduce((a, b) => a + b, 0), d);
    yhat[t] = roundVec(exps.map((e) => e / total), d);
    loss[t] = roundSignificant(-Math.log(yhat[t][p.y[t]]), d);
    hPrev = h[t];
  }
  const sum = loss.reduce((a, b) => a + b, 0);
  return { hbar, h, z, yhat, loss, L: roundSignificant(p.lossReduction === 'mean' ? sum / T : sum, d) };
}

function roundedBackward(p: RnnParams, f: ForwardPass, d: number, roundTerms: boolean): Gradients {
  const { input, hidden, output, T } = sizesOf(p);
  const scale = p.lossReduction === 'mean' ? 1 / T : 1;
  // A term is rounded only under roundTerms; a sum is always rounded once it is complete.
  const term = (v: Vector) => (roundTerms ? roundVec(v, d) : v);
  const termMat = (m: Matrix) => (roundTerms ? roundMat(m, d) : m);
  const dz: Vector[] = [], dh: Vector[] = [], dhbar: Vector[] = [], hFromOutput: Vector[] = [], hFromNext: Vector[] = [];
  let dV = zerosMatrix(output, hidden), dc = zerosVector(output);
  let dU = zerosMatrix(hidden, input), dW = zerosMatrix(hidden, hidden), db = zerosVector(hidden);
  for (let t = T - 1; t >= 0; t--) {
    const target = oneHot(p.y[t], output);
    dz[t] = roundVec(f.yhat[t].map((y, i) => (y - target[i]) * scale), d);
    const fromOutput = transposeMatVec(p.V, dz[t]);
    const fromNext = t + 1 < T ? transposeMatVec(p.W, dhbar[t + 1]) : zerosVector(hidden);
    hFromOutput[t] = roundVec(fromOutput, d);
    hFromNext[t] = roundVec(fromNext, d);
    dh[t] = roundVec(add(term(fromOutput), term(fromNext)), d);
    const tanhFactor = roundVec(f.h[t].map((x) => 1 - x * x), d);
    dhbar[t] = roundVec(dh[t].map((g, i) => g * tanhFactor[i]), d);

    const hPrev = t > 0 ? f.h[t - 1] : zerosVector(hidden);
    dV = addMat(dV, termMat(outer(dz[t], f.h[t])));
    dU = addMat(dU, termMat(outer(dhbar[t], p.x[t])));
    dW = addMat(dW, termMat(outer(dhbar[t], hPrev)));
    dc = add(dc, dz[t]);
    db = add(db, dhbar[t]);
  }
  return {
    z: dz, h: dh, hFromOutput, hFromNext, hbar: dhbar,
    V: roundMat(dV, d), c: roundVec(dc, d), U: roundMat(dU, d), W: roundMat(dW, d), b: roundVec(db, d),
  };
}

/**
 * One unit in the last displayed digit of `value` shown to `digits` significant figures,
 * taken from the rounded value's own exponent (0.09996 → "0.100" → 0.001).
 */
export function lastDigitUnit(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  const exponent = Number(value.toExponential(digits - 1).split('e')[1]);
  return 10 ** (exponent - digits + 1);
}

/** Every entry of the six parts, flattened: name → value. */
function sixPartEntries(s: RnnSolution, gradientStep: number): Map<string, number> {
  const entries = new Map<string, number>();
  for (const id of PART_IDS) {
    for (const q of partQuantities(id, s.forward, s.grad, gradientStep)) {
      for (const e of flattenQuantity(q)) entries.set(e.name, e.value);
    }
  }
  return entries;
}

/**
 * The honest paths: rounding to `digits` and to `digits + 1` (a student keeping one more
 * figure), each with and without rounding the terms of sums.
 */
export function honestPaths(params: RnnParams, digits: number): Array<{ digits: number; roundTerms: boolean; solution: RnnSolution }> {
  return [digits, digits + 1].flatMap((d) => [true, false].map((roundTerms) => ({
    digits: d, roundTerms, solution: roundedPathSolution(params, d, { roundTerms }),
  })));
}

/**
 * Accepted range of every entry of the six parts, keyed by flattened name ("h_1[2]", "L",
 * "dL/dV[0][1]"). Candidates: the full value, each honest path's value, and that value
 * rounded to `digits` (what a digits+1 student writes in the answer box). The span of the
 * candidates is then widened to at least value ± u, u = one unit in the last displayed digit
 * of the correctly rounded answer (so 2.0144 → 2.01 → u = 0.01 → at least [2.0044, 2.0244]).
 *
 * An entry that is exactly 0 at full precision gets no ±u widening (u = 0): its range is
 * the span of 0 and the honest paths. A structural zero (the column of dL/dU under an input
 * entry that is 0 at every step, h_0[i] when hbar_0[i] = 0) survives rounding, so every path
 * gives 0 too and the range is [0, 0]: only 0 (or 0.000) is accepted.
 */
export function acceptedRanges(params: RnnParams, gradientStep: number, digits = 3): Map<string, AcceptedRange> {
  const full = sixPartEntries(solveRnn(params), gradientStep);
  const paths = honestPaths(params, digits).map((path) => sixPartEntries(path.solution, gradientStep));
  const ranges = new Map<string, AcceptedRange>();
  for (const [name, value] of full) {
    const u = lastDigitUnit(value, digits);
    let low = value - u, high = value + u;
    for (const path of paths) {
      const honest = path.get(name) as number;
      for (const candidate of [honest, roundSignificant(honest, digits)]) {
        low = Math.min(low, candidate);
        high = Math.max(high, candidate);
      }
    }
    ranges.set(name, { value: value === 0 ? 0 : value, low, high });
  }
  return ranges;
}

/**
 * Whether a student's number lies in a range. The bounds are doubles computed as value ± u,
 * so a relative slack of 1e-9 keeps an answer exactly on a bound (in decimal) accepted.
 */
export function isWithinRange(studentValue: number, range: Pick<AcceptedRange, 'low' | 'high'>): boolean {
  if (!Number.isFinite(studentValue)) return false;
  const slack = 1e-9 * Math.max(Math.abs(range.low), Math.abs(range.high));
  return studentValue >= range.low - slack && studentValue <= range.high + slack;
}
