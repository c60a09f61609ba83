import seedrandom from 'seedrandom';
import type { PlainParams } from './reference-rnn.ts';

export type Sizes = { input: number; hidden: number; output: number; T: number };

/** Random real-valued parameters of the given sizes, reproducible from `seed`. */
export function randomParams(seed: string, sizes: { input: number; hidden: number; output: number; T: number }, lossReduction: 'mean' | 'sum'): PlainParams {
  const rng = seedrandom(seed);
  const u = () => (rng() * 2 - 1) * 1.5;
  const matrix = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, u));
  return {
    U: matrix(sizes.hidden, sizes.input),
    W: matrix(sizes.hidden, sizes.hidden),
    V: matrix(sizes.output, sizes.hidden),
    b: Array.from({ length: sizes.hidden }, u),
    c: Array.from({ length: sizes.output }, u),
    x: matrix(sizes.T, sizes.input),
    y: Array.from({ length: sizes.T }, () => Math.floor(rng() * sizes.output)),
    lossReduction,
  };
}

/** Exam-like draws: U, W, V in {-2..2}; b, c, x in {-1..1}. */
export function smallIntegerParams(seed: string, s: Sizes, lossReduction: 'mean' | 'sum'): PlainParams {
  const rng = seedrandom(seed);
  const int = (k: number) => () => Math.floor(rng() * (2 * k + 1)) - k;
  const matrix = (r: number, c: number, k: number) => Array.from({ length: r }, () => Array.from({ length: c }, int(k)));
  return {
    U: matrix(s.hidden, s.input, 2), W: matrix(s.hidden, s.hidden, 2), V: matrix(s.output, s.hidden, 2),
    b: matrix(1, s.hidden, 1)[0], c: matrix(1, s.output, 1)[0], x: matrix(s.T, s.input, 1),
    y: Array.from({ length: s.T }, () => Math.floor(rng() * s.output)),
    lossReduction,
  };
}
