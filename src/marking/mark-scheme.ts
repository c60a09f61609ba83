/**
 * How a part's marks split into method marks, and what earns them. Declared once (zod): the
 * exam config may give its own split per part; the defaults split each part's marks in the
 * proportions below, so they always add up to the part's marks.
 */
import { z } from 'zod';
import type { PartId } from '../solution/final-answers.ts';

const ERROR_IDS = ['wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'transposed-outer-product', 'softmax-without-target'] as const;

export const methodMarkSchema = z.object({
  step: z.string().min(1).describe('the step the mark is for, in words (printed in the worked solution, the key and check\'s report)'),
  marks: z.number().min(0).describe('marks for this step'),
  lostBy: z.array(z.enum(ERROR_IDS)).default([]).describe('common errors that lose this mark (a part with a named error earns the other steps\' marks)'),
}).strict();
export type MethodMark = z.infer<typeof methodMarkSchema>;

const split = z.array(methodMarkSchema).min(1);
export const methodMarksSchema = z.object({
  hiddenStates: split.optional(),
  outputs: split.optional(),
  losses: split.optional(),
  hiddenGradient: split.optional(),
  outputWeightGradient: split.optional(),
  inputWeightGradient: split.optional(),
}).strict().describe('per part, its marks split into method marks; a part left out gets the default split of its marks');

export const markingPolicySchema = z.object({
  errorCarriedForward: z.boolean().default(true).describe('award a part\'s method marks when it is right given the student\'s own earlier answers'),
  tooFewFiguresPenalty: z.number().min(0).default(1).describe('marks taken off a part that is right only to fewer significant figures than asked'),
}).strict();
export type MarkingPolicy = z.infer<typeof markingPolicySchema>;

type Step = { step: string; weight: number; lostBy?: Array<(typeof ERROR_IDS)[number]> };

/** The default split, in proportions (scaled to the part's marks). */
const DEFAULT_STEPS: Record<PartId, Step[]> = {
  hiddenStates: [
    { step: 'pre-activation from the previous state, the input and the bias', weight: 2 },
    { step: 'tanh, carried to the next step', weight: 1 },
  ],
  outputs: [
    { step: 'logits from the hidden state', weight: 1 },
    { step: 'softmax', weight: 2 },
  ],
  losses: [
    { step: 'loss per step: minus the log-probability of the target', weight: 1 },
    { step: 'total loss reduced as the exam asks (mean or sum)', weight: 1, lostBy: ['wrong-reduction'] },
  ],
  hiddenGradient: [
    { step: 'output gradient: prediction minus one-hot target, scaled for the reduction', weight: 1, lostBy: ['wrong-reduction', 'softmax-without-target'] },
    { step: 'path through the output', weight: 1 },
    { step: 'path through later steps', weight: 1, lostBy: ['truncated-bptt'] },
    { step: 'tanh derivative', weight: 1, lostBy: ['no-tanh-derivative'] },
  ],
  outputWeightGradient: [
    { step: 'output gradient: prediction minus one-hot target, scaled for the reduction', weight: 1, lostBy: ['wrong-reduction', 'softmax-without-target'] },
    { step: 'outer product with the hidden state, the right way round', weight: 1, lostBy: ['transposed-outer-product'] },
    { step: 'sum over every time step', weight: 1 },
  ],
  inputWeightGradient: [
    { step: 'pre-activation gradient through every later step', weight: 2, lostBy: ['wrong-reduction', 'softmax-without-target', 'truncated-bptt'] },
    { step: 'tanh derivative', weight: 1, lostBy: ['no-tanh-derivative'] },
    { step: 'outer product with the input, the right way round', weight: 1, lostBy: ['transposed-outer-product'] },
    { step: 'sum over every time step', weight: 1 },
  ],
};

/** Marks rounded to quarters, so a default split reads cleanly (2 marks over 3 steps: 0.75, 0.75, 0.5). */
function scaledSplit(steps: Step[], total: number): MethodMark[] {
  const weights = steps.reduce((s, x) => s + x.weight, 0);
  const marks = steps.map((x) => Math.round((x.weight * total) / weights * 4) / 4);
  marks[marks.length - 1] = Math.round((total - marks.slice(0, -1).reduce((a, b) => a + b, 0)) * 4) / 4;
  return steps.map((x, i) => ({ step: x.step, marks: marks[i], lostBy: x.lostBy ?? [] }));
}

export type MarkScheme = Record<PartId, MethodMark[]> & { policy: MarkingPolicy };

/** Each part's split: the config's, or the default scaled to the part's marks. */
export function resolveMarkScheme(partMarks: Record<PartId, number>, given: z.infer<typeof methodMarksSchema> = {}, policy: Partial<MarkingPolicy> = {}): MarkScheme {
  const scheme = { policy: markingPolicySchema.parse(policy) } as MarkScheme;
  for (const id of Object.keys(DEFAULT_STEPS) as PartId[]) scheme[id] = given[id] ?? scaledSplit(DEFAULT_STEPS[id], partMarks[id]);
  return scheme;
}

/** Problems of a configured split: it must add up to the part's marks. */
export function methodMarkProblems(partMarks: Record<PartId, number>, given: z.infer<typeof methodMarksSchema>): Array<{ part: PartId; message: string }> {
  return (Object.entries(given) as Array<[PartId, MethodMark[] | undefined]>).flatMap(([part, steps]) => {
    if (!steps) return [];
    const total = steps.reduce((s, x) => s + x.marks, 0);
    return Math.abs(total - partMarks[part]) > 1e-9 ? [{ part, message: `method marks add up to ${total}, but the part has ${partMarks[part]} marks (rnn.marks.${part})` }] : [];
  });
}
