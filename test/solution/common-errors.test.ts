import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRnnParams, solveRnn, type RnnParams } from '../../src/engine/index.ts';
import {
  COMMON_ERRORS, commonErrorAnswers, commonErrors, errorDescriptionTex, wrongMethodSolution, type CommonErrorId,
} from '../../src/solution/common-errors.ts';
import { richTextHtml } from '../../src/render/math-html.ts';
import { flattenQuantity, PART_IDS, partQuantities } from '../../src/solution/final-answers.ts';
import { formatSignificant } from '../../src/solution/format-number.ts';
import { randomParams, smallIntegerParams, type Sizes } from '../helpers/random-params.ts';


const SQUARE: Sizes = { input: 3, hidden: 3, output: 3, T: 3 };
const NON_SQUARE: Sizes[] = [{ input: 2, hidden: 4, output: 3, T: 5 }, { input: 5, hidden: 2, output: 4, T: 2 }];

/** 2 reductions × (30 small-integer square + 10 real square + 2·10 real non-square) = 120 draws. */
function draws(): Array<{ name: string; p: RnnParams }> {
  const out: Array<{ name: string; p: RnnParams }> = [];
  for (const r of ['mean', 'sum'] as const) {
    for (let i = 0; i < 30; i++) out.push({ name: `int ${r} ${i}`, p: smallIntegerParams(`ce int ${r} ${i}`, SQUARE, r) });
    for (const s of [SQUARE, ...NON_SQUARE]) {
      for (let i = 0; i < 10; i++) out.push({ name: `real ${JSON.stringify(s)} ${r} ${i}`, p: randomParams(`ce real ${JSON.stringify(s)} ${r} ${i}`, s, r) });
    }
  }
  return out;
}

/**
 * Independent loops: forward h_t, yhat_t, then BPTT with switches for the wrong methods.
 * Shares no code with src/.
 */
function loopsSolve(p: RnnParams, opts: { tanh?: boolean; target?: boolean; truncated?: boolean; hForHPrev?: boolean } = {}) {
  const { tanh = true, target = true, truncated = false, hForHPrev = false } = opts;
  const H = p.U.length, I = p.U[0].length, O = p.V.length, T = p.x.length;
  const h: number[][] = [], yhat: number[][] = [];
  for (let t = 0; t < T; t++) {
    h[t] = [];
    for (let i = 0; i < H; i++) {
      let s = p.b[i];
      for (let j = 0; j < H; j++) s += p.W[i][j] * (t > 0 ? h[t - 1][j] : 0);
      for (let k = 0; k < I; k++) s += p.U[i][k] * p.x[t][k];
      h[t][i] = Math.tanh(s);
    }
    const e: number[] = [];
    for (let o = 0; o < O; o++) {
      let s = p.c[o];
      for (let j = 0; j < H; j++) s += p.V[o][j] * h[t][j];
      e[o] = Math.exp(s);
    }
    const total = e.reduce((a, b) => a + b, 0);
    yhat[t] = e.map((v) => v / total);
  }
  const scale = p.lossReduction === 'mean' ? 1 / T : 1;
  const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array(c).fill(0));
  const dh: number[][] = [], dhbar: number[][] = [], dV = zeros(O, H), dU = zeros(H, I), dW = zeros(H, H);
  for (let t = T - 1; t >= 0; t--) {
    const dz = yhat[t].map((v, o) => (v - (target && o === p.y[t] ? 1 : 0)) * scale);
    dh[t] = [];
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let o = 0; o < O; o++) s += p.V[o][j] * dz[o];
      if (!truncated && t + 1 < T) for (let i = 0; i < H; i++) s += p.W[i][j] * dhbar[t + 1][i];
      dh[t][j] = s;
    }
    dhbar[t] = dh[t].map((g, i) => (tanh ? g * (1 - h[t][i] * h[t][i]) : g));
    for (let o = 0; o < O; o++) for (let j = 0; j < H; j++) dV[o][j] += dz[o] * h[t][j];
    for (let i = 0; i < H; i++) for (let k = 0; k < I; k++) dU[i][k] += dhbar[t][i] * p.x[t][k];
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) dW[i][j] += dhbar[t][i] * (hForHPrev ? h[t][j] : t > 0 ? h[t - 1][j] : 0);
  }
  return { dh, dV, dU, dW };
}

