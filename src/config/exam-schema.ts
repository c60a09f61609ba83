import { z } from 'zod';
import { PDF_DOCUMENT_KINDS } from './document-kinds.ts';
import { markingPolicySchema, methodMarkProblems, methodMarksSchema } from '../marking/mark-scheme.ts';
import { defaultDraw } from './default-draw.ts';
import { gridSize } from '../random/draw-values.ts';
import { validateStudentId } from '../roster/parse-roster.ts';

/**
 * The exam config, declared once: types, defaults, descriptions and validation all come
 * from here. Defaults reproduce the sample sheet's question (3 inputs, 3 hidden, 3 outputs,
 * T = 3, small integers, mean loss, 3 significant figures).
 */
/** Far beyond any hand-workable RNN question; keeps every grid and sum finite. */
const MAX_ABS_VALUE = 1000;
const bound = () => z.number().min(-MAX_ABS_VALUE, { abort: true }).max(MAX_ABS_VALUE, { abort: true });

const integerRange = z.object({
  type: z.literal('integer'),
  min: bound().int().describe('smallest value drawn'),
  max: bound().int().describe('largest value drawn'),
  nonZero: z.boolean().default(false).describe('never draw 0'),
}).strict();

const decimalRange = z.object({
  type: z.literal('decimal'),
  min: bound().describe('smallest value drawn'),
  max: bound().describe('largest value drawn'),
  places: z.number().int().min(1).max(3).describe('decimal places, e.g. 1 draws -0.7, 0.3, ...'),
  nonZero: z.boolean().default(false).describe('never draw 0'),
}).strict();

export const distributionSchema = z.discriminatedUnion('type', [integerRange, decimalRange])
  .refine((d) => d.min <= d.max, { message: 'min must not be greater than max' })
  // Refused here, not found by a draw loop that can never finish (or, once, drew outside the range).
  .refine((d) => d.min > d.max || gridSize(d) >= 1, {
    error: (issue) => emptyRangeMessage(issue.input as RangeFields),
    params: { fix: 'widen min … max so that it holds an allowed value, use more decimal places, or drop nonZero' },
  })
  .describe('how the entries of one matrix or vector are drawn: uniformly on a grid of integers or decimals');
export type Distribution = z.infer<typeof distributionSchema>;

interface RangeFields { type: string; min: number; max: number; places?: number; nonZero: boolean }

function emptyRangeMessage(d: RangeFields): string {
  const grid = d.type === 'integer' ? 'whole number' : `number with ${d.places} decimal place${d.places === 1 ? '' : 's'}`;
  const zero = d.nonZero ? ' other than 0 (nonZero is set)' : '';
  return `no value can be drawn: there is no ${grid}${zero} from ${d.min} to ${d.max}`;
}

const int = (n: number) => ({ type: 'integer' as const, min: -n, max: n, nonZero: false });

/** Marks of one part or written question; bounded so that no total can overflow to Infinity. */
const MAX_MARKS = 1000;
const marks = () => z.number().min(0).max(MAX_MARKS);

export const marksSchema = z.object({
  hiddenStates: marks().default(3).describe('part 1: the hidden states h_t'),
  outputs: marks().default(3).describe('part 2: the outputs yhat_t'),
  losses: marks().default(2).describe('part 3: the losses l_t and L'),
  hiddenGradient: marks().default(4).describe('part 4: dL/dh_t at the configured step'),
  outputWeightGradient: marks().default(3).describe('part 5: dL/dV'),
  inputWeightGradient: marks().default(5).describe('part 6: dL/dU'),
}).strict();

