/**
 * Answers produced by known wrong methods (error carried forward), so a marker can
 * recognise them. The wrong methods are one small backward pass with switches, mirroring
 * src/engine/rnn.ts step for step; the forward pass is the engine's (a wrong method only
 * changes how L is reduced or how the gradients are taken).
 */
import { forwardNoiseBounds, forwardPass, oneHot, sizesOf, solveRnn, transposeMatVec, zerosMatrix, zerosVector } from '../engine/index.ts';
import {
  addMatrixBounds, dataBounds, dataMatrixBounds, hadamardBound, matrixWithoutNoise, outerBound, sumBound, tanhSlopeBound,
  transposeMatVecBound, withoutNoise,
} from '../engine/rounding-noise.ts';
import type { ForwardPass, Gradients, LossReduction, Matrix, RnnParams, Vector } from '../engine/index.ts';
import { flattenQuantity, PART_IDS, partQuantities, type PartId, type Quantity } from './final-answers.ts';
import { formatSignificant } from './format-number.ts';

export type CommonErrorId =
  | 'wrong-reduction' | 'truncated-bptt' | 'no-tanh-derivative'
  | 'transposed-outer-product' | 'h-t-for-h-t-minus-1' | 'softmax-without-target';

/** Switches of the backward pass; all false is the correct method. */
interface Method {
  /** reduce with the other of mean/sum, in L and in the factor dL/dl_t */
  otherReduction?: boolean;
  /** dL/dh_t = V^T dL/dz_t only, no path through later steps */
  truncated?: boolean;
  /** dL/dhbar_t = dL/dh_t, the factor (1 - h_t²) left out */
  noTanhDerivative?: boolean;
  /** dL/dV = Σ h_t (dL/dz_t)^T, dL/dU = Σ x_t (dL/dhbar_t)^T, dL/dW = Σ h_{t-1} (dL/dhbar_t)^T */
  transposedOuter?: boolean;
  /** dL/dW = Σ dL/dhbar_t h_t^T */
  hForHPrev?: boolean;
  /** dL/dz_t = yhat_t (scaled), onehot(y_t) not subtracted */
  noTarget?: boolean;
}

const METHODS: Record<CommonErrorId, Method> = {
  'wrong-reduction': { otherReduction: true },
  'truncated-bptt': { truncated: true },
  'no-tanh-derivative': { noTanhDerivative: true },
  'transposed-outer-product': { transposedOuter: true },
  // Changes only dL/dW, which is not one of the six parts: it is computed for completeness
  // and never appears in commonErrorAnswers.
  'h-t-for-h-t-minus-1': { hForHPrev: true },
  'softmax-without-target': { noTarget: true },
};

const other = (r: LossReduction): LossReduction => (r === 'mean' ? 'sum' : 'mean');

const WRONG_REDUCTION = {
  either: 'L reduced the wrong way (the sum of the l_t where the exam asks for the mean, or the mean where it asks for the sum), in L and in every gradient.',
  mean: 'L taken as the sum of the l_t instead of their mean (no factor 1/T in L or in any gradient).',
  sum: 'L taken as the mean of the l_t instead of their sum (an extra factor 1/T in L and in every gradient).',
};

function errorDescription(id: CommonErrorId, reduction?: LossReduction): string {
  switch (id) {
    case 'wrong-reduction': return WRONG_REDUCTION[reduction ?? 'either'];
    case 'truncated-bptt': return 'dL/dh_t taken only through the output at step t (V^T dL/dz_t), leaving out the path W^T dL/dhbar_{t+1} through later steps.';
    case 'no-tanh-derivative': return 'The tanh derivative (1 - h_t²) left out, i.e. dL/dhbar_t taken equal to dL/dh_t.';
    case 'transposed-outer-product': return 'Outer products the wrong way round: dL/dV as Σ h_t (dL/dz_t)^T and dL/dU as Σ x_t (dL/dhbar_t)^T (the transpose).';
    case 'h-t-for-h-t-minus-1': return 'In dL/dW, h_t used where h_{t-1} belongs (dL/dW is not asked for, so this never shows in the six parts).';
    case 'softmax-without-target': return 'dL/dz_t taken as yhat_t without subtracting the one-hot target onehot(y_t).';
  }
}