function expectClose(actual: number[][], expected: number[][], what: string) {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((a, j) => {
    expect(Math.abs(a - expected[i][j]), `${what}[${i}][${j}]: ${a} vs ${expected[i][j]}`).toBeLessThan(1e-10 * Math.max(1, Math.abs(expected[i][j])));
  }));
}
const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));

describe('each wrong method gives what that method really gives', () => {
  for (const { name, p } of draws()) {
    it(name, () => {
      const wrong = (id: CommonErrorId) => wrongMethodSolution(p, id);

      const swapped = solveRnn({ ...p, lossReduction: p.lossReduction === 'mean' ? 'sum' : 'mean' });
      const wr = wrong('wrong-reduction');
      expect(Math.abs(wr.forward.L - swapped.forward.L)).toBeLessThan(1e-10 * Math.max(1, swapped.forward.L));
      expectClose(wr.grad.h, swapped.grad.h, 'wrong-reduction dh');
      expectClose(wr.grad.V, swapped.grad.V, 'wrong-reduction dV');
      expectClose(wr.grad.U, swapped.grad.U, 'wrong-reduction dU');

      const truncated = loopsSolve(p, { truncated: true });
      expectClose(wrong('truncated-bptt').grad.h, truncated.dh, 'truncated dh');
      expectClose(wrong('truncated-bptt').grad.U, truncated.dU, 'truncated dU');

      const noTanh = loopsSolve(p, { tanh: false });
      expectClose(wrong('no-tanh-derivative').grad.h, noTanh.dh, 'no-tanh dh');
      expectClose(wrong('no-tanh-derivative').grad.U, noTanh.dU, 'no-tanh dU');

      const noTarget = loopsSolve(p, { target: false });
      for (const key of ['h', 'V', 'U'] as const) {
        expectClose(wrong('softmax-without-target').grad[key], { h: noTarget.dh, V: noTarget.dV, U: noTarget.dU }[key], `no-target d${key}`);
      }

      expectClose(wrong('h-t-for-h-t-minus-1').grad.W, loopsSolve(p, { hForHPrev: true }).dW, 'h_t for h_{t-1} dW');

      const correct = solveRnn(p);
      expectClose(wrong('transposed-outer-product').grad.V, transpose(correct.grad.V), 'transposed dV');
      expectClose(wrong('transposed-outer-product').grad.U, transpose(correct.grad.U), 'transposed dU');
      // forward quantities other than L are the correct ones for every method
      for (const e of COMMON_ERRORS) expect(wrong(e.id).forward.h).toEqual(correct.forward.h);
    });
  }
});

const shown = (qs: ReturnType<typeof partQuantities>) => qs.flatMap(flattenQuantity).map((e) => `${e.name}=${formatSignificant(e.value, 3)}`);

describe('an error is listed for a part exactly when its displayed answer differs', () => {
  for (const { name, p } of draws()) {
    it(name, () => {
      const T = p.x.length, step = name.length % T;
      const listed = commonErrorAnswers(p, step, 3);
      const correct = solveRnn(p);
      for (const part of PART_IDS) {
        const right = shown(partQuantities(part, correct.forward, correct.grad, step));
        for (const { id } of COMMON_ERRORS) {
          const w = wrongMethodSolution(p, id);
          const answer = shown(partQuantities(part, w.forward, w.grad, step));
          const sameShape = answer.map((s) => s.split('=')[0]).join() === right.map((s) => s.split('=')[0]).join();
          const entry = listed[part].find((e) => e.errorId === id);
          expect(entry !== undefined, `${part} ${id}`).toBe(sameShape && answer.join() !== right.join());
          if (entry) expect(shown(entry.quantities)).toEqual(answer);
        }
        for (const entry of listed[part]) {
          for (const other of entry.sameAnswerAs) {
            expect(shown(listed[part].find((e) => e.errorId === other)!.quantities)).toEqual(shown(entry.quantities));
          }
        }
      }
      expect(listed.hiddenStates).toEqual([]);
      expect(listed.outputs).toEqual([]);
      expect(listed.outputWeightGradient.map((e) => e.errorId)).not.toContain('truncated-bptt');
      expect(listed.outputWeightGradient.map((e) => e.errorId)).not.toContain('no-tanh-derivative');
      for (const part of PART_IDS) expect(listed[part].map((e) => e.errorId)).not.toContain('h-t-for-h-t-minus-1');
      if (p.V.length !== p.V[0].length) expect(listed.outputWeightGradient.map((e) => e.errorId)).not.toContain('transposed-outer-product');
      if (p.U.length !== p.U[0].length) expect(listed.inputWeightGradient.map((e) => e.errorId)).not.toContain('transposed-outer-product');
      // at the last step there is no later path, so truncation changes nothing there
      expect(commonErrorAnswers(p, T - 1, 3).hiddenGradient.map((e) => e.errorId)).not.toContain('truncated-bptt');
    });
  }
});

