import type { Vector } from './linalg.ts';

export function tanhVector(v: Vector): Vector {
  return v.map(Math.tanh);
}

/** d tanh(a)/da written in terms of h = tanh(a): 1 - h^2 */
export function tanhDerivativeFromOutput(h: Vector): Vector {
  return h.map((x) => 1 - x * x);
}

/** Softmax that subtracts the max first, so large logits cannot overflow. */
export function softmax(z: Vector): Vector {
  const max = Math.max(...z);
  const exps = z.map((zi) => Math.exp(zi - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/**
 * -log softmax(z)[target], computed from the logits (log-sum-exp) for accuracy: the gap
 * max - z[target] is taken first, so huge logits (1e16, where the doubles are 2 apart) keep
 * the small logarithm that adding it to max would round away.
 */
export function crossEntropyFromLogits(z: Vector, target: number): number {
  const max = Math.max(...z);
  return (max - z[target]) + Math.log(z.reduce((sum, zi) => sum + Math.exp(zi - max), 0));
}

export function oneHot(index: number, size: number): Vector {
  return Array.from({ length: size }, (_, i) => (i === index ? 1 : 0));
}