/** A few words that name the error where the key lists its answers; the description says the rest. */
export function errorShortName(id: CommonErrorId, reduction?: LossReduction): string {
  switch (id) {
    case 'wrong-reduction': return reduction === 'mean' ? 'L summed, not averaged' : reduction === 'sum' ? 'L averaged, not summed' : 'L reduced the wrong way';
    case 'truncated-bptt': return 'truncated BPTT';
    case 'no-tanh-derivative': return 'tanh derivative left out';
    case 'transposed-outer-product': return 'outer products transposed';
    case 'h-t-for-h-t-minus-1': return 'current hidden state for the previous one';
    case 'softmax-without-target': return 'target not subtracted';
  }
}

/** The same descriptions for the printed key, with their math between $ signs (typeset there). */
const WRONG_REDUCTION_TEX = {
  either: '$L$ reduced the wrong way (the sum of the $l_t$ where the exam asks for the mean, or the mean where it asks for the sum), in $L$ and in every gradient.',
  mean: '$L$ taken as the sum of the $l_t$ instead of their mean (no factor $1/T$ in $L$ or in any gradient).',
  sum: '$L$ taken as the mean of the $l_t$ instead of their sum (an extra factor $1/T$ in $L$ and in every gradient).',
};

export function errorDescriptionTex(id: CommonErrorId, reduction?: LossReduction): string {
  switch (id) {
    case 'wrong-reduction': return WRONG_REDUCTION_TEX[reduction ?? 'either'];
    case 'truncated-bptt': return '$\\partial L/\\partial h_t$ taken only through the output at step $t$ ($V^\\top \\partial L/\\partial z_t$), leaving out the path $W^\\top \\partial L/\\partial \\bar{h}_{t+1}$ through later steps.';
    case 'no-tanh-derivative': return 'The tanh derivative $(1 - h_t^2)$ left out, i.e. $\\partial L/\\partial \\bar{h}_t$ taken equal to $\\partial L/\\partial h_t$.';
    case 'transposed-outer-product': return 'Outer products the wrong way round: $\\partial L/\\partial V$ as $\\sum_t h_t (\\partial L/\\partial z_t)^\\top$ and $\\partial L/\\partial U$ as $\\sum_t x_t (\\partial L/\\partial \\bar{h}_t)^\\top$ (the transpose).';
    case 'h-t-for-h-t-minus-1': return 'In $\\partial L/\\partial W$, $h_t$ used where $h_{t-1}$ belongs ($\\partial L/\\partial W$ is not asked for, so this never shows in the six parts).';
    case 'softmax-without-target': return '$\\partial L/\\partial z_t$ taken as $\\hat{y}_t$ without subtracting the one-hot target $\\mathbf{e}_{y_t}$.';
  }
}

const ERROR_IDS = Object.keys(METHODS) as CommonErrorId[];

/** Every known error; given the exam's reduction, wrong-reduction says which way round. */
export function commonErrors(reduction?: LossReduction): Array<{ id: CommonErrorId; description: string }> {
  return ERROR_IDS.map((id) => ({ id, description: errorDescription(id, reduction) }));
}

/** Every known error, described for either reduction. */
export const COMMON_ERRORS: Array<{ id: CommonErrorId; description: string }> = commonErrors();

const add = (u: Vector, v: Vector) => u.map((x, i) => x + v[i]);
const addMat = (A: Matrix, B: Matrix) => A.map((row, i) => row.map((a, j) => a + B[i][j]));
const outer = (u: Vector, v: Vector) => u.map((a) => v.map((b) => a * b));

/**
 * The backward pass of rnn.ts with the switches of `m`, with its rounding noise removed the
 * same way (rounding-noise.ts): a wrong method's answer that is 0 in exact arithmetic shows as 0.
 */
