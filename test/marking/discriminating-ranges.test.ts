import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { backpropThroughTime, forwardPass } from '../../src/engine/index.ts';
import { buildMarkingRanges } from '../../src/marking/index.ts';
import { drawCandidate, drawParameters } from '../../src/random/draw-parameters.ts';
import { checkAnswers, checkForward, checkRanges, checkStructure } from '../../src/random/quality-checks.ts';
import { PART_IDS } from '../../src/solution/final-answers.ts';

const rnn = examConfigSchema.parse({ examId: 'D' }).rnn;
const holdsZero = (e: { lo: number; hi: number }) => !(e.lo === 0 && e.hi === 0) && e.lo <= 0 && e.hi >= 0;

describe('the draw redraws questions whose ranges cannot discriminate', () => {
  it('every accepted draw: no asked range holds 0 or both signs, every listed error told apart; its ranges are the marking\'s', () => {
    for (let i = 0; i < 25; i++) {
      const draw = drawParameters(seedrandom(`discriminate ${i}`), rnn);
      const ranges = buildMarkingRanges(draw.params, rnn.gradientStep, rnn.significantFigures);
      expect(draw.ranges).toEqual(ranges);
      for (const id of PART_IDS) {
        expect(ranges.correct[id].entries.filter(holdsZero).map((e) => e.name), `draw ${i}`).toEqual([]);
        expect(ranges.errors[id].filter((e) => !e.distinguishable).map((e) => e.errorId), `draw ${i}`).toEqual([]);
      }
    }
  });

  it('the rules fire on candidates that pass every other rule, and only where a range fails', () => {
    const rng = seedrandom('range rules');
    let fired = 0, passed = 0;
    for (let i = 0; i < 20000 && fired + passed < 60; i++) {
      const p = drawCandidate(rng, rnn);
      if (checkStructure(p).length > 0) continue;
      const forward = forwardPass(p);
      if (checkForward(forward, rnn).length > 0) continue;
      if (checkAnswers({ forward, grad: backpropThroughTime(p, forward) }, rnn).length > 0) continue;
      const ranges = buildMarkingRanges(p, rnn.gradientStep, rnn.significantFigures);
      const broken = checkRanges(ranges);
      const zero = PART_IDS.some((id) => ranges.correct[id].entries.some(holdsZero));
      const overlap = PART_IDS.some((id) => ranges.errors[id].some((e) => !e.distinguishable));
      expect(broken.includes('indiscriminate-range')).toBe(zero);
      expect(broken.includes('error-overlap')).toBe(overlap);
      if (broken.length > 0) fired++; else passed++;
    }
    expect(fired).toBeGreaterThan(0);
    expect(passed).toBeGreaterThan(0);
  });
});
