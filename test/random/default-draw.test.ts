import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { drawStudent } from '../../src/random/draw-student.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/exam.json', import.meta.url), 'utf8'));
const SHAPES = [
  [3, 3, 3, 3], [4, 4, 4, 4], [8, 8, 8, 8], [1, 8, 2, 8], [8, 1, 8, 2], [8, 8, 2, 2], [1, 1, 2, 2], [2, 5, 3, 4], [3, 8, 8, 3],
];

describe('changing only the sizes of the example exam gives a valid exam at every allowed shape', () => {
  for (const [input, hidden, output, T] of SHAPES) {
    it(`input ${input}, hidden ${hidden}, output ${output}, T ${T}`, () => {
      const exam = parseExamConfig({ ...example, rnn: { ...example.rnn, sizes: { input, hidden, output, T } } }, 'exam.json');
      for (let i = 0; i < 4; i++) {
        const draw = drawStudent('a-test-secret-of-enough-length-000', exam, { id: `s${i}`, name: 'Student' });
        expect(draw.params.U).toHaveLength(hidden);
        expect(draw.attempts).toBeLessThan(exam.rnn.quality.maxAttempts / 4); // with room to spare
      }
    });
  }

  it('keeps the sample sheet\'s small integers at 3 × 3 × 3, T = 3 (papers of existing exams unchanged)', () => {
    const exam = parseExamConfig(example, 'exam.json');
    expect(exam.rnn.draw).toMatchObject({ U: { type: 'integer', min: -2, max: 2 }, W: { min: -1, max: 1 }, V: { min: -2, max: 2 }, x: { min: -1, max: 1 } });
  });

  it('a range given in the config is kept', () => {
    const exam = parseExamConfig({ ...example, rnn: { ...example.rnn, sizes: { input: 8, hidden: 8, output: 8, T: 8 }, draw: { x: { type: 'integer', min: 0, max: 2 } } } }, 'exam.json');
    expect(exam.rnn.draw.x).toEqual({ type: 'integer', min: 0, max: 2, nonZero: false });
    expect(exam.rnn.draw.U.type).toBe('decimal');
  });
});
