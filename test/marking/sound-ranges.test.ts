import { describe, expect, it } from 'vitest';
import { solveRnn } from '../../src/engine/index.ts';
import { buildMarkingRanges, isAccepted, type MarkingRanges } from '../../src/marking/marking-ranges.ts';
import { lastPlaceUnit } from '../../src/marking/round-significant.ts';
import { PART_IDS, type PartId } from '../../src/solution/final-answers.ts';
import { randomQuestions } from '../helpers/random-exams.ts';
import { simulateStudent, type StudentAnswers } from '../helpers/simulated-student.ts';

/** The student's answers named as the parts name them. */
export function studentEntries(a: StudentAnswers, step: number): Record<PartId, Map<string, number>> {
  const vec = (name: string, v: number[]) => v.map((x, i) => [`${name}[${i}]`, x] as const);
  const mat = (name: string, M: number[][]) => M.flatMap((r, i) => r.map((x, j) => [`${name}[${i}][${j}]`, x] as const));
  return {
    hiddenStates: new Map(a.h.flatMap((v, t) => vec(`h_${t}`, v))),
    outputs: new Map(a.yhat.flatMap((v, t) => vec(`yhat_${t}`, v))),
    losses: new Map([...a.loss.map((x, t) => [`l_${t}`, x] as const), ['L', a.L] as const]),
    hiddenGradient: new Map(vec(`dL/dh_${step}`, a.dh[step])),
    outputWeightGradient: new Map(mat('dL/dV', a.dV)),
    inputWeightGradient: new Map(mat('dL/dU', a.dU)),
  };
}

export function rejectedEntries(ranges: MarkingRanges, entries: Record<PartId, Map<string, number>>): string[] {
  return PART_IDS.flatMap((id) => ranges.correct[id].entries
    .filter((e) => !isAccepted(entries[id].get(e.name)!, e, ranges.digits))
    .map((e) => `${e.name}=${entries[id].get(e.name)} not in ${e.lo}..${e.hi}`));
}

describe('sound ranges: every rule-following student is correct', () => {
  const questions = randomQuestions(150, 'sound', [3, 3, 3, 2, 4]);
  it(`${questions.length} random questions × 20 simulated students`, () => {
    const widths: number[] = [];
    let students = 0;
    for (const q of questions) {
      const ranges = buildMarkingRanges(q.params, q.gradientStep, q.digits);
      for (let s = 0; s < 20; s++) {
        const answers = simulateStudent(q.params, q.digits, `${q.name} student ${s}`);
        expect(rejectedEntries(ranges, studentEntries(answers, q.gradientStep)), `${q.name} student ${s}`).toEqual([]);
        students++;
      }
      const full = solveRnn(q.params);
      expect(full).toBeTruthy();
      for (const id of PART_IDS) {
        for (const e of ranges.correct[id].entries) {
          const u = lastPlaceUnit(e.value, q.digits);
          if (u > 0) widths.push(Math.round((e.hi - e.lo) / u));
        }
      }
    }
    widths.sort((a, b) => a - b);
    console.log(`sound ranges: ${students} students on ${questions.length} questions; width in last-digit units: median ${widths[widths.length >> 1]}, 90th ${widths[Math.floor(widths.length * 0.9)]}, max ${widths[widths.length - 1]}`);
    expect(students).toBeGreaterThan(2000);
  });
});
