import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { backpropThroughTime, crossEntropyFromLogits, matVec, softmax, type RnnParams } from '../../src/engine/index.ts';
import {
  markStudent, prepareQuestion, resolveMarkScheme, roundSignificantDecimal, type AnswerValue, type GivenAnswers, type MarkingQuestion,
} from '../../src/marking/index.ts';
import { parseAnswersJson } from '../../src/pipeline/parse-answers.ts';
import { answerParts } from '../../src/pipeline/check-answers.ts';
import { drawParameters } from '../../src/random/draw-parameters.ts';
import { acceptText } from '../../src/solution/build-marking-key.ts';
import { wrongMethodSolution } from '../../src/solution/common-errors.ts';
import { PART_IDS, partQuantities } from '../../src/solution/final-answers.ts';
import { simulateStudent, type StudentAnswers } from '../helpers/simulated-student.ts';

const round = (v: unknown, d = 3): AnswerValue => (typeof v === 'number' ? roundSignificantDecimal(v, d)
  : (v as unknown[]).map((x) => round(x, d)) as AnswerValue);

function drawn(seed: string, overrides: Record<string, unknown> = {}) {
  const exam = examConfigSchema.parse({ examId: 'm', rnn: overrides });
  const draw = drawParameters(seedrandom(seed), exam.rnn);
  const question: MarkingQuestion = { params: draw.params, gradientStep: exam.rnn.gradientStep, digits: 3, questionNumber: 3, marks: exam.rnn.marks };
  return { exam, draw, question };
}

/** Answers (rounded to `d` figures) from a forward pass and gradients. */
function answersOf(f: { h: number[][]; yhat: number[][]; loss: number[]; L: number }, g: { h: number[][]; V: number[][]; U: number[][] }, step: number, d = 3): GivenAnswers {
  return new Map(PART_IDS.map((id) => [id, new Map(partQuantities(id, f, g, step).map((q) => [q.name, round(q.value, d)]))]));
}

const fromStudent = (a: StudentAnswers, step: number) => answersOf({ h: a.h, yhat: a.yhat, loss: a.loss, L: a.L }, { h: a.dh, V: a.dV, U: a.dU }, step);

/** Forward and backward from the student's own hidden states (their later working is right given them). */
function workingFrom(p: RnnParams, h: number[][]) {
  const yhat = h.map((ht) => softmax(matVec(p.V, ht).map((z, i) => z + p.c[i])));
  const loss = h.map((ht, t) => crossEntropyFromLogits(matVec(p.V, ht).map((z, i) => z + p.c[i]), p.y[t]));
  const total = loss.reduce((a, b) => a + b, 0);
  const forward = { hbar: h, h, z: [], yhat, loss, L: p.lossReduction === 'mean' ? total / h.length : total };
  return { forward, grad: backpropThroughTime(p, forward) };
}

