/**
 * A student who follows the paper's rule by hand: "round only what you write down, to N
 * significant figures, half away from zero, and carry it forward as written". Which
 * quantities they write, the order in which they add, which running totals they write and
 * which way they take the softmax and the loss are drawn at random. Written with plain
 * numbers, independently of the interval pass it tests.
 */
import seedrandom from 'seedrandom';
import type { RnnParams } from '../../src/engine/index.ts';
import { roundSignificantDecimal } from '../../src/marking/round-significant.ts';

export interface StudentHabits {
  /** a wrong method, as the common errors */
  otherReduction?: boolean; truncated?: boolean; noTanhDerivative?: boolean; transposedOuter?: boolean; noTarget?: boolean;
}

export interface StudentAnswers {
  h: number[][]; yhat: number[][]; loss: number[]; L: number; dh: number[][]; dV: number[][]; dU: number[][];
}

export function simulateStudent(p: RnnParams, digits: number, seed: string, habits: StudentHabits = {}): StudentAnswers {
  const rng = seedrandom(seed);
  const writeRate = [0, 1, rng()][Math.floor(rng() * 3)]; // never, always, or now and then
  const R = (x: number) => (rng() < writeRate ? roundSignificantDecimal(x, digits) : x);
  const box = (x: number) => roundSignificantDecimal(x, digits);
  const sumAny = (terms: number[]) => {
    const order = [...terms].sort(() => rng() - 0.5);
    let acc = order[0];
    for (let i = 1; i < order.length; i++) {
      acc += order[i];
      if (i < order.length - 1) acc = R(acc);
    }
    return acc;
  };
  const matVec = (A: number[][], v: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
  const tMatVec = (A: number[][], v: number[]) => A[0].map((_, j) => A.reduce((s, row, i) => s + row[j] * v[i], 0));
  const T = p.x.length, hidden = p.W.length;

  const h: number[][] = [], hC: number[][] = [], yhat: number[][] = [], yC: number[][] = [], loss: number[] = [], lC: number[] = [];
  let hPrev = new Array(hidden).fill(0);
  for (let t = 0; t < T; t++) {
    const Wh = matVec(p.W, hPrev).map(R), Ux = matVec(p.U, p.x[t]).map(R);
    const hbar = Wh.map((a, i) => R(sumAny([a, Ux[i], p.b[i]])));
    h[t] = hbar.map(Math.tanh);
    hC[t] = h[t].map(R);
    const z = matVec(p.V, hC[t]).map(R).map((a, i) => R(a + p.c[i]));
    const viaExp = rng() < 0.5;
    const e = z.map((zi) => R(Math.exp(zi)));
    const S = R(sumAny(e));
    yhat[t] = viaExp ? e.map((ei) => ei / S) : (() => { const m = Math.max(...z); const ex = z.map((zi) => Math.exp(zi - m)); const s = ex.reduce((a, b) => a + b, 0); return ex.map((x) => x / s); })();
    yC[t] = yhat[t].map(R);
    const y = p.y[t];
    const way = Math.floor(rng() * 3);
    loss[t] = way === 0 ? -Math.log(yC[t][y])
      : way === 1 && viaExp ? -Math.log(e[y] / S)
        : Math.max(...z) + Math.log(z.reduce((s, zi) => s + Math.exp(zi - Math.max(...z)), 0)) - z[y];
    lC[t] = R(loss[t]);
    hPrev = hC[t];
  }
  const mean = (p.lossReduction === 'mean') !== Boolean(habits.otherReduction);
  const total = sumAny(lC);
  const L = mean ? R(total) / T : total;

  const dh: number[][] = [], dhbar: number[][] = [];
  const outer = (a: number[], b: number[]) => (habits.transposedOuter ? b.map((bj) => a.map((ai) => R(ai * bj))) : a.map((ai) => b.map((bj) => R(ai * bj))));
  const dVs: number[][][] = [], dUs: number[][][] = [];
  for (let t = T - 1; t >= 0; t--) {
    const residual = yC[t].map((v, i) => R(v - (!habits.noTarget && i === p.y[t] ? 1 : 0)));
    const dz = mean ? residual.map((v) => R(v / T)) : residual;
    dVs.push(outer(dz, hC[t]));
    const fromOut = tMatVec(p.V, dz).map(R);
    const fromNext = t + 1 < T && !habits.truncated ? tMatVec(p.W, dhbar[t + 1]).map(R) : undefined;
    dh[t] = fromOut.map((a, i) => (fromNext ? a + fromNext[i] : a));
    const dhC = dh[t].map(R);
    dhbar[t] = habits.noTanhDerivative ? dhC : dhC.map((g, i) => R(g * R(1 - R(hC[t][i] * hC[t][i]))));
    dUs.push(outer(dhbar[t], p.x[t]));
  }
  const sumSteps = (steps: number[][][]) => steps[0].map((row, i) => row.map((_, j) => sumAny(steps.map((s) => s[i][j]))));
  const boxM = (M: number[][]) => M.map((r) => r.map(box));
  return {
    h: h.map((v) => v.map(box)), yhat: yhat.map((v) => v.map(box)), loss: loss.map(box), L: box(L),
    dh: dh.map((v) => v.map(box)), dV: boxM(sumSteps(dVs)), dU: boxM(sumSteps(dUs)),
  };
}
