import type { Matrix, RnnParams, RnnSolution, Vector } from '../engine/index.ts';
import { formatSignificant } from './format-number.ts';

/** A plain-text view of a solution for a terminal, rounded for display. */
export function formatSolveSummary(params: RnnParams, { forward, grad }: RnnSolution, digits = 3): string {
  const n = (x: number) => formatSignificant(x, digits);
  const vec = (v: Vector) => `[${v.map(n).join(', ')}]`;
  const mat = (M: Matrix, indent: string) => M.map((row) => indent + vec(row)).join('\n');
  const T = forward.h.length;
  const lines: string[] = [];
  lines.push(`RNN: T = ${T}, input ${params.U[0].length}, hidden ${params.U.length}, output ${params.V.length}; ` +
    `L = ${params.lossReduction} of l_t; values to ${digits} significant figures`);
  lines.push('', 'Forward pass');
  for (let t = 0; t < T; t++) {
    lines.push(`  t=${t}  hbar = ${vec(forward.hbar[t])}  h = ${vec(forward.h[t])}`);
    lines.push(`        z = ${vec(forward.z[t])}  yhat = ${vec(forward.yhat[t])}  y = ${params.y[t]}  l = ${n(forward.loss[t])}`);
  }
  lines.push(`  L = ${n(forward.L)}`);
  lines.push('', 'Backward pass (gradients of L)');
  for (let t = T - 1; t >= 0; t--) {
    lines.push(`  t=${t}  dL/dz = ${vec(grad.z[t])}  dL/dh = ${vec(grad.h[t])}  dL/dhbar = ${vec(grad.hbar[t])}`);
  }
  lines.push('  dL/dV =', mat(grad.V, '    '), `  dL/dc = ${vec(grad.c)}`);
  lines.push('  dL/dU =', mat(grad.U, '    '), '  dL/dW =', mat(grad.W, '    '), `  dL/db = ${vec(grad.b)}`);
  return lines.join('\n');
}