describe('error carried forward', () => {
  it('a wrong h_1 with right working from it: 3.1 loses its marks, every later part earns them by ECF', () => {
    let checked = 0;
    for (let i = 0; i < 6; i++) {
      const { draw, question } = drawn(`ecf ${i}`);
      const p = draw.params;
      // The student slips in hbar_1 (one sign of U x_1 wrong) and carries the slip on.
      const h: number[][] = [];
      let prev = [0, 0, 0];
      for (let t = 0; t < p.x.length; t++) {
        const ux = matVec(p.U, p.x[t]).map((v, k) => (t === 1 && k === 0 ? -v : v));
        h[t] = matVec(p.W, prev).map((v, k) => Math.tanh(v + ux[k] + p.b[k])).map((v) => roundSignificantDecimal(v, 3));
        prev = h[t];
      }
      if (matVec(p.U, p.x[1])[0] === 0) continue;
      const { forward, grad } = workingFrom(p, h);
      const mark = markStudent(question, answersOf(forward, grad, question.gradientStep));
      expect(mark.parts[0]).toMatchObject({ verdict: 'wrong', marks: 0, ecf: false });
      for (const part of mark.parts.slice(1)) {
        expect(part, `draw ${i} ${part.part}`).toMatchObject({ ecf: true, marks: part.maxMarks });
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('an all-zeros answer earns nothing, carried forward or not', () => {
    const { question } = drawn('zeros');
    const zeros = new Map(answerParts(question).map((part) => [part.id, new Map(part.quantities.map((q) => [q.name, zero(round(q.value))]))]));
    const mark = markStudent(question, zeros as GivenAnswers);
    expect(mark.total).toBe(0);
    expect(mark.parts.every((p) => !p.ecf)).toBe(true);
  });
});

function zero(v: AnswerValue): AnswerValue {
  return typeof v === 'number' ? 0 : (v as unknown[]).map((x) => zero(x as AnswerValue)) as AnswerValue;
}

describe('answers as students give them', () => {
  it('right only to 2 significant figures: too-few-figures, full marks less the penalty', () => {
    const { draw, question } = drawn('figures');
    const answers = answersOf(draw.solution.forward, draw.solution.grad, question.gradientStep, 2);
    const mark = markStudent(question, answers);
    const verdicts = new Set(mark.parts.map((p) => p.verdict));
    expect([...verdicts].every((v) => v === 'too-few-figures' || v === 'correct')).toBe(true);
    expect(verdicts.has('too-few-figures')).toBe(true);
    for (const p of mark.parts.filter((x) => x.verdict === 'too-few-figures')) expect(p.marks).toBe(p.maxMarks - 1);
  });

  it('a transposed non-square dL/dV is read and named as the transposed outer product', () => {
    const { draw, question } = drawn('transposed', { sizes: { input: 2, hidden: 3, output: 2, T: 3 } });
    const wrong = wrongMethodSolution(draw.params, 'transposed-outer-product');
    const dV = round(wrong.grad.V) as number[][];
    expect([dV.length, dV[0].length]).toEqual([3, 2]);
    const parts = answerParts(question);
    const given = parseAnswersJson({ '3.5': dV, '3.6': round(wrong.grad.U) }, 'answers.json', parts);
    const mark = markStudent(question, given);
    for (const part of [mark.parts[4], mark.parts[5]]) {
      expect(part).toMatchObject({ verdict: 'common-error', errorId: 'transposed-outer-product', transposed: true });
      const lost = resolveMarkScheme(question.marks)[part.id].filter((s) => s.lostBy.includes('transposed-outer-product'));
      expect(part.marks).toBe(part.maxMarks - lost.reduce((s, x) => s + x.marks, 0));
    }
  });
});

describe('common errors at student rounding', () => {
  it('a student making a listed error and carrying 3 s.f. is named in at least 90% of the parts it changes, never correct', () => {
    let changed = 0, named = 0;
    for (let i = 0; i < 12; i++) {
      const { question } = drawn(`habits ${i}`);
      const prepared = prepareQuestion(question);
      const habits = [{ otherReduction: true }, { truncated: true }, { noTanhDerivative: true }, { transposedOuter: true }, { noTarget: true }];
      const ids = ['wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'transposed-outer-product', 'softmax-without-target'];
      habits.forEach((habit, k) => {
        for (let s = 0; s < 4; s++) {
          const a = simulateStudent(question.params, 3, `habits ${i} ${k} ${s}`, habit);
          const mark = markStudent(question, fromStudent(a, question.gradientStep), undefined, prepared);
          for (const part of mark.parts) {
            const listed = prepared.ranges.errors[part.id].find((e) => e.errorId === ids[k]);
            if (!listed) continue;
            changed++;
            expect(part.verdict, `${ids[k]} ${part.part}`).not.toBe('correct');
            if (part.verdict === 'common-error' && (part.errorId === ids[k] || part.sameAnswerAs?.includes(ids[k] as never))) named++;
          }
        }
      });
    }
    console.log(`common errors at 3 s.f.: named in ${named} of ${changed} changed parts (${((100 * named) / changed).toFixed(1)}%)`);
    expect(named / changed).toBeGreaterThanOrEqual(0.9);
  });
});

describe('the key and check agree', () => {
  it('for every entry, values at and just outside the printed ends get the verdict the key implies', () => {
    const shapes = [{}, { sizes: { input: 2, hidden: 3, output: 4, T: 2 }, lossReduction: 'sum', gradientStep: 0 },
      { draw: { U: { type: 'decimal', min: -1, max: 1, places: 1 }, V: { type: 'decimal', min: -1.5, max: 1.5, places: 1 } } }];
    for (let i = 0; i < 3; i++) {
      const { draw, question } = drawn(`agree ${i}`, shapes[i]);
      const prepared = prepareQuestion(question);
      const base = answersOf(draw.solution.forward, draw.solution.grad, question.gradientStep);
      for (const id of PART_IDS) {
        for (const entry of prepared.ranges.correct[id].entries) {
          const text = acceptText(entry.lo, entry.hi, 3);
          const [low, high] = text.includes(' to ') ? text.split(' to ').map(Number) : [Number(text), Number(text)];
          const unit = (x: number) => 10 ** (Math.floor(Math.log10(Math.abs(x) || 1)) - 2);
          for (const [value, accepted] of [[low, true], [high, true], [low - unit(low), false], [high + unit(high), false]] as const) {
            const answers: GivenAnswers = new Map([...base].map(([k, v]) => [k, new Map(v)]));
            setEntry(answers.get(id)!, entry.name, roundSignificantDecimal(value, 3));
            const part = markStudent(question, answers, undefined, prepared).parts.find((p) => p.id === id)!;
            const ok = part.entries.find((e) => e.name === entry.name)!.ok;
            expect(ok, `${entry.name} = ${value} against "${text}"`).toBe(accepted);
          }
        }
      }
    }
  });
});

function setEntry(values: Map<string, AnswerValue>, name: string, x: number): void {
  const match = name.match(/^(.*?)(?:\[(\d+)\])?(?:\[(\d+)\])?$/)!;
  const [, quantity, i, j] = match;
  const v = structuredClone(values.get(quantity)!);
  if (i === undefined) values.set(quantity, x);
  else if (j === undefined) { (v as number[])[Number(i)] = x; values.set(quantity, v); }
  else { (v as number[][])[Number(i)][Number(j)] = x; values.set(quantity, v); }
}

describe('prepareExamQuestion (for a cohort mark)', () => {
  it('marks a drawn student against the exam config, reusing the draw\'s ranges', async () => {
    const { drawStudent } = await import('../../src/random/draw-student.ts');
    const { prepareExamQuestion } = await import('../../src/marking/index.ts');
    const exam = examConfigSchema.parse({ examId: 'cohort', rnn: { marks: { hiddenGradient: 6 } } });
    const draw = drawStudent('cohort-secret-000000000001', exam, { id: 'S1', name: '' });
    const prepared = prepareExamQuestion(exam, draw);
    expect(prepared.ranges).toBe(draw.ranges);
    expect(prepared.scheme.hiddenGradient.map((s) => s.marks)).toEqual([1.5, 1.5, 1.5, 1.5]);
    const mark = markStudent(prepared.question, answersOf(draw.solution.forward, draw.solution.grad, exam.rnn.gradientStep), prepared.scheme, prepared);
    expect(mark.parts.map((p) => p.verdict)).toEqual(Array(6).fill('correct'));
    expect([mark.total, mark.maxTotal]).toEqual([22, 22]);
  });
});
