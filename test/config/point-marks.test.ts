import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { pointMarksOf } from '../../src/random/draw-student.ts';

const slot = (pointMarks?: number[]) => ({ marks: 4, questions: [{ id: 'q', text: 'Why?', modelAnswer: ['one', 'two'], ...(pointMarks && { pointMarks }) }] });

describe('written questions: marks per model-answer point', () => {
  it('must add up to the question\'s marks, one per point', () => {
    expect(examConfigSchema.safeParse({ examId: 'e', written: [slot([1, 3])] }).success).toBe(true);
    const sum = examConfigSchema.safeParse({ examId: 'e', written: [slot([1, 2])] });
    expect(sum.success).toBe(false);
    expect(sum.error!.issues[0]).toMatchObject({ path: ['written', 0, 'questions', 0, 'pointMarks'], message: 'adds up to 3, but the question has 4 marks' });
    const count = examConfigSchema.safeParse({ examId: 'e', written: [slot([4])] });
    expect(count.error!.issues[0].message).toBe('gives 1 marks for 2 model-answer points');
  });

  it('default: the marks shared equally, in quarters, always adding up', () => {
    expect(pointMarksOf(2, 4)).toEqual([2, 2]);
    expect(pointMarksOf(3, 5)).toEqual([1.5, 1.5, 2]);
    expect(pointMarksOf(3, 4)).toEqual([1.25, 1.25, 1.5]);
    expect(pointMarksOf(0, 5)).toEqual([]);
    for (let points = 1; points < 8; points++) for (const marks of [1, 2, 5, 7.5, 10]) {
      expect(pointMarksOf(points, marks).reduce((a, b) => a + b, 0)).toBeCloseTo(marks, 12);
    }
  });

  it('the method-mark split of a numeric part must add up to its marks', () => {
    const bad = examConfigSchema.safeParse({ examId: 'e', rnn: { methodMarks: { outputs: [{ step: 'softmax', marks: 2 }] } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['rnn', 'methodMarks', 'outputs'] });
    expect(bad.error!.issues[0].message).toContain('add up to 2, but the part has 3 marks');
    expect(examConfigSchema.safeParse({ examId: 'e', rnn: { methodMarks: { outputs: [{ step: 'softmax', marks: 3 }] } } }).success).toBe(true);
  });
});
