import type { ForwardPass, Gradients, Matrix, RnnParams, Vector } from '../engine/index.ts';
import type { RnnQuestionConfig } from '../config/exam-schema.ts';

export type PartId = 'hiddenStates' | 'outputs' | 'losses' | 'hiddenGradient' | 'outputWeightGradient' | 'inputWeightGradient';
export const PART_IDS: PartId[] = ['hiddenStates', 'outputs', 'losses', 'hiddenGradient', 'outputWeightGradient', 'inputWeightGradient'];

/** One named answer of a part: a scalar, a vector or a matrix. */
export interface Quantity {
  /** plain name, used in keys, CSV and answer files: "h_1", "L", "dL/dV" */
  name: string;
  /** the same name in TeX */
  tex: string;
  value: number | Vector | Matrix;
}

export interface AnswerPart {
  id: PartId;
  /** e.g. "3.4" */
  number: string;
  title: string;
  marks: number;
  quantities: Quantity[];
}

/** The quantities each part asks for, from whichever forward pass and gradients are given. */
export function partQuantities(id: PartId, f: Pick<ForwardPass, 'h' | 'yhat' | 'loss' | 'L'>, g: Pick<Gradients, 'h' | 'V' | 'U'>, gradientStep: number): Quantity[] {
  switch (id) {
    case 'hiddenStates': return f.h.map((value, t) => ({ name: `h_${t}`, tex: `h_{${t}}`, value }));
    case 'outputs': return f.yhat.map((value, t) => ({ name: `yhat_${t}`, tex: `\\hat{y}_{${t}}`, value }));
    case 'losses': return [...f.loss.map((value, t) => ({ name: `l_${t}`, tex: `l_{${t}}`, value })), { name: 'L', tex: 'L', value: f.L }];
    case 'hiddenGradient': return [{ name: `dL/dh_${gradientStep}`, tex: `\\dfrac{\\partial L}{\\partial h_{${gradientStep}}}`, value: g.h[gradientStep] }];
    case 'outputWeightGradient': return [{ name: 'dL/dV', tex: '\\dfrac{\\partial L}{\\partial V}', value: g.V }];
    case 'inputWeightGradient': return [{ name: 'dL/dU', tex: '\\dfrac{\\partial L}{\\partial U}', value: g.U }];
  }
}

/** The part's question, as text with $...$ inline math. */
export function partTitle(id: PartId, params: RnnParams, gradientStep: number): string {
  const last = params.x.length - 1;
  const upTo = (symbol: string) => (last === 0 ? `$${symbol}_0$` : `$${symbol}_0, \\dots, ${symbol}_{${last}}$`);
  switch (id) {
    case 'hiddenStates': return `Compute the hidden states ${upTo('h')}.`;
    case 'outputs': return `Compute the outputs ${upTo('\\hat{y}')}.`;
    case 'losses': return `Compute the losses ${upTo('l')} and the total loss $L$ (the ${params.lossReduction} of the $l_t$).`;
    case 'hiddenGradient': return `Compute $\\partial L / \\partial h_{${gradientStep}}$, the total derivative through every path.`;
    case 'outputWeightGradient': return 'Compute $\\partial L / \\partial V$.';
    case 'inputWeightGradient': return 'Compute $\\partial L / \\partial U$.';
  }
}

/** The six parts of the RNN question with their full-precision answers. */
export function buildFinalAnswers(params: RnnParams, forward: ForwardPass, grad: Gradients, rnn: Pick<RnnQuestionConfig, 'gradientStep' | 'marks'>, questionNumber: number): AnswerPart[] {
  return PART_IDS.map((id, i) => ({
    id,
    number: `${questionNumber}.${i + 1}`,
    title: partTitle(id, params, rnn.gradientStep),
    marks: rnn.marks[id],
    quantities: partQuantities(id, forward, grad, rnn.gradientStep),
  }));
}

/** Flattens a quantity into named scalar entries: "h_1[2]", "dL/dV[0][1]", "L". */
export function flattenQuantity(q: Quantity): Array<{ name: string; value: number }> {
  if (typeof q.value === 'number') return [{ name: q.name, value: q.value }];
  return (q.value as Array<number | Vector>).flatMap((row, i) =>
    typeof row === 'number' ? [{ name: `${q.name}[${i}]`, value: row }] : row.map((value, j) => ({ name: `${q.name}[${i}][${j}]`, value })));
}