describe('the sample sheet (L the mean, the sheet differentiated the sum)', () => {
  const p = parseRnnParams(JSON.parse(readFileSync(new URL('../engine/fixtures/sample-params.json', import.meta.url), 'utf8')));
  const listed = commonErrorAnswers(p, 1, 3);
  const answerOf = (part: keyof typeof listed, id: string) => listed[part].find((e) => e.errorId === id)!.quantities[0].value as number[] | number[][];
  const f = (v: number) => formatSignificant(v, 3);

  it('recognises the summed-loss dL/dh_1 and dL/dV as wrong-reduction', () => {
    expect((answerOf('hiddenGradient', 'wrong-reduction') as number[]).map(f)).toEqual(['-2.76', '-3.14', '-0.348']);
    expect((answerOf('outputWeightGradient', 'wrong-reduction') as number[][]).map((r) => r.map(f)))
      .toEqual([['0.832', '-0.595', '0.481'], ['0.167', '-0.156', '0.358'], ['-0.999', '0.751', '-0.839']]);
    const losses = listed.losses.find((e) => e.errorId === 'wrong-reduction')!;
    expect(losses.quantities.map((q) => q.name)).toEqual(['l_0', 'l_1', 'l_2', 'L']);
    expect(f(losses.quantities[3].value as number)).toBe('6.04');
    expect(losses.description).toMatch(/sum of the l_t instead of their mean/);
  });

  it('lists the other errors where they change the displayed answer', () => {
    expect(listed.hiddenGradient.map((e) => e.errorId)).toEqual(['wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'softmax-without-target']);
    expect(listed.outputWeightGradient.map((e) => e.errorId)).toEqual(['wrong-reduction', 'transposed-outer-product', 'softmax-without-target']);
    expect(listed.inputWeightGradient.map((e) => e.errorId)).toEqual(['wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'transposed-outer-product', 'softmax-without-target']);
    expect(listed.losses.map((e) => e.errorId)).toEqual(['wrong-reduction']);
  });
});

describe('descriptions', () => {
  it('one sentence per error; wrong-reduction says which way round', () => {
    expect(COMMON_ERRORS.map((e) => e.id)).toEqual([
      'wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'transposed-outer-product', 'h-t-for-h-t-minus-1', 'softmax-without-target',
    ]);
    for (const e of COMMON_ERRORS) expect(e.description).toMatch(/^[A-Zd].*\.$/);
    expect(commonErrors('sum')[0].description).toMatch(/mean of the l_t instead of their sum/);
    expect(commonErrors('mean')[0].description).toMatch(/sum of the l_t instead of their mean/);
  });

  it('the printed key has each description with its math typeset, saying the same', () => {
    for (const e of COMMON_ERRORS) {
      for (const reduction of ['mean', 'sum', undefined] as const) {
        const tex = errorDescriptionTex(e.id, reduction);
        const html = richTextHtml(tex);
        expect(html, e.id).toContain('class="katex');
        // the words around the math are those of the plain description
        const words = (text: string) => text.replace(/\$[^$]*\$/g, ' ').match(/[a-z]{4,}/g) ?? [];
        for (const word of words(tex)) expect(commonErrors(reduction).find((c) => c.id === e.id)!.description, `${e.id}: ${word}`).toContain(word);
      }
    }
  });
});
