import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { parseExamConfig, readExamConfig } from '../../src/config/read-exam-config.ts';
import { RnnExamError } from '../../src/errors.ts';

function problems(raw: unknown): string[] {
  try {
    parseExamConfig(raw, 'exam.json');
  } catch (error) {
    if (error instanceof RnnExamError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('exam config', () => {
  it('the demo exam is valid and models the sample sheet', async () => {
    const exam = await readExamConfig('examples/exam.json');
    expect(exam.rnn.sizes).toEqual({ input: 3, hidden: 3, output: 3, T: 3 });
    expect(exam.rnn.lossReduction).toBe('mean');
    expect(exam.rnn.significantFigures).toBe(3);
    expect(exam.written).toHaveLength(2);
    for (const slot of exam.written) expect(slot.questions.length).toBeGreaterThanOrEqual(3);
  });

  it('fills defaults from the sheet for everything but examId', () => {
    const exam = examConfigSchema.parse({ examId: 'E1' });
    expect(exam.rnn.sizes).toEqual({ input: 3, hidden: 3, output: 3, T: 3 });
    expect(exam.rnn.gradientStep).toBe(1);
    expect(exam.rnn.draw.U).toEqual({ type: 'integer', min: -2, max: 2, nonZero: false });
    expect(exam.rnn.marks.inputWeightGradient).toBe(5);
    expect(exam.pdf.tagged).toEqual(['question-paper']);
  });

  it('names the document kinds pdf.tagged accepts', () => {
    expect(problems({ examId: 'E', pdf: { tagged: ['solutions'] } }).join()).toMatch(/exam\.json: pdf\.tagged\[0\]: "solutions" is not allowed here\. Fix: use one of "question-paper", "answer-booklet", "worked-solution", "marking-key", "cohort-marking-key"/);
    expect(examConfigSchema.parse({ examId: 'E', pdf: { tagged: [] } }).pdf.tagged).toEqual([]);
  });

  it('lists every problem at once, each with its JSON path and a fix', () => {
    const lines = problems({
      examId: 'bad id/..',
      rnn: {
        activation: 'relu',
        sizes: { T: -1 },
        draw: { U: { type: 'integer', min: 2, max: -2 }, x: { type: 'gaussian' } },
        lossReduction: 'avg',
        marks: { hiddenStates: 'three' },
        qualty: {},
      },
    });
    const text = lines.join('\n');
    expect(text).toMatch(/exam\.json: examId: use 1-64 letters, digits/);
    expect(text).toMatch(/exam\.json: rnn\.activation: "relu" is not allowed here\. Fix: use one of "tanh"/);
    expect(text).toMatch(/exam\.json: rnn\.sizes\.T: expected number to be >=1.*Fix:/);
    expect(text).toMatch(/exam\.json: rnn\.draw\.U: min must not be greater than max/);
    expect(text).toMatch(/exam\.json: rnn\.draw\.x\.type: "gaussian" is not a distribution type\. Fix: use \{"type": "integer"/);
    expect(text).toMatch(/exam\.json: rnn\.lossReduction: "avg" is not allowed here\. Fix: use one of "mean", "sum"/);
    expect(text).toMatch(/exam\.json: rnn\.marks\.hiddenStates: expected number, received string\. Fix: give a number/);
    expect(text).toMatch(/exam\.json: rnn: unknown key 'qualty'\. Fix: remove it or check its spelling/);
    expect(lines.length).toBeGreaterThanOrEqual(8);
  });

  it('rejects a missing examId, a gradient step beyond T and duplicate question ids', () => {
    expect(problems({})).toEqual([expect.stringMatching(/exam\.json: examId: expected string, received undefined/)]);
    expect(problems({ examId: 'E', rnn: { sizes: { T: 2 }, gradientStep: 2 } }).join()).toMatch(/rnn\.gradientStep: must be less than T = 2/);
    expect(problems({ examId: 'E', written: [{ questions: [{ id: 'q', text: 'a' }, { id: 'q', text: 'b' }] }] }).join())
      .toMatch(/written\[0\]\.questions\[1\]\.id: duplicate question id 'q'/);
  });

  it('reports unreadable and malformed files with their place', async () => {
    await expect(readExamConfig('examples/nope.json')).rejects.toThrow(/examples\/nope\.json: file not found/);
  });
});

describe('paper (cover page and answer space)', () => {
  it('defaults to a cover page and an answer booklet', () => {
    const exam = examConfigSchema.parse({ examId: 'E' });
    expect(exam.paper).toMatchObject({ cover: true, answerSpace: 'booklet', wordsPerLine: 10, linesWithoutWordLimit: 20 });
    expect(exam.paper.permittedMaterials.length).toBeGreaterThan(0);
  });

  it('names the allowed answer spaces', () => {
    expect(problems({ examId: 'E', paper: { answerSpace: 'sheet' } }).join()).toMatch(/paper\.answerSpace.*"booklet", "paper"/);
  });
});
