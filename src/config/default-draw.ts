import type { Distribution } from './exam-schema.ts';

export interface DrawSizes { input: number; hidden: number; output: number; T: number }
type DrawConfig = Record<'U' | 'W' | 'V' | 'b' | 'c' | 'x', Distribution>;

const int = (n: number): Distribution => ({ type: 'integer', min: -n, max: n, nonZero: false });
const decimal = (a: number): Distribution => {
  const bound = Math.max(0.1, Math.round(a * 10) / 10);
  return { type: 'decimal', min: -bound, max: bound, places: 1, nonZero: false };
};

/**
 * The draw ranges used for any of U, W, V, b, c, x the config leaves out. Up to 3 inputs,
 * hidden units, classes and steps they are the sample sheet's small integers. Beyond that
 * they shrink with the sizes so that the pre-activations keep about the same spread however
 * many terms they sum (each hbar_t has `input` terms of U x_t and `hidden` of W h_{t-1},
 * each z_t `hidden` of V h_t): without that, a hidden size of 4 or more saturates tanh in
 * almost every draw and no acceptable question is found. Decimals to one place then, which
 * students handle as easily as integers.
 */
export function defaultDraw(sizes: DrawSizes): DrawConfig {
  if (Math.max(sizes.input, sizes.hidden, sizes.output, sizes.T) <= 3) {
    return { U: int(2), W: int(1), V: int(2), b: int(1), c: int(1), x: int(1) };
  }
  // Variance targets: U x_t about 0.42 (x uniform on -1, 0, 1: variance 2/3; a range ±a on a
  // fine grid: about a²/3), W h_{t-1} about 0.18 (h² is about 0.3 on average), V h_t about 1.
  // hbar then has a spread of about 0.85: with hidden × T up to 64 entries, a larger spread puts
  // some |hbar| past quality.maxAbsHbar in most draws.
  return {
    U: decimal(Math.sqrt((0.42 * 9) / (2 * sizes.input))),
    W: decimal(Math.sqrt(1.8 / sizes.hidden)),
    V: decimal(Math.sqrt(10 / sizes.hidden)),
    b: decimal(0.5),
    c: decimal(0.5),
    // one or two inputs: never 0, or too many x_t would be all zero (a rejected draw)
    x: { ...int(1), nonZero: sizes.input <= 2 },
  };
}
