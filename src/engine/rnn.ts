import { crossEntropyFromLogits, oneHot, softmax, tanhDerivativeFromOutput, tanhVector } from './activations.ts';
import {
  addMatrices, addVectors, hadamard, matVec, outer, scaleVector, transposeMatVec, zerosMatrix, zerosVector, type Matrix, type Vector,
} from './linalg.ts';
import {
  addMatrixBounds, dataBounds, dataMatrixBounds, hadamardBound, matrixWithoutNoise, matVecBound, outerBound, softmaxBound,
  sumBound, tanhBound, tanhSlopeBound, transposeMatVecBound, withoutNoise,
} from './rounding-noise.ts';
import type { ForwardPass, Gradients, RnnParams, RnnSolution } from './types.ts';
import { sizesOf } from './types.ts';

export interface SolveOptions {
  /**
   * Set every entry that cannot be told from zero (|value| within its rounding-noise bound,
   * see rounding-noise.ts) to exactly 0 where it is computed. Default true; the draw's
   * quality checks look at the raw values (false) to spot answers that are zero only by cancellation.
   */
  removeNoise?: boolean;
}

export interface ForwardBounds { hbar: Vector[]; h: Vector[]; z: Vector[]; yhat: Vector[] }

function forwardWithBounds(p: RnnParams, removeNoise: boolean): { forward: ForwardPass; bounds: ForwardBounds } {
  const { hidden, T } = sizesOf(p);
  const clean = removeNoise ? withoutNoise : (v: Vector) => v;
  const eU = dataMatrixBounds(p.U), eW = dataMatrixBounds(p.W), eV = dataMatrixBounds(p.V), eb = dataBounds(p.b), ec = dataBounds(p.c);
  const hbar: number[][] = [], h: number[][] = [], z: number[][] = [], yhat: number[][] = [], loss: number[] = [];
  const bounds: ForwardBounds = { hbar: [], h: [], z: [], yhat: [] };
  let hPrev = zerosVector(hidden), ehPrev = zerosVector(hidden);
  for (let t = 0; t < T; t++) {
    const Wh = matVec(p.W, hPrev), Ux = matVec(p.U, p.x[t]);
    bounds.hbar[t] = sumBound([Wh, Ux, p.b], [matVecBound(p.W, eW, hPrev, ehPrev), matVecBound(p.U, eU, p.x[t], dataBounds(p.x[t])), eb]);
    hbar[t] = clean(addVectors(Wh, Ux, p.b), bounds.hbar[t]);
    h[t] = tanhVector(hbar[t]);
    bounds.h[t] = tanhBound(h[t], bounds.hbar[t]);
    const Vh = matVec(p.V, h[t]);
    bounds.z[t] = sumBound([Vh, p.c], [matVecBound(p.V, eV, h[t], bounds.h[t]), ec]);
    z[t] = clean(addVectors(Vh, p.c), bounds.z[t]);
    yhat[t] = softmax(z[t]);
    bounds.yhat[t] = softmaxBound(yhat[t], bounds.z[t]);
    loss[t] = crossEntropyFromLogits(z[t], p.y[t]);
    hPrev = h[t];
    ehPrev = bounds.h[t];
  }
  const total = loss.reduce((a, b) => a + b, 0);
  return { forward: { hbar, h, z, yhat, loss, L: p.lossReduction === 'mean' ? total / T : total }, bounds };
}

/** Rounding-noise bounds of the forward quantities (for backward passes written elsewhere, e.g. the common errors'). */
export function forwardNoiseBounds(p: RnnParams): ForwardBounds {
  return forwardWithBounds(p, true).bounds;
}

/** hbar_t = W h_{t-1} + U x_t + b, h_t = tanh(hbar_t), z_t = V h_t + c, yhat_t = softmax(z_t); h_{-1} = 0. */
export function forwardPass(p: RnnParams, options: SolveOptions = {}): ForwardPass {
  return forwardWithBounds(p, options.removeNoise ?? true).forward;
}

/** The forward pass with its noise bounds, to hand both to backpropThroughTime (one pass, not two). */
export function forwardPassWithBounds(p: RnnParams, options: SolveOptions = {}): { forward: ForwardPass; bounds: ForwardBounds } {
  return forwardWithBounds(p, options.removeNoise ?? true);
}

