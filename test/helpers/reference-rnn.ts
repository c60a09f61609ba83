/**
 * An independent, deliberately naive RNN loss written with index loops, used only to check
 * the engine by finite differences. It shares no code with src/engine.
 */
export interface PlainParams {
  U: number[][]; W: number[][]; V: number[][]; b: number[]; c: number[]; x: number[][]; y: number[];
  lossReduction: 'mean' | 'sum';
}

/** Adds `delta` to one entry of an intermediate quantity as the forward pass goes by. */
export interface Nudge { quantity: 'hbar' | 'h' | 'z'; t: number; i: number; delta: number }

export function referenceLoss(p: PlainParams, nudge?: Nudge): number {
  const H = p.U.length, O = p.V.length, T = p.x.length;
  let hPrev = new Array(H).fill(0);
  let total = 0;
  for (let t = 0; t < T; t++) {
    const hbar: number[] = [];
    for (let i = 0; i < H; i++) {
      let s = p.b[i];
      for (let j = 0; j < H; j++) s += p.W[i][j] * hPrev[j];
      for (let k = 0; k < p.x[t].length; k++) s += p.U[i][k] * p.x[t][k];
      hbar.push(s);
    }
    if (nudge?.quantity === 'hbar' && nudge.t === t) hbar[nudge.i] += nudge.delta;
    const h = hbar.map((v) => Math.tanh(v));
    if (nudge?.quantity === 'h' && nudge.t === t) h[nudge.i] += nudge.delta;
    const z: number[] = [];
    for (let o = 0; o < O; o++) {
      let s = p.c[o];
      for (let j = 0; j < H; j++) s += p.V[o][j] * h[j];
      z.push(s);
    }
    if (nudge?.quantity === 'z' && nudge.t === t) z[nudge.i] += nudge.delta;
    let denominator = 0;
    for (const v of z) denominator += Math.exp(v);
    total += -Math.log(Math.exp(z[p.y[t]]) / denominator);
    hPrev = h;
  }
  return p.lossReduction === 'mean' ? total / T : total;
}

const EPS = 1e-5;

/** Central difference of the reference loss with respect to one parameter entry. */
export function numericParamGradient(p: PlainParams, key: 'U' | 'W' | 'V' | 'b' | 'c', i: number, j?: number): number {
  const at = (delta: number) => {
    const copy: PlainParams = structuredClone(p);
    if (j === undefined) (copy[key] as number[])[i] += delta;
    else (copy[key] as number[][])[i][j] += delta;
    return referenceLoss(copy);
  };
  return (at(EPS) - at(-EPS)) / (2 * EPS);
}

/** Central difference with respect to an intermediate quantity (total derivative through all later steps). */
export function numericIntermediateGradient(p: PlainParams, quantity: Nudge['quantity'], t: number, i: number): number {
  return (referenceLoss(p, { quantity, t, i, delta: EPS }) - referenceLoss(p, { quantity, t, i, delta: -EPS })) / (2 * EPS);
}
