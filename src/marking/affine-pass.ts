/**
 * The forward and backward pass of src/engine/rnn.ts in affine arithmetic (affine.ts), as a student
 * who follows the paper's rule may do it: every quantity they may write down is carried
 * either as computed or rounded to the paper's figures (maybeRounded), every sum of named
 * terms may be added in any order with running totals written (sumAnyOrder). The bounds
 * of an answer therefore holds every such student's unrounded answer; the accepted range
 * is that interval rounded end by end.
 *
 * Written (each may be rounded): W h_{t-1}, U x_t, hbar_t, h_t, z_t, e^{z_t,i}, Σ e^{z_t},
 * yhat_t (from the exponentials, which covers softmax of z_t taken directly), l_t (from
 * yhat_t, which covers -ln(e^{z_y}/Σe^z) and log-sum-exp of z_t: those are the unwritten cases), Σ l_t, L, yhat_t - e_{y_t}, dL/dz_t, V h_t, V^T dL/dz_t,
 * W^T dL/dhbar_{t+1}, dL/dh_t, h_t², 1 - h_t², dL/dhbar_t, each per-step outer product.
 * Products of a written number and a given parameter are added up inside the product
 * on the calculator (they are not written one by one); the parameters are exact.
 *
 * A wrong method (a common error) is the same pass with switches, and error carried
 * forward is the same pass with a student's own answers in place of what is carried.
 */
import type { Matrix, RnnParams } from '../engine/index.ts';
import { lastPlaceUnit } from './round-significant.ts';
import { add, constant, exp, linear, log, mul, reciprocal, scale, sub, Symbols, tanh, type Form } from './affine.ts';

export type FVector = Form[];
export type FMatrix = Form[][];

/** Switches of the method; none set is the correct method. */
export interface MethodSwitches {
  /** the other of mean/sum, in L and in dL/dz_t */
  otherReduction?: boolean;
  /** dL/dh_t = V^T dL/dz_t only */
  truncated?: boolean;
  /** dL/dhbar_t = dL/dh_t */
  noTanhDerivative?: boolean;
  /** per-step outer products the wrong way round: h_t dL/dz_t^T, x_t dL/dhbar_t^T */
  transposedOuter?: boolean;
  /** dL/dz_t = yhat_t (scaled), the target not subtracted */
  noTarget?: boolean;
}

/** A student's own earlier answers, used in place of what the pass would carry forward. */
export interface CarriedOverrides {
  h?: Array<number[] | undefined>;
  yhat?: Array<number[] | undefined>;
  loss?: Array<number | undefined>;
}

/** Every answer before the student rounds it into the answer box. */
export interface FormAnswers {
  h: FVector[];
  yhat: FVector[];
  loss: Form[];
  L: Form;
  dh: FVector[];
  /** output × hidden, or hidden × output under transposedOuter */
  dV: FMatrix;
  /** hidden × input, or input × hidden under transposedOuter */
  dU: FMatrix;
}

/** Σ_j A_ij v_j with A exact: one calculator sum per row, not written term by term. */
function matVec(A: Matrix, v: FVector): FVector {
  return A.map((row) => linear(v, row));
}

function transposeMatVec(A: Matrix, v: FVector): FVector {
  return (A[0] ?? []).map((_, j) => linear(v, A.map((row) => row[j])));
}

const constants = (v: number[]): FVector => v.map(constant);

/** The forward quantities: answers as computed, and what is carried forward (maybe written). */
export interface ForwardForms {
  hAnswer: FVector[]; hCarried: FVector[]; yAnswer: FVector[]; yCarried: FVector[]; lossAnswer: Form[]; lossCarried: Form[];
  /** the symbols allocated so far: a backward pass continues from here */
  symbols: Symbols;
}