/** Full back-propagation through time: the forward pass read backwards, step for step. */
export function backpropThroughTime(p: RnnParams, f: ForwardPass, options: SolveOptions = {}, forwardBounds?: ForwardBounds): Gradients {
  const removeNoise = options.removeNoise ?? true;
  const clean = removeNoise ? withoutNoise : (v: Vector) => v;
  const cleanMatrix = removeNoise ? matrixWithoutNoise : (M: Matrix) => M;
  const { input, hidden, output, T } = sizesOf(p);
  // f's bounds, from the pass that made f when the caller has them (the draw and solveRnn do)
  const fb = forwardBounds ?? forwardWithBounds(p, removeNoise).bounds;
  const eV = dataMatrixBounds(p.V), eW = dataMatrixBounds(p.W);
  const scale = p.lossReduction === 'mean' ? 1 / T : 1;
  const dz: number[][] = [], dh: number[][] = [], dhbar: number[][] = [];
  const hFromOutput: number[][] = [], hFromNext: number[][] = [];
  let dV = zerosMatrix(output, hidden), dc = zerosVector(output);
  let dU = zerosMatrix(hidden, input), dW = zerosMatrix(hidden, hidden), db = zerosVector(hidden);
  let edV = zerosMatrix(output, hidden), edc = zerosVector(output);
  let edU = zerosMatrix(hidden, input), edW = zerosMatrix(hidden, hidden), edb = zerosVector(hidden);
  let edhbarNext = zerosVector(hidden);

  for (let t = T - 1; t >= 0; t--) {
    // dL/dz_t = (yhat_t - onehot(y_t)) scaled by dL/dl_t; never 0, as 0 < yhat < 1
    dz[t] = scaleVector(addVectors(f.yhat[t], scaleVector(oneHot(p.y[t], output), -1)), scale);
    const edz = fb.yhat[t].map((e, i) => scale * (e + 2 * Number.EPSILON * Math.abs(dz[t][i] / scale)));
    edV = addMatrixBounds(dV, edV, outer(dz[t], f.h[t]), outerBound(dz[t], edz, f.h[t], fb.h[t]));
    dV = addMatrices(dV, outer(dz[t], f.h[t]));
    edc = sumBound([dc, dz[t]], [edc, edz]);
    dc = addVectors(dc, dz[t]);

    const eFromOutput = transposeMatVecBound(p.V, eV, dz[t], edz);
    hFromOutput[t] = clean(transposeMatVec(p.V, dz[t]), eFromOutput);
    const eFromNext = t + 1 < T ? transposeMatVecBound(p.W, eW, dhbar[t + 1], edhbarNext) : zerosVector(hidden);
    hFromNext[t] = t + 1 < T ? clean(transposeMatVec(p.W, dhbar[t + 1]), eFromNext) : zerosVector(hidden);
    const edh = sumBound([hFromOutput[t], hFromNext[t]], [eFromOutput, eFromNext]);
    dh[t] = clean(addVectors(hFromOutput[t], hFromNext[t]), edh);
    const slope = tanhDerivativeFromOutput(f.h[t]);
    const edhbar = hadamardBound(dh[t], edh, slope, tanhSlopeBound(f.h[t], fb.h[t]));
    dhbar[t] = clean(hadamard(dh[t], slope), edhbar);
    edhbarNext = edhbar;

    const hPrev = t > 0 ? f.h[t - 1] : zerosVector(hidden);
    const ehPrev = t > 0 ? fb.h[t - 1] : zerosVector(hidden);
    edW = addMatrixBounds(dW, edW, outer(dhbar[t], hPrev), outerBound(dhbar[t], edhbar, hPrev, ehPrev));
    dW = addMatrices(dW, outer(dhbar[t], hPrev));
    edU = addMatrixBounds(dU, edU, outer(dhbar[t], p.x[t]), outerBound(dhbar[t], edhbar, p.x[t], dataBounds(p.x[t])));
    dU = addMatrices(dU, outer(dhbar[t], p.x[t]));
    edb = sumBound([db, dhbar[t]], [edb, edhbar]);
    db = addVectors(db, dhbar[t]);
  }
  return {
    z: dz, h: dh, hFromOutput, hFromNext, hbar: dhbar,
    V: cleanMatrix(dV, edV), c: clean(dc, edc), U: cleanMatrix(dU, edU), W: cleanMatrix(dW, edW), b: clean(db, edb),
  };
}

export function solveRnn(params: RnnParams, options: SolveOptions = {}): RnnSolution {
  const { forward, bounds } = forwardPassWithBounds(params, options);
  return { forward, grad: backpropThroughTime(params, forward, options, bounds) };
}

/** The `solve --json` shape: forward quantities at the top, gradients under `grad`. */
export function solutionToJson({ forward, grad }: RnnSolution) {
  return {
    hbar: forward.hbar, h: forward.h, z: forward.z, yhat: forward.yhat, loss: forward.loss, L: forward.L,
    grad: { z: grad.z, h: grad.h, hbar: grad.hbar, V: grad.V, c: grad.c, U: grad.U, W: grad.W, b: grad.b },
  };
}
export type SolutionJson = ReturnType<typeof solutionToJson>;