export const qualitySchema = z.object({
  maxAbsHbar: z.number().positive().default(2.5).describe('reject a draw when any |hbar| exceeds this (tanh saturates)'),
  maxProbability: z.number().gt(0).lt(1).default(0.97).describe('reject a draw when a softmax output is nearly one-hot'),
  minGradient: z.number().min(0).default(0.01).describe('reject when the largest |entry| of an asked gradient is below this (vanishing)'),
  maxGradient: z.number().positive().default(20).describe('reject when any |entry| of an asked gradient exceeds this (exploding)'),
  roundingMargin: z.number().min(0).max(0.5).default(0.005).describe('reject when a displayed answer lies within this many units of its last digit of a rounding boundary'),
  largePartIndiscriminate: z.number().min(0).max(0.5).default(0.25).describe('in a part of more than 16 entries (a large gradient matrix, many hidden states), the share of entries whose accepted range may hold 0; smaller parts: none. At 8 hidden units and 8 steps a 3-figure rule leaves several small entries of dL/dU with either sign'),
  maxAttempts: z.number().int().positive().max(100_000).default(5000).describe('give up (config error) after this many rejected draws; at most 100000, about a second per student'),
}).strict();

export const rnnQuestionSchema = z.object({
  activation: z.enum(['tanh']).default('tanh').describe('hidden activation; only tanh is supported'),
  sizes: z.object({
    input: z.number().int().min(1).max(8).default(3),
    hidden: z.number().int().min(1).max(8).default(3),
    output: z.number().int().min(2).max(8).default(3),
    T: z.number().int().min(1).max(8).default(3),
  }).strict().prefault({}).describe('input, hidden and output sizes and the number of time steps T'),
  draw: z.object({
    U: distributionSchema.optional(),
    W: distributionSchema.optional(),
    V: distributionSchema.optional(),
    b: distributionSchema.optional(),
    c: distributionSchema.optional(),
    x: distributionSchema.optional(),
  }).strict().prefault({}).describe('how each of U, W, V, b, c and the inputs x are drawn; targets y are uniform class indices; any left out scales with the sizes (see default-draw.ts)'),
  lossReduction: z.enum(['mean', 'sum']).default('mean').describe('L is the mean (default) or the sum of the l_t'),
  significantFigures: z.number().int().min(2).max(6).default(3).describe('display rounding of every answer'),
  gradientStep: z.number().int().min(0).default(1).describe('the t of the dL/dh_t part (0-based, less than T)'),
  marks: marksSchema.prefault({}),
  methodMarks: methodMarksSchema.prefault({}),
  marking: markingPolicySchema.prefault({}),
  quality: qualitySchema.prefault({}),
}).strict().transform((rnn) => {
  const given = Object.fromEntries(Object.entries(rnn.draw).filter(([, d]) => d !== undefined));
  return { ...rnn, draw: { ...defaultDraw(rnn.sizes), ...given } };
});
export type RnnQuestionConfig = z.infer<typeof rnnQuestionSchema>;

export const writtenQuestionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'use 1-40 letters, digits, ".", "_" or "-"').describe('stable identifier, recorded per student'),
  text: z.string().min(1).describe('the question as printed'),
  modelAnswer: z.array(z.string().min(1)).default([]).describe('points a full answer makes, for markers'),
  pointMarks: z.array(z.number().min(0)).optional()
    .describe('marks for each model-answer point, in order, adding up to the slot\'s marks (default: the marks shared equally)'),
}).strict();

export const writtenSlotSchema = z.object({
  marks: marks().default(5),
  wordLimit: z.number().int().positive().optional().describe('printed as "(at most N words)"'),
  questions: z.array(writtenQuestionSchema).min(1, 'a slot needs at least one question').describe('the bank; each student draws one'),
}).strict();

export { PDF_DOCUMENT_KINDS };

export const pdfSchema = z.object({
  tagged: z.array(z.enum(PDF_DOCUMENT_KINDS)).default(['question-paper'])
    .describe('documents printed as tagged (accessible) PDFs, with a structure tree for screen readers; tagging costs Chromium time per element, so typeset-heavy solutions and keys are untagged by default'),
}).strict();

export const DEFAULT_PERMITTED_MATERIALS = [
  'Pens and pencils, a ruler and an eraser.',
  'A non-programmable scientific calculator.',
  'No notes, books, phones or other electronic devices.',
];

