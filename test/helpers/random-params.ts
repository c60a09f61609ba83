import seedrandom from 'seedrandom';
import type { PlainParams } from './reference-rnn.ts';

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