export function affineForward(p: RnnParams, digits: number, carried: CarriedOverrides = {}): ForwardForms {
  const T = p.x.length, hidden = p.W.length;
  const symbols = new Symbols(digits);
  const r = (x: Form) => symbols.maybeRounded(x);
  const rv = (v: FVector) => v.map(r);
  // Quantities used in several places keep their rounding as a shared symbol (see affine.ts).
  const shared = (v: FVector) => v.map((x) => symbols.maybeRounded(x, true));
  const sum = (terms: Form[]) => symbols.sumAnyOrder(terms);
  // A student's own answer was written rounded: what they carried is anything that rounds to it.
  const own = (v: number[]) => v.map((x) => symbols.withError(constant(x), 0.5 * lastPlaceUnit(x, digits), true));

  const hAnswer: FVector[] = [], hCarried: FVector[] = [], yAnswer: FVector[] = [], yCarried: FVector[] = [];
  const lossAnswer: Form[] = [], lossCarried: Form[] = [];
  let hPrev: FVector = constants(new Array<number>(hidden).fill(0));
  for (let t = 0; t < T; t++) {
    const fromPrev = rv(matVec(p.W, hPrev)), fromInput = rv(matVec(p.U, constants(p.x[t])));
    const hbar = rv(fromPrev.map((a, i) => sum([a, fromInput[i], constant(p.b[i])])));
    hAnswer[t] = hbar.map(tanh);
    hCarried[t] = carried.h?.[t] ? own(carried.h[t]!) : shared(hAnswer[t]);
    const z = rv(rv(matVec(p.V, hCarried[t])).map((a, i) => add(a, constant(p.c[i]))));
    // Softmax by hand: e^{z_i} as the student writes it (unshifted: the rounding of e^{z} depends
    // on its size), their sum, each quotient; shifted only where e^{z} would overflow.
    const top = Math.max(...z.map((zi) => zi.c));
    const shift = top > 600 ? top : 0;
    const exps = shared(z.map((zi) => exp(add(zi, constant(-shift)))));
    const inverseTotal = reciprocal(symbols.maybeRounded(sum(exps), true));
    yAnswer[t] = exps.map((e) => mul(e, inverseTotal));
    yCarried[t] = carried.yhat?.[t] ? own(carried.yhat[t]!) : shared(yAnswer[t]);
    lossAnswer[t] = scale(log(yCarried[t][p.y[t]]), -1);
    lossCarried[t] = carried.loss?.[t] !== undefined ? own([carried.loss[t]!])[0] : r(lossAnswer[t]);
    hPrev = hCarried[t];
  }
  return { hAnswer, hCarried, yAnswer, yCarried, lossAnswer, lossCarried, symbols };
}

/** L and the backward pass of one method, from a forward pass (which it leaves unchanged). */
export function affineBackward(p: RnnParams, f: ForwardForms, m: MethodSwitches = {}): FormAnswers {
  const T = p.x.length;
  const symbols = f.symbols.fork();
  const r = (x: Form) => symbols.maybeRounded(x);
  const rv = (v: FVector) => v.map(r);
  const shared = (v: FVector) => v.map((x) => symbols.maybeRounded(x, true));
  const sum = (terms: Form[]) => symbols.sumAnyOrder(terms);
  const { hCarried, yCarried } = f;

  const mean = (p.lossReduction === 'mean') !== Boolean(m.otherReduction);
  const lossSum = sum(f.lossCarried);
  const L = mean ? scale(r(lossSum), 1 / T) : lossSum;

  const dh: FVector[] = [], dhbar: FVector[] = [];
  const dVSteps: FMatrix[] = [], dUSteps: FMatrix[] = [];
  const outerOf = (a: FVector, b: FVector) => (m.transposedOuter
    ? b.map((bj) => a.map((ai) => r(mul(ai, bj))))
    : a.map((ai) => b.map((bj) => r(mul(ai, bj)))));
  for (let t = T - 1; t >= 0; t--) {
    const target = (i: number) => (!m.noTarget && i === p.y[t] ? 1 : 0);
    const residual = rv(yCarried[t].map((a, i) => sub(a, constant(target(i)))));
    const dz = shared(mean ? residual.map((a) => scale(a, 1 / T)) : residual);
    dVSteps.push(outerOf(dz, hCarried[t]));
    const paths = [rv(transposeMatVec(p.V, dz))];
    if (t + 1 < T && !m.truncated) paths.push(rv(transposeMatVec(p.W, dhbar[t + 1])));
    dh[t] = paths[0].map((_, i) => sum(paths.map((path) => path[i])));
    const carriedDh = rv(dh[t]);
    dhbar[t] = m.noTanhDerivative
      ? shared(carriedDh)
      : shared(carriedDh.map((g, i) => mul(g, r(sub(constant(1), r(mul(hCarried[t][i], hCarried[t][i])))))));
    dUSteps.push(outerOf(dhbar[t], constants(p.x[t])));
  }
  const sumSteps = (steps: FMatrix[]) => steps[0].map((row, i) => row.map((_, j) => sum(steps.map((s) => s[i][j]))));
  return { h: f.hAnswer, yhat: f.yAnswer, loss: f.lossAnswer, L, dh, dV: sumSteps(dVSteps), dU: sumSteps(dUSteps) };
}

/** One whole pass: forward, then L and the backward pass of the method. */
export function affinePass(p: RnnParams, digits: number, m: MethodSwitches = {}, carried: CarriedOverrides = {}): FormAnswers {
  return affineBackward(p, affineForward(p, digits, carried), m);
}
