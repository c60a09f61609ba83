import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { parseRnnParams, solveRnn, type RnnParams, type RnnSolution } from '../../src/engine/index.ts';
import { isRnnExamError } from '../../src/errors.ts';
import { answerParts, checkAnswers, type CheckContext, type PartResult } from '../../src/pipeline/check-answers.ts';
import { parseAnswersText, type AnswerValue, type GivenAnswers } from '../../src/pipeline/parse-answers.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { buildMarkingRanges, MARKED_ERRORS } from '../../src/marking/index.ts';
import { wrongMethodSolution } from '../../src/solution/common-errors.ts';
import { partQuantities, PART_IDS, type Quantity } from '../../src/solution/final-answers.ts';
import { roundSignificant } from '../../src/solution/format-number.ts';
import { simulateStudent } from '../helpers/simulated-student.ts';
import { smallIntegerParams } from '../helpers/random-params.ts';
import { runCli } from '../helpers/run-cli.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const SHEET_PARAMS = fixture('sample-params.json');
const SHEET_ANSWERS = fixture('sample-sheet-answers.json');
const sheetCtx: CheckContext = { params: parseRnnParams(JSON.parse(readFileSync(SHEET_PARAMS, 'utf8'))), gradientStep: 1, digits: 3, questionNumber: 3 };
const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-check-'));
const SQUARE = { input: 3, hidden: 3, output: 3, T: 3 };

/** Answers as a student who follows the rounding rule writes them, from any solution. */
function answersFrom(solution: Pick<RnnSolution, 'forward' | 'grad'>, gradientStep: number): GivenAnswers {
  const round = (v: Quantity['value']): AnswerValue => (typeof v === 'number' ? roundSignificant(v, 3)
    : typeof v[0] === 'number' ? (v as number[]).map((x) => roundSignificant(x, 3)) : (v as number[][]).map((row) => row.map((x) => roundSignificant(x, 3))));
  return new Map(PART_IDS.map((id) => [id, new Map(partQuantities(id, solution.forward, solution.grad, gradientStep).map((q) => [q.name, round(q.value)]))]));
}

const verdicts = (results: PartResult[]) => results.map((r) => (r.errorId ? `${r.verdict}:${r.errorId}` : r.verdict));