function backward(p: RnnParams, f: ForwardPass, m: Method): Gradients {
  const { input, hidden, output, T } = sizesOf(p);
  const reduction = m.otherReduction ? other(p.lossReduction) : p.lossReduction;
  const scale = reduction === 'mean' ? 1 / T : 1;
  const fb = forwardNoiseBounds(p);
  const eV = dataMatrixBounds(p.V), eW = dataMatrixBounds(p.W);
  const dz: Vector[] = [], dh: Vector[] = [], dhbar: Vector[] = [], hFromOutput: Vector[] = [], hFromNext: Vector[] = [];
  // orient(a, b) is the per-step outer product a b^T, or b a^T for the transposed mistake.
  const orient = (a: Vector, b: Vector) => (m.transposedOuter ? outer(b, a) : outer(a, b));
  const orientBound = (a: Vector, ea: Vector, b: Vector, eb: Vector) => (m.transposedOuter ? outerBound(b, eb, a, ea) : outerBound(a, ea, b, eb));
  let dV = m.transposedOuter ? zerosMatrix(hidden, output) : zerosMatrix(output, hidden);
  let dU = m.transposedOuter ? zerosMatrix(input, hidden) : zerosMatrix(hidden, input);
  let dW = zerosMatrix(hidden, hidden), dc = zerosVector(output), db = zerosVector(hidden);
  let edV = dV.map((r) => r.map(() => 0)), edU = dU.map((r) => r.map(() => 0)), edW = zerosMatrix(hidden, hidden);
  let edc = zerosVector(output), edb = zerosVector(hidden), edhbarNext = zerosVector(hidden);

  for (let t = T - 1; t >= 0; t--) {
    const target = m.noTarget ? zerosVector(output) : oneHot(p.y[t], output);
    dz[t] = f.yhat[t].map((y, i) => (y - target[i]) * scale);
    const edz = fb.yhat[t].map((e, i) => scale * (e + 2 * Number.EPSILON * Math.abs(dz[t][i] / scale)));
    edV = addMatrixBounds(dV, edV, orient(dz[t], f.h[t]), orientBound(dz[t], edz, f.h[t], fb.h[t]));
    dV = addMat(dV, orient(dz[t], f.h[t]));
    edc = sumBound([dc, dz[t]], [edc, edz]);
    dc = add(dc, dz[t]);

    const eFromOutput = transposeMatVecBound(p.V, eV, dz[t], edz);
    hFromOutput[t] = withoutNoise(transposeMatVec(p.V, dz[t]), eFromOutput);
    const next = t + 1 < T && !m.truncated;
    const eFromNext = next ? transposeMatVecBound(p.W, eW, dhbar[t + 1], edhbarNext) : zerosVector(hidden);
    hFromNext[t] = next ? withoutNoise(transposeMatVec(p.W, dhbar[t + 1]), eFromNext) : zerosVector(hidden);
    const edh = sumBound([hFromOutput[t], hFromNext[t]], [eFromOutput, eFromNext]);
    dh[t] = withoutNoise(add(hFromOutput[t], hFromNext[t]), edh);
    const slope = m.noTanhDerivative ? dh[t].map(() => 1) : f.h[t].map((h) => 1 - h ** 2);
    const edhbar = m.noTanhDerivative ? edh : hadamardBound(dh[t], edh, slope, tanhSlopeBound(f.h[t], fb.h[t]));
    dhbar[t] = withoutNoise(m.noTanhDerivative ? [...dh[t]] : dh[t].map((g, i) => g * slope[i]), edhbar);
    edhbarNext = edhbar;

    const hPrev = t > 0 ? f.h[t - 1] : zerosVector(hidden), ehPrev = t > 0 ? fb.h[t - 1] : zerosVector(hidden);
    const hUsed = m.hForHPrev ? f.h[t] : hPrev, ehUsed = m.hForHPrev ? fb.h[t] : ehPrev;
    edW = addMatrixBounds(dW, edW, orient(dhbar[t], hUsed), orientBound(dhbar[t], edhbar, hUsed, ehUsed));
    dW = addMat(dW, orient(dhbar[t], hUsed));
    edU = addMatrixBounds(dU, edU, orient(dhbar[t], p.x[t]), orientBound(dhbar[t], edhbar, p.x[t], dataBounds(p.x[t])));
    dU = addMat(dU, orient(dhbar[t], p.x[t]));
    edb = sumBound([db, dhbar[t]], [edb, edhbar]);
    db = add(db, dhbar[t]);
  }
  return {
    z: dz, h: dh, hFromOutput, hFromNext, hbar: dhbar,
    V: matrixWithoutNoise(dV, edV), c: withoutNoise(dc, edc), U: matrixWithoutNoise(dU, edU), W: matrixWithoutNoise(dW, edW), b: withoutNoise(db, edb),
  };
}

