/** Questions drawn by the project's own sampler over random exam shapes within the schema's limits. */
import seedrandom from 'seedrandom';
import { examConfigSchema, type RnnQuestionConfig } from '../../src/config/exam-schema.ts';
import type { RnnParams } from '../../src/engine/index.ts';
import { drawParameters } from '../../src/random/draw-parameters.ts';

export interface RandomQuestion { name: string; params: RnnParams; gradientStep: number; digits: number; rnn: RnnQuestionConfig }

/** `count` questions: sizes 1..8 (output 2..8), T 1..6, mean and sum, integer and decimal draws. */
export function randomQuestions(count: number, seed = 'random questions', digitsChoices = [3]): RandomQuestion[] {
  const rng = seedrandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  const out: RandomQuestion[] = [];
  for (let i = 0; out.length < count && i < count * 4; i++) {
    const decimal = rng() < 0.5;
    const dist = (k: number) => (decimal ? { type: 'decimal', min: -k, max: k, places: pick([1, 2]) } : { type: 'integer', min: -Math.round(k), max: Math.round(k) });
    const big = rng() < 0.3;
    const sizes = big
      ? { input: 1 + Math.floor(rng() * 8), hidden: 1 + Math.floor(rng() * 8), output: 2 + Math.floor(rng() * 7), T: 1 + Math.floor(rng() * 6) }
      : { input: 1 + Math.floor(rng() * 4), hidden: 1 + Math.floor(rng() * 4), output: 2 + Math.floor(rng() * 3), T: 1 + Math.floor(rng() * 4) };
    const exam = examConfigSchema.parse({
      examId: 'x',
      rnn: {
        sizes, lossReduction: pick(['mean', 'sum']), significantFigures: pick(digitsChoices), gradientStep: Math.floor(rng() * sizes.T),
        draw: { U: dist(big ? 0.6 : 2), W: dist(1), V: dist(big ? 0.8 : 2), b: dist(1), c: dist(1), x: dist(1) },
        quality: { maxAttempts: 300, minGradient: 0 },
      },
    });
    try {
      const d = drawParameters(seedrandom(`${seed} ${i}`), exam.rnn);
      out.push({ name: `${seed} ${i} ${JSON.stringify(sizes)} ${exam.rnn.lossReduction} ${decimal ? 'decimal' : 'integer'}`, params: d.params, gradientStep: exam.rnn.gradientStep, digits: exam.rnn.significantFigures, rnn: exam.rnn });
    } catch { /* a shape the quality rules cannot satisfy in 300 draws: skip it */ }
  }
  return out;
}
