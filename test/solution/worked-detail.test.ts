import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { buildWorkedSolution, type WorkedSolutionView, type WorkedStep } from '../../src/solution/build-worked-solution.ts';
import { flattenQuantity, PART_IDS, partQuantities } from '../../src/solution/final-answers.ts';
import type { MathLine, MathToken } from '../../src/solution/math-tokens.ts';
import { everyOuterTermWorked, everyStepInFull, FULL_WORKING_MAX_ROWS } from '../../src/solution/worked-detail.ts';
import { numericIntermediateGradient } from '../helpers/reference-rnn.ts';

/**
 * How much a worked solution writes out: every step of the example-sized question in full, the
 * later steps of a large one in brief, and in either form the right numbers and every answer.
 */
const example = JSON.parse(readFileSync(new URL('../../examples/exam.json', import.meta.url), 'utf8'));
type Sizes = { input: number; hidden: number; output: number; T: number };
const solutionOf = (sizes: Sizes, gradientStep = 1) => {
  const exam = parseExamConfig({ ...example, rnn: { ...example.rnn, sizes, gradientStep } }, 'exam.json');
  const draw = drawStudent('worked-detail-test-secret-0001', exam, { id: 'S-1', name: 'Test Student' });
  return { exam, draw, view: buildWorkedSolution(exam, draw) };
};

const tokensOf = (l: MathLine): MathToken[] => [...l.lhs, ...l.rhs].flatMap(function flat(t: MathToken): MathToken[] { return t.kind === 'group' ? [t, ...t.tokens.flatMap(flat)] : [t]; });
/** A product written out: a matrix beside a vector (or a column beside a row) in one group. */
const writesProducts = (step: WorkedStep) => step.lines.some((l) => tokensOf(l).some((t) => t.kind === 'group' && t.style === 'product'));
const vectorsOf = (l: MathLine) => l.rhs.filter((t): t is Extract<MathToken, { kind: 'matrix' }> => t.kind === 'matrix').map((m) => m.rows.map((r) => Number(r[0])));
/** A value shown to 3 significant figures is within half a unit of its third digit of the reference. */
const expectShown = (shown: number[], reference: number[], what: string) => {
  expect(shown.length, what).toBe(reference.length);
  shown.forEach((s, i) => expect(Math.abs(s - reference[i]), `${what}[${i}]: ${s} vs ${reference[i]}`).toBeLessThanOrEqual(0.0051 * Math.abs(reference[i]) + 1e-6));
};
const stepsOf = (view: WorkedSolutionView, part: number) => view.parts[part].steps;

describe('the rule: every step in full up to a size, the later steps in brief beyond it', () => {
  it('is a function of the shape, tested on both sides of its threshold', () => {
    expect(FULL_WORKING_MAX_ROWS).toBe(12);
    for (const T of [1, 2, 3, 4]) expect(everyStepInFull({ hidden: 3, output: 3, T }), `3 units, T = ${T}`).toBe(true);
    for (const T of [5, 6, 7, 8]) expect(everyStepInFull({ hidden: 3, output: 3, T }), `3 units, T = ${T}`).toBe(false);
    expect(everyStepInFull({ hidden: 4, output: 4, T: 3 })).toBe(true);
    expect(everyStepInFull({ hidden: 4, output: 4, T: 4 })).toBe(false);
    expect(everyStepInFull({ hidden: 8, output: 8, T: 1 })).toBe(true);
    expect(everyStepInFull({ hidden: 8, output: 8, T: 2 })).toBe(false);
    // the taller of the two vectors counts: 8 output classes make the outputs as long
    expect(everyStepInFull({ hidden: 2, output: 6, T: 2 })).toBe(true);
    expect(everyStepInFull({ hidden: 2, output: 8, T: 2 })).toBe(false);
    expect(everyStepInFull({ hidden: 8, output: 8, T: 8 })).toBe(false);
    expect(everyOuterTermWorked(4, 4, 4)).toBe(true);
    for (const [T, rows, columns] of [[5, 3, 3], [3, 5, 3], [3, 3, 5]]) expect(everyOuterTermWorked(T, rows, columns)).toBe(false);
  });
});

