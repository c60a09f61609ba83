import type { Matrix, Vector } from './linalg.ts';

export type LossReduction = 'mean' | 'sum';

/** One question's numbers, in the exam's own notation. */
export interface RnnParams {
  /** hidden × input */
  U: Matrix;
  /** hidden × hidden */
  W: Matrix;
  /** output × hidden */
  V: Matrix;
  /** hidden */
  b: Vector;
  /** output */
  c: Vector;
  /** T input vectors */
  x: Vector[];
  /** T target class indices, 0-based */
  y: number[];
  lossReduction: LossReduction;
}

export interface RnnSizes {
  input: number;
  hidden: number;
  output: number;
  T: number;
}

/** Every forward quantity, per time step t = 0..T-1. */
export interface ForwardPass {
  hbar: Vector[];
  h: Vector[];
  z: Vector[];
  yhat: Vector[];
  /** l_t = -log yhat_t[y_t] */
  loss: number[];
  /** mean or sum of loss, per lossReduction */
  L: number;
}

/** Every backward quantity: gradients of L. */
export interface Gradients {
  z: Vector[];
  /** total dL/dh_t = hFromOutput[t] + hFromNext[t] */
  h: Vector[];
  /** V^T dL/dz_t: the path through the output at t */
  hFromOutput: Vector[];
  /** W^T dL/dhbar_{t+1}: the path through every later step (zero at t = T-1) */
  hFromNext: Vector[];
  hbar: Vector[];
  V: Matrix;
  c: Vector;
  U: Matrix;
  W: Matrix;
  b: Vector;
}

export interface RnnSolution {
  forward: ForwardPass;
  grad: Gradients;
}

export function sizesOf(params: RnnParams): RnnSizes {
  return { input: params.U[0].length, hidden: params.U.length, output: params.V.length, T: params.x.length };
}