describe('rnn-exam check on the sample answer sheet (L defined as the mean)', () => {
  it('3.1–3.3 correct, 3.4 and 3.5 the summed-loss error, 3.6 wrong', () => {
    const run = runCli(['check', '--params', SHEET_PARAMS, '--answers', SHEET_ANSWERS, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const marked = JSON.parse(run.stdout) as { parts: PartResult[]; total: number; maxTotal: number };
    const results = marked.parts;
    // 3.1–3.3 in full (8), 3.4 and 3.5 lose only the dL/dz_t mark (3 + 2), 3.6 nothing.
    expect([marked.total, marked.maxTotal]).toEqual([13, 20]);
    expect(results.map((r) => [r.marks, r.maxMarks, r.ecf])).toEqual([[3, 3, false], [3, 3, false], [2, 2, false], [3, 4, false], [2, 3, false], [0, 5, false]]);
    expect(results.map((r) => r.part)).toEqual(['3.1', '3.2', '3.3', '3.4', '3.5', '3.6']);
    expect(verdicts(results)).toEqual(['correct', 'correct', 'correct', 'common-error:wrong-reduction', 'common-error:wrong-reduction', 'wrong']);
    const dU = results[5].entries;
    // Its zero column is right (x_t[2] = 0 at every step); every other entry is out of range.
    expect(dU.filter((e) => !e.ok).map((e) => e.name)).toEqual(['dL/dU[0][0]', 'dL/dU[0][1]', 'dL/dU[1][0]', 'dL/dU[1][1]', 'dL/dU[2][0]', 'dL/dU[2][1]']);
    expect(dU[0]).toMatchObject({ given: 0.696, ok: false });
    expect(dU[0].expected).toBeCloseTo(-0.315, 3);
    expect(dU[0].low).toBeLessThan(-0.3145);
    expect(results[3].entries.map((e) => e.given)).toEqual([-2.76, -3.14, -0.348]);
  });

  it('the readable report names the error and the wrong entries with their ranges', () => {
    const run = runCli(['check', '--params', SHEET_PARAMS, '--answers', SHEET_ANSWERS]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/3\.4 {2}3\/4 {2}common error wrong-reduction: L taken as the sum of the l_t instead of their mean/);
    expect(run.stdout).toMatch(/✗ output gradient: prediction minus one-hot target, scaled for the reduction \(0\/1\)/);
    expect(run.stdout).toMatch(/3\.6 {2}0\/5 {2}wrong: dL\/dU\[0\]\[0\] = 0\.696, expected -0\.315 \(accept -0\.3\d\d to -0\.[23]\d\d\)/);
    expect(run.stdout).toContain('3 correct, 0 to too few figures, 2 common errors, 1 wrong, 0 missing');
    expect(run.stdout).toContain('Total: 13 of 20 marks');
  });

  it('the same sheet as CSV, parts named by id, gives the same verdicts', () => {
    const csv = join(dir, 'sheet.csv');
    const json = JSON.parse(readFileSync(SHEET_ANSWERS, 'utf8'));
    const rows = ['part,quantity,value', 'losses,L,2.01', ...['l_0', 'l_1', 'l_2'].map((q) => `3.3,${q},${json['3.3'][q]}`),
      `hiddenGradient,,"${JSON.stringify(json['3.4'])}"`, `3.5,dL/dV,"${JSON.stringify(json['3.5'])}"`, `3.6,dL/dU,"${JSON.stringify(json['3.6'])}"`];
    writeFileSync(csv, `${rows.join('\r\n')}\r\n`);
    const results = checkAnswers(sheetCtx, parseAnswersText(readFileSync(csv, 'utf8'), csv, answerParts(sheetCtx)));
    expect(verdicts(results)).toEqual(['missing', 'missing', 'correct', 'common-error:wrong-reduction', 'common-error:wrong-reduction', 'wrong']);
  });
});

describe('check on answers made by the engine', () => {
  const draws: RnnParams[] = [];
  for (const r of ['mean', 'sum'] as const) for (let i = 0; i < 25; i++) draws.push(parseRnnParams(smallIntegerParams(`check ${r} ${i}`, SQUARE, r)));
  const ctxOf = (params: RnnParams): CheckContext => ({ params, gradientStep: 1, digits: 3, questionNumber: 3 });

  it('the correct answers, rounded to 3 significant figures, are all correct', () => {
    for (const params of draws) {
      expect(verdicts(checkAnswers(ctxOf(params), answersFrom(solveRnn(params), 1)))).toEqual(Array(6).fill('correct'));
    }
  });

  it('a student who rounds what they write (any steps, any order) is correct too', () => {
    for (const [i, params] of draws.entries()) {
      const a = simulateStudent(params, 3, `check student ${i}`);
      const given = new Map(PART_IDS.map((id) => [id, new Map(partQuantities(id, { h: a.h, yhat: a.yhat, loss: a.loss, L: a.L }, { h: a.dh, V: a.dV, U: a.dU }, 1).map((q) => [q.name, q.value as AnswerValue]))]));
      expect(verdicts(checkAnswers(ctxOf(params), given)), `draw ${i}`).toEqual(Array(6).fill('correct'));
    }
  });

  it('a listed common error is named where it can be told apart, and never marked correct there', () => {
    for (const params of draws) {
      const ranges = buildMarkingRanges(params, 1, 3);
      for (const { id } of MARKED_ERRORS) {
        const results = checkAnswers(ctxOf(params), answersFrom(wrongMethodSolution(params, id), 1));
        for (const r of results) {
          const listed = ranges.errors[r.id].find((e) => e.errorId === id);
          if (!listed) continue;
          if (!listed.distinguishable) continue; // not told apart: the key says so, check does not claim it
          expect(r.verdict, `${id} ${r.part}`).not.toBe('correct');
          expect(r.verdict, `${id} ${r.part}`).toBe('common-error');
          expect(r.errorId === id || r.sameAnswerAs!.includes(id), `${id} ${r.part}: found ${r.errorId}`).toBe(true);
        }
      }
    }
  });
});

describe('check, one student of an exam (seeded)', () => {
  const SECRET = 'check-test-secret-0000000001';
  const examPath = 'examples/exam.json';
  const exam = parseExamConfig(JSON.parse(readFileSync(examPath, 'utf8')), examPath);
  const draw = drawStudent(SECRET, exam, { id: '32881907', name: '' });
  const env = { RNN_EXAM_SECRET: SECRET };

  it('a perfect answer set is all correct; a summed-loss one is flagged part by part', () => {
    const perfect = join(dir, 'perfect.json');
    const answers = answersFrom(draw.solution, exam.rnn.gradientStep);
    const parts = answerParts({ params: draw.params, gradientStep: exam.rnn.gradientStep, digits: 3, questionNumber: 3 });
    writeFileSync(perfect, JSON.stringify(Object.fromEntries(parts.map((p) => [p.number, Object.fromEntries(answers.get(p.id)!)]))));
    const run = runCli(['check', '--exam', examPath, '--roster', 'examples/roster.csv', '--student', '32881907', '--answers', perfect, '--json'], { env });
    expect(run.stderr).toBe('');
    expect(verdicts(JSON.parse(run.stdout).parts)).toEqual(Array(6).fill('correct'));

    const summed = join(dir, 'summed.json');
    const wrong = answersFrom(wrongMethodSolution(draw.params, 'wrong-reduction'), exam.rnn.gradientStep);
    writeFileSync(summed, JSON.stringify(Object.fromEntries(PART_IDS.slice(2).map((id) => [id, Object.fromEntries(wrong.get(id)!)]))));
    const second = runCli(['check', '--exam', examPath, '--roster', 'examples/roster.csv', '--student', '32881907', '--answers', summed], { env });
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^3\.1 {2}0\/[\d.]+ {2}missing/m);
    for (const part of ['3.3', '3.4', '3.5', '3.6']) expect(second.stdout).toMatch(new RegExp(`^${part.replace('.', '\\.')} {2}[\\d.]+/\\d+ {2}common error wrong-reduction`, 'm'));
  });
});

describe('check: bad answer files name the path and the expected shape', () => {
  const parts = answerParts(sheetCtx);
  const problems = (text: string, path = 'answers.json') => {
    try {
      parseAnswersText(text, path, parts);
    } catch (error) {
      if (isRnnExamError(error)) return error.problems.map((p) => `${p.where}: ${p.what}`);
      throw error;
    }
    return [];
  };

  it('unknown parts and quantities, wrong shapes, a multi-quantity part without names, duplicates', () => {
    expect(problems('{"3.9": 1}')).toEqual(['answers.json: "3.9": unknown part "3.9"']);
    expect(problems('{"3.3": {"L": 2, "l_9": 1}}')).toEqual(['answers.json: "3.3"."l_9": part 3.3 has no quantity "l_9"']);
    expect(problems('{"3.4": [1, 2]}')).toEqual(['answers.json: "3.4": expected a vector of 3 numbers for dL/dh_1, found [1,2]']);
    expect(problems('{"3.6": [[1,2,3],[1,2,3]]}')[0]).toContain('expected a 3×3 matrix (an array of 3 rows of 3 numbers) for dL/dU');
    expect(problems('{"3.1": [1, 2, 3]}')).toEqual(['answers.json: "3.1": part 3.1 has several quantities; give an object']);
    expect(problems('{"3.4": [1,2,3], "hiddenGradient": [1,2,3]}')).toEqual(['answers.json: "hiddenGradient": dL/dh_1 of part 3.4 is given twice']);
    expect(problems('[1, 2]')[0]).toMatch(/^answers\.json: expected a JSON object of parts/);
    expect(problems('{"3.4": [1,')[0]).toMatch(/^answers\.json line 1 column \d+: invalid JSON/);
  });

  it('accepts numeric strings, a U+2212 minus and column vectors', () => {
    const given = parseAnswersText('{"3.4": [["−2.76"], [-3.14], ["-0.348"]], "3.3": {"L": "2.01"}}', 'a.json', parts);
    expect(given.get('hiddenGradient')!.get('dL/dh_1')).toEqual([-2.76, -3.14, -0.348]);
    expect(given.get('losses')!.get('L')).toBe(2.01);
  });

  it('CSV: line numbers, column count, bad JSON arrays', () => {
    expect(problems('part,quantity,value\n3.3,L\n3.5,dL/dV,"[1,"\n3.1,,1\n', 'a.csv')).toEqual([
      'a.csv line 2: expected 3 columns (part,quantity,value), found 2',
      'a.csv line 3: the value "[1," is not a JSON array',
      'a.csv line 4: part 3.1 has several quantities; name one',
    ]);
  });

  it('the command exits 1 on a bad file or bad options, listing every problem', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"3.9": 1, "3.4": [1]}');
    const run = runCli(['check', '--params', SHEET_PARAMS, '--answers', bad]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('2 problems');
    expect(run.stderr).toContain('"3.9": unknown part "3.9". Fix: use one of 3.1 (hiddenStates)');
    const step = runCli(['check', '--params', SHEET_PARAMS, '--answers', SHEET_ANSWERS, '--gradient-step', '3']);
    expect(step.status).toBe(1);
    expect(step.stderr).toContain('--gradient-step: must be a whole number from 0 to 2');
  });
});