describe('the example-sized question keeps every step, with every product written out', () => {
  for (const T of [3, 4]) {
    it(`3 units, T = ${T}`, () => {
      const { view, draw } = solutionOf({ input: 3, hidden: 3, output: 3, T });
      expect(view.compact).toBe(false);
      const steps = view.parts.flatMap((p) => p.steps);
      expect(steps.filter((s) => s.row)).toEqual([]);
      expect(view.parts.every((p) => !p.answersInRow)).toBe(true);
      // one step per time step in the forward pass and outputs, each writing its products out
      expect(stepsOf(view, 0)).toHaveLength(T);
      expect(stepsOf(view, 1)).toHaveLength(T);
      expect(stepsOf(view, 0).every(writesProducts) && stepsOf(view, 1).every(writesProducts)).toBe(true);
      // backward: t = T-1 down to 1 in part 4 (after its caption), t = 0 in part 6, all written out
      const backward = [...stepsOf(view, 3).slice(1), ...stepsOf(view, 5).filter((s) => s.caption?.startsWith('Step'))];
      expect(backward).toHaveLength(T);
      expect(backward.every(writesProducts)).toBe(true);
      expect(view.parts.map((p) => p.answers.length)).toEqual(PART_IDS.map((id) => partQuantities(id, draw.solution.forward, draw.solution.grad, 1).length));
    });
  }
});

