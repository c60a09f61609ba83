import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fillCanvasGradebook, tokenizeCsv } from '../../src/cohort/canvas-gradebook.ts';
import { isRnnExamError } from '../../src/errors.ts';
import { runCli } from '../helpers/run-cli.ts';
import { answerRows, CSV_HEADER, EXAM_PATH, SECRET } from './simulated-cohort.ts';

const BOM = '\uFEFF';
const COL = 5; // "Final Exam (4567)"

/** A Canvas export as raw cells (quoting kept), with the quirks real ones have. */
function gradebook(students: Array<{ name: string; id: string; sis: string; login: string; exam: string }>): string[][] {
  return [
    ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Final Exam (4567)', '"Quiz 1, part A (4568)"', 'Current Score', 'Final Score'],
    ['    Points Possible', '', '', '', '', '35', '10', '(read only)', '(read only)'],
    ...students.map((s) => [s.name, s.id, s.sis, s.login, '"FIT5215 Lab 01, Tue"', s.exam, '7.5', '80.5', '"80.50"']),
    ['"Student, Test"', '999', '', '', '"FIT5215 Lab 01, Tue"', '', '', '', ''],
  ];
}
const join_ = (rows: string[][], eol: string) => rows.map((r) => r.join(',')).join(eol) + eol;

describe('the Canvas gradebook written back', () => {
  it('fills the chosen column for the marked students and leaves every other byte as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-canvas-'));
    const ids = ['32881907', '32904415', '32917736', '32870152'];
    writeFileSync(join(dir, 'roster.csv'), `student_id,name\n${ids.map((id, i) => `${id},Student ${i}`).join('\n')}\n`);
    // 0 and 1 answer (1 with one part wrong), 2 is absent, 3 is absent; a Canvas student not on the roster.
    writeFileSync(join(dir, 'answers.csv'), `${CSV_HEADER}\n${[...answerRows(ids[0], { kind: 'rounded' }), ...answerRows(ids[1], { kind: 'wrong', part: 'losses' })].join('\n')}\n`);
    const rows = gradebook([
      { name: '"Müller-Sánchez, Zoë"', id: '101', sis: ids[0], login: 'zmul0001', exam: '' },
      { name: '"O\'Brien, Liam"', id: '102', sis: '"32904415"', login: 'lobr0002', exam: '12' },
      { name: '"王, 小明"', id: '103', sis: ids[2], login: 'xwan0003', exam: '30' },
      { name: 'Other Student', id: '104', sis: '40000000', login: 'oth0004', exam: '' },
    ]);
    const original = Buffer.from(BOM + join_(rows, '\r\n'), 'utf8');
    writeFileSync(join(dir, 'canvas.csv'), original);
    const run = runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', join(dir, 'answers.csv'), '--out', join(dir, 'out'),
      '--canvas-gradebook', join(dir, 'canvas.csv'), '--canvas-column', 'Final Exam'], { env: { RNN_EXAM_SECRET: SECRET } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const marks = new Map((parse(readFileSync(join(dir, 'out', 'marks.csv'), 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>).map((r) => [r.student_id, r.total]));
    const expected = rows.map((r) => [...r]);
    expected[2][COL] = marks.get(ids[0])!;
    expected[3][COL] = marks.get(ids[1])!;
    expect(expected[3][COL]).not.toBe('12');
    const written = readFileSync(join(dir, 'out', 'canvas-gradebook.csv'));
    expect(written.equals(Buffer.from(BOM + join_(expected, '\r\n'), 'utf8'))).toBe(true);
    // Canvas says 35 points; the exam (written questions included) is out of another total: reported
    const problems = readFileSync(join(dir, 'out', 'problems.csv'), 'utf8');
    expect(problems).toMatch(/Final Exam \(4567\) is out of 35 points in Canvas but the exam is out of \d+/);
  });

  it('keeps LF line ends, a missing BOM, quoted line breaks and bytes that are not UTF-8', () => {
    const head = 'Student,ID,SIS User ID,SIS Login ID,Section,Exam (1)\n';
    const text = Buffer.concat([Buffer.from(`${head}Points Possible,,,,,22\n"Line\nBreak, A",1,S1,a,"Sec ""1""",\n`), Buffer.from([0xff, 0xfe]), Buffer.from(',2,S2,b,X,5\nC,3,S3,c,X,4')]);
    const result = fillCanvasGradebook(text, 'g.csv', '1', [{ studentId: 'S1', mark: '20' }, { studentId: 'S3', mark: '0' }, { studentId: 'S9', mark: '3' }], 22);
    const expected = Buffer.concat([Buffer.from(`${head}Points Possible,,,,,22\n"Line\nBreak, A",1,S1,a,"Sec ""1""",20\n`), Buffer.from([0xff, 0xfe]), Buffer.from(',2,S2,b,X,5\nC,3,S3,c,X,0')]);
    expect(result.bytes.equals(expected)).toBe(true);
    expect(result.filled).toBe(2);
    expect(result.problems.map((p) => p.what)).toEqual([expect.stringContaining('student S9 is not in the Canvas gradebook')]);
  });

  it('tokenizes quoted commas, doubled quotes and line breaks into the values a CSV parser gives', () => {
    const text = 'a,"b,c","d ""e""\nf"\r\n"",x\r\n';
    const ours = tokenizeCsv(text).map((r) => r.fields.map((f) => f.value));
    expect(ours).toEqual(parse(text, { relax_column_count: true }));
  });

  it('names the assignment columns when the one asked for is not there', () => {
    const text = Buffer.from('Student,ID,SIS User ID,SIS Login ID,Section,Exam (1),Quiz (2)\n');
    try {
      fillCanvasGradebook(text, 'g.csv', 'Final', [], 10);
      expect.unreachable();
    } catch (error) {
      expect(isRnnExamError(error) && error.message).toContain('no column "Final". Fix: pass --canvas-column with one of "Exam (1)", "Quiz (2)"');
    }
    expect(() => fillCanvasGradebook(Buffer.from('Name,Mark\n'), 'g.csv', 'Mark', [], 10)).toThrow(/not a Canvas gradebook export/);
  });
});