/** The cover page of the question paper and where students write their answers. */
export const paperSchema = z.object({
  cover: z.boolean().default(true).describe('print a cover page with the rules of the exam (materials, rounding, layout conventions, marks per question) before the questions'),
  permittedMaterials: z.array(z.string().min(1)).default(DEFAULT_PERMITTED_MATERIALS).describe('what students may bring, as printed on the cover page'),
  answerSpace: z.enum(['booklet', 'paper']).default('booklet')
    .describe('"booklet": a separate answer booklet per student (answer-booklet.pdf); "paper": the same answer boxes and ruled lines inside the question paper, and no booklet'),
  wordsPerLine: z.number().int().min(4).max(30).default(10).describe('handwritten words per ruled line: a written question gets ceil(wordLimit / wordsPerLine) + 3 lines'),
  linesWithoutWordLimit: z.number().int().min(1).max(200).default(20).describe('ruled lines for a written question that has no word limit'),
}).strict();

export const examConfigSchema = z.object({
  examId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, ".", "_" or "-" (it names folders and seeds)')
    // It names the output folder output/<examId>: ".", ".." or a hidden or reserved name would land elsewhere.
    .refine((id) => !/^[A-Za-z0-9._-]{1,64}$/.test(id) || validateStudentId(id) === undefined, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a safe folder name: ${validateStudentId(String(issue.input))}`,
      params: { fix: 'use letters, digits, "_" and "-", not starting or ending with "." (e.g. "FIT5215-2026-S2-final")' },
    })
    .describe('stable identifier of this exam; part of every seed: changing it changes every paper'),
  course: z.string().default(''),
  title: z.string().default('Examination'),
  date: z.string().default(''),
  duration: z.string().default(''),
  instructions: z.array(z.string()).default([]),
  written: z.array(writtenSlotSchema).default([]).describe('written questions, one slot per question number'),
  rnn: rnnQuestionSchema.prefault({}),
  pdf: pdfSchema.prefault({}),
  paper: paperSchema.prefault({}),
}).strict().superRefine((exam, ctx) => {
  // Only against a valid T: a bad T is reported once, not again through gradientStep.
  if (Number.isInteger(exam.rnn.sizes.T) && exam.rnn.sizes.T >= 1 && exam.rnn.gradientStep >= exam.rnn.sizes.T) {
    ctx.addIssue({ code: 'custom', path: ['rnn', 'gradientStep'], message: `must be less than T = ${exam.rnn.sizes.T} (time steps are 0-based)` });
  }
  for (const { part, message } of methodMarkProblems(exam.rnn.marks, exam.rnn.methodMarks)) {
    ctx.addIssue({ code: 'custom', path: ['rnn', 'methodMarks', part], message });
  }
  // A matrix or input that can only be 0 makes every draw degenerate: the sampler could never succeed.
  for (const key of ['U', 'W', 'V', 'x'] as const) {
    const d = exam.rnn.draw[key];
    if (!d) continue; // the rnn block failed its own checks (e.g. a bad T): reported there
    if (d.min <= 0 && d.max >= 0 && gridSize(d) === 1 && !d.nonZero) {
      ctx.addIssue({ code: 'custom', path: ['rnn', 'draw', key], message: `only 0 can be drawn, so every draw would be rejected (${key === 'x' ? 'all-zero inputs' : `a zero matrix ${key}`})`, params: { fix: 'widen min … max so that non-zero values can be drawn' } });
    }
  }
  exam.written.forEach((slot, s) => {
    const seen = new Set<string>();
    slot.questions.forEach((q, i) => {
      if (q.pointMarks && q.pointMarks.length !== q.modelAnswer.length) {
        ctx.addIssue({ code: 'custom', path: ['written', s, 'questions', i, 'pointMarks'], message: `gives ${q.pointMarks.length} marks for ${q.modelAnswer.length} model-answer points` });
      } else if (q.pointMarks && Math.abs(q.pointMarks.reduce((a, b) => a + b, 0) - slot.marks) > 1e-9) {
        ctx.addIssue({ code: 'custom', path: ['written', s, 'questions', i, 'pointMarks'], message: `adds up to ${q.pointMarks.reduce((a, b) => a + b, 0)}, but the question has ${slot.marks} marks` });
      }
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['written', s, 'questions', i, 'id'], message: `duplicate question id '${q.id}'` });
      seen.add(q.id);
    });
  });
});
export type ExamConfig = z.infer<typeof examConfigSchema>;
export type ExamConfigInput = z.input<typeof examConfigSchema>;