describe('a large question: the first steps of each pass in full, the later ones as the vectors they give', () => {
  for (const [sizes, k] of [[{ input: 3, hidden: 3, output: 3, T: 6 }, 1], [{ input: 8, hidden: 8, output: 8, T: 8 }, 1], [{ input: 8, hidden: 8, output: 8, T: 8 }, 7], [{ input: 4, hidden: 8, output: 5, T: 4 }, 0], [{ input: 3, hidden: 3, output: 3, T: 5 }, 4], [{ input: 8, hidden: 8, output: 8, T: 3 }, 1]] as Array<[Sizes, number]>) {
    it(`${sizes.input}×${sizes.hidden}×${sizes.output}, T = ${sizes.T}, gradient at step ${k}`, () => {
      const { view, draw, exam } = solutionOf(sizes, k);
      const p = draw.params, f = draw.solution.forward, g = draw.solution.grad, T = sizes.T;
      expect(p.x).toHaveLength(T);
      expect(view.compact).toBe(true);

      // forward: t = 0 and t = 1 written out, then one brief step listing t = 2 … T-1
      const forward = stepsOf(view, 0);
      expect(forward.slice(0, 2).every(writesProducts)).toBe(true);
      expect(forward).toHaveLength(3);
      const brief = forward[2];
      expect(brief.row && !writesProducts(brief)).toBe(true);
      expect(brief.caption).toContain(T === 3 ? 'Step $t = 2$ is computed' : `Steps $t = 2$ to $t = ${T - 1}$ are computed`);
      expect(brief.lines).toHaveLength(T - 2);
      let hPrev = new Array(sizes.hidden).fill(0);
      for (let t = 0; t < T; t++) {
        // independent loops: W h_{t-1}, U x_t + b, hbar_t, h_t
        const Wh = p.W.map((row) => row.reduce((s, w, j) => s + w * hPrev[j], 0));
        const Uxb = p.U.map((row, i) => row.reduce((s, u, j) => s + u * p.x[t][j], p.b[i]));
        const hbar = Wh.map((v, i) => v + Uxb[i]);
        const h = hbar.map(Math.tanh);
        if (t >= 2) expectShown(vectorsOf(brief.lines[t - 2]).flat(), [...Wh, ...Uxb, ...hbar, ...h], `forward step ${t}`);
        hPrev = h;
      }

      // outputs: t = 0 written out, then z_t and yhat_t per later step
      const outputs = stepsOf(view, 1);
      expect(outputs).toHaveLength(2);
      expect(writesProducts(outputs[0]) && !writesProducts(outputs[1])).toBe(true);
      outputs[1].lines.forEach((l, i) => {
        const t = i + 1;
        const z = p.V.map((row, o) => row.reduce((s, v, j) => s + v * f.h[t][j], p.c[o]));
        const e = z.map((v) => Math.exp(v - Math.max(...z)));
        expectShown(vectorsOf(l).flat(), [...z, ...e.map((v) => v / e.reduce((a, b) => a + b, 0))], `output step ${t}`);
      });

      // backward: t = T-1 and T-2 written out wherever they fall (part 4 or 6), every later one in brief
      const backward = [...stepsOf(view, 3), ...stepsOf(view, 5)].filter((s) => s.lines.length > 0 && !s.lines.some((l) => l.lhs.some((t) => t.kind === 'tex' && t.tex.includes('\\partial V') || t.kind === 'tex' && t.tex.includes('\\partial U'))));
      const full = backward.filter(writesProducts), inBrief = backward.filter((s) => s.row);
      expect(full).toHaveLength(2);
      expect(inBrief).toHaveLength(T - 2);
      for (const [i, step] of inBrief.entries()) {
        const t = T - 3 - i;
        const shown = step.lines.map(vectorsOf);
        const dhbar = Array.from({ length: sizes.hidden }, (_, j) => numericIntermediateGradient(p, 'hbar', t, j));
        const dh = Array.from({ length: sizes.hidden }, (_, j) => numericIntermediateGradient(p, 'h', t, j));
        // dL/dz_t shown once: in part 4 for t >= k, in part 5 for t < k
        expect(shown).toHaveLength(t >= k ? 3 : 2);
        const [dhTerms, dhbarShown] = shown.slice(-2);
        expectShown(dhTerms[2], dh, `dL/dh_${t}`);
        expectShown(dhbarShown[0], dhbar, `dL/dhbar_${t}`);
        // its two terms: V^T dL/dz_t and W^T dL/dhbar_{t+1}
        const dz = Array.from({ length: sizes.output }, (_, o) => numericIntermediateGradient(p, 'z', t, o));
        const dhbarNext = Array.from({ length: sizes.hidden }, (_, j) => numericIntermediateGradient(p, 'hbar', t + 1, j));
        if (t >= k) expectShown(shown[0][0], dz, `dL/dz_${t}`);
        expectShown(dhTerms[0], p.V[0].map((_, j) => p.V.reduce((s, row, o) => s + row[j] * dz[o], 0)), `V^T dL/dz_${t}`);
        expectShown(dhTerms[1], p.W[0].map((_, j) => p.W.reduce((s, row, i) => s + row[j] * dhbarNext[i], 0)), `W^T dL/dhbar_${t + 1}`);
      }

      // every asked quantity is in the answers, to the exam's figures
      const asked = PART_IDS.map((id) => partQuantities(id, f, g, k));
      expect(view.parts.map((part) => part.answers.map((a) => a.lhs[0]))).toEqual(asked.map((qs) => qs.map((q) => ({ kind: 'tex', tex: q.tex }))));
      view.parts.forEach((part, i) => part.answers.forEach((answer, j) => {
        const rounded = answer.rhs[0];
        const shown = rounded.kind === 'tex' ? [Number(rounded.tex)] : rounded.kind === 'matrix' ? rounded.rows.flat().map(Number) : [];
        expectShown(shown, flattenQuantity(asked[i][j]).map((e) => e.value), asked[i][j].name);
      }));
      // vectors and scalars side by side; a matrix's answer keeps a line of its own
      expect(view.parts.map((part) => part.answersInRow)).toEqual([true, true, true, false, false, false]);
      expect(exam.rnn.significantFigures).toBe(3);
    });
  }
});

describe('at T = 2 only the outputs have a later step to give in brief', () => {
  it('8×8×8, T = 2', () => {
    const { view } = solutionOf({ input: 8, hidden: 8, output: 8, T: 2 });
    expect(view.compact).toBe(true);
    expect(stepsOf(view, 0).map(writesProducts)).toEqual([true, true]);
    expect(stepsOf(view, 1).map((s) => [writesProducts(s), Boolean(s.row), s.lines.length])).toEqual([[true, false, 2], [false, true, 1]]);
    expect(stepsOf(view, 1)[1].caption).toContain('Step $t = 1$ is computed the same way');
    // both backward steps written out: t = 1 in part 4, t = 0 in part 6
    expect(stepsOf(view, 3).slice(1).map(writesProducts)).toEqual([true]);
    expect(stepsOf(view, 5).filter((s) => s.caption?.startsWith('Step $t = 0$')).map(writesProducts)).toEqual([true]);
    // side by side: the outputs' later step, and dL/dz_0 listed for part 5
    expect(view.parts.map((p) => p.steps.filter((s) => s.row).length)).toEqual([0, 1, 0, 0, 1, 0]);
  });
});
