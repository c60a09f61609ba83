import { crossEntropyFromLogits, oneHot, softmax, tanhDerivativeFromOutput, tanhVector } from './activations.ts';
import {
  addMatrices, addVectors, hadamard, matVec, outer, scaleVector, transposeMatVec, zerosMatrix, zerosVector,
} from './linalg.ts';
import type { ForwardPass, Gradients, RnnParams, RnnSolution } from './types.ts';
import { sizesOf } from './types.ts';

/** hbar_t = W h_{t-1} + U x_t + b, h_t = tanh(hbar_t), z_t = V h_t + c, yhat_t = softmax(z_t); h_{-1} = 0. */
export function forwardPass(p: RnnParams): ForwardPass {
  const { hidden, T } = sizesOf(p);
  const hbar: number[][] = [], h: number[][] = [], z: number[][] = [], yhat: number[][] = [], loss: number[] = [];
  let hPrev = zerosVector(hidden);
  for (let t = 0; t < T; t++) {
    hbar[t] = addVectors(matVec(p.W, hPrev), matVec(p.U, p.x[t]), p.b);
    h[t] = tanhVector(hbar[t]);
    z[t] = addVectors(matVec(p.V, h[t]), p.c);
    yhat[t] = softmax(z[t]);
    loss[t] = crossEntropyFromLogits(z[t], p.y[t]);
    hPrev = h[t];
  }
  const total = loss.reduce((a, b) => a + b, 0);
  return { hbar, h, z, yhat, loss, L: p.lossReduction === 'mean' ? total / T : total };
}

/** Full back-propagation through time: the forward pass read backwards, step for step. */
export function backpropThroughTime(p: RnnParams, f: ForwardPass): Gradients {
  const { input, hidden, output, T } = sizesOf(p);
  const scale = p.lossReduction === 'mean' ? 1 / T : 1;
  const dz: number[][] = [], dh: number[][] = [], dhbar: number[][] = [];
  const hFromOutput: number[][] = [], hFromNext: number[][] = [];
  let dV = zerosMatrix(output, hidden), dc = zerosVector(output);
  let dU = zerosMatrix(hidden, input), dW = zerosMatrix(hidden, hidden), db = zerosVector(hidden);

  for (let t = T - 1; t >= 0; t--) {
    // dL/dz_t = (yhat_t - onehot(y_t)) scaled by dL/dl_t
    dz[t] = scaleVector(addVectors(f.yhat[t], scaleVector(oneHot(p.y[t], output), -1)), scale);
    dV = addMatrices(dV, outer(dz[t], f.h[t]));
    dc = addVectors(dc, dz[t]);

    hFromOutput[t] = transposeMatVec(p.V, dz[t]);
    hFromNext[t] = t + 1 < T ? transposeMatVec(p.W, dhbar[t + 1]) : zerosVector(hidden);
    dh[t] = addVectors(hFromOutput[t], hFromNext[t]);
    dhbar[t] = hadamard(dh[t], tanhDerivativeFromOutput(f.h[t]));

    const hPrev = t > 0 ? f.h[t - 1] : zerosVector(hidden);
    dW = addMatrices(dW, outer(dhbar[t], hPrev));
    dU = addMatrices(dU, outer(dhbar[t], p.x[t]));
    db = addVectors(db, dhbar[t]);
  }
  return { z: dz, h: dh, hFromOutput, hFromNext, hbar: dhbar, V: dV, c: dc, U: dU, W: dW, b: db };
}

export function solveRnn(params: RnnParams): RnnSolution {
  const forward = forwardPass(params);
  return { forward, grad: backpropThroughTime(params, forward) };
}

/** The `solve --json` shape: forward quantities at the top, gradients under `grad`. */
export function solutionToJson({ forward, grad }: RnnSolution) {
  return {
    hbar: forward.hbar, h: forward.h, z: forward.z, yhat: forward.yhat, loss: forward.loss, L: forward.L,
    grad: { z: grad.z, h: grad.h, hbar: grad.hbar, V: grad.V, c: grad.c, U: grad.U, W: grad.W, b: grad.b },
  };
}
export type SolutionJson = ReturnType<typeof solutionToJson>;