/** Forward pass and gradients as the wrong method `id` produces them (full precision). */
export function wrongMethodSolution(params: RnnParams, id: CommonErrorId): { forward: ForwardPass; grad: Gradients } {
  const m = METHODS[id];
  const correct = forwardPass(params);
  const forward = m.otherReduction
    ? { ...correct, L: params.lossReduction === 'mean' ? correct.L * params.x.length : correct.L / params.x.length }
    : correct;
  return { forward, grad: backward(params, correct, m) };
}

export interface CommonErrorAnswer {
  errorId: CommonErrorId;
  description: string;
  quantities: Quantity[];
  /** other errors listed for this part whose displayed answer is the very same */
  sameAnswerAs: CommonErrorId[];
}

/** Every entry of a part, as displayed, with its name (so the shape is part of it). */
function displayed(quantities: Quantity[], digits: number): string[] {
  return quantities.flatMap((q) => flattenQuantity(q).map((e) => `${e.name}=${formatSignificant(e.value, digits)}`));
}

/**
 * For each part, the answers of the wrong methods that differ from the correct answer once
 * both are shown to `digits` significant figures (any entry differing lists the error).
 * A wrong method whose answer has another shape (the transposed outer product of a
 * non-square matrix) is not applicable and not listed. Errors that give the same displayed
 * answer stay separate entries, in COMMON_ERRORS order, each naming the others in
 * `sameAnswerAs`.
 */
export function commonErrorAnswers(params: RnnParams, gradientStep: number, digits = 3): Record<PartId, CommonErrorAnswer[]> {
  const correct = solveRnn(params);
  const descriptions = new Map(commonErrors(params.lossReduction).map((e) => [e.id, e.description]));
  const wrong = ERROR_IDS.map((id) => ({ id, solution: wrongMethodSolution(params, id) }));
  const result = {} as Record<PartId, CommonErrorAnswer[]>;
  for (const part of PART_IDS) {
    const rightQuantities = partQuantities(part, correct.forward, correct.grad, gradientStep);
    const right = displayed(rightQuantities, digits).join(';');
    const listed: Array<CommonErrorAnswer & { key: string }> = [];
    for (const { id, solution } of wrong) {
      const quantities = partQuantities(part, solution.forward, solution.grad, gradientStep);
      // A wrong shape (transposed non-square matrix) is not applicable, not a listed answer.
      if (!sameShape(quantities, rightQuantities)) continue;
      const key = displayed(quantities, digits).join(';');
      if (key === right) continue;
      listed.push({ errorId: id, description: descriptions.get(id) as string, quantities, sameAnswerAs: [], key });
    }
    for (const entry of listed) {
      entry.sameAnswerAs = listed.filter((o) => o !== entry && o.key === entry.key).map((o) => o.errorId);
    }
    result[part] = listed.map(({ key: _key, ...entry }) => entry);
  }
  return result;
}

function sameShape(a: Quantity[], b: Quantity[]): boolean {
  const shape = (q: Quantity) => flattenQuantity(q).map((e) => e.name).join(',');
  return a.length === b.length && a.every((q, i) => shape(q) === shape(b[i]));
}
