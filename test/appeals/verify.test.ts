import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { normalisePaperCode, tracePaperCode } from '../../src/pipeline/trace-code.ts';
import type { VerifyReport } from '../../src/pipeline/verify.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { runCli } from '../helpers/run-cli.ts';

/** HTML batches: verify and trace need no browser, so these stay fast. */
const SECRET = 'verify-test-secret-00000001';
const env = { RNN_EXAM_SECRET: SECRET };
const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-verify-'));
const examPath = 'examples/exam.json';
const exam = parseExamConfig(JSON.parse(readFileSync(examPath, 'utf8')), examPath);
const roster = join(dir, 'roster.csv');
writeFileSync(roster, 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bob Ray\nC-003,Cy Tan\n');
const batch = join(dir, 'batch');
const seeds = ['--exam', examPath, '--roster', roster];

function verify(out: string, extra: string[] = [], options: { env?: NodeJS.ProcessEnv } = { env }) {
  const run = runCli(['verify', '--out', out, ...extra, '--json'], options);
  return { status: run.status, stderr: run.stderr, report: JSON.parse(run.stdout || '{}') as VerifyReport };
}
const kinds = (r: VerifyReport) => r.findings.map((f) => `${f.kind} ${f.subject ?? ''}`.trim());
function copyOfBatch(name: string): string {
  const copy = join(dir, name);
  cpSync(batch, copy, { recursive: true });
  return copy;
}

describe('rnn-exam verify', () => {
  beforeAll(() => {
    const run = runCli(['generate', ...seeds, '--out', batch, '--format', 'html', '--json'], { env });
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);

  it('passes on an intact folder, files and seeds alike', () => {
    const { status, report } = verify(batch, seeds);
    expect(status).toBe(0);
    expect(report).toMatchObject({ ok: true, seedsChecked: true, students: 3, findings: [] });
    expect(report.files.ok).toHaveLength(3 * 4 + 2); // paper, booklet, solution and key per student; cohort CSV and key
    const text = runCli(['verify', '--out', batch, ...seeds], { env });
    expect(text.stdout).toMatch(/^OK: 14 files and 3 students in .* match the manifest, its seal is intact, and every student's numbers and paper code match the seed\./);
  });

  it('catches a changed byte, a missing file, a stray file and a file for an unknown student', () => {
    const out = copyOfBatch('tampered');
    appendFileSync(join(out, 'B-002', 'question-paper.html'), ' ');
    rmSync(join(out, 'C-003', 'worked-solution.html'));
    mkdirSync(join(out, 'Z-999'));
    writeFileSync(join(out, 'Z-999', 'question-paper.html'), '<p>not ours</p>');
    writeFileSync(join(out, 'notes.txt'), 'left here by someone');
    const { status, report } = verify(out, seeds);
    expect(status).toBe(1);
    expect(kinds(report)).toEqual([
      'missing-file C-003/worked-solution.html', 'changed-file B-002/question-paper.html',
      'foreign-file Z-999/question-paper.html', 'foreign-file notes.txt',
    ]);
    expect(report.findings[2].message).toContain("a file for an unknown student 'Z-999'");
    const text = runCli(['verify', '--out', out], { env: { RNN_EXAM_SECRET: '' } });
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^4 problems in /);
    expect(text.stdout).toContain('Parameters were not recomputed from the seed');
  });

  it('recomputes each student from the seed: roster mismatches, changed numbers, another secret', () => {
    const other = join(dir, 'other-roster.csv');
    writeFileSync(other, 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bob Ray\nD-004,Dee Poe\n');
    const byRoster = verify(batch, ['--exam', examPath, '--roster', other]);
    expect(byRoster.status).toBe(1);
    expect(kinds(byRoster.report)).toEqual(['unknown-student C-003', 'not-in-manifest D-004']);

    const out = copyOfBatch('edited-manifest');
    const manifestPath = join(out, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.students[0].paramsFingerprint = '0'.repeat(32);
    manifest.students[1].paperCode = 'ZZZZ-ZZZZ';
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    // The seal names both edited entries; the seed check says what is wrong with each.
    expect(kinds(verify(out, seeds).report)).toEqual(['manifest-altered A-001', 'manifest-altered B-002', 'params-differ A-001', 'paper-code-differs B-002']);

    const wrongSecret = verify(batch, seeds, { env: { RNN_EXAM_SECRET: 'another-secret-entirely-0001' } });
    expect(wrongSecret.status).toBe(1);
    expect(kinds(wrongSecret.report)).toEqual(['other-secret']);
  });

  it('a folder without a manifest is an error that says what to pass', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = runCli(['verify', '--out', empty], { env });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/manifest\.json: not found: there is nothing to verify against\. Fix: pass the --out folder/);
  });
});

describe('rnn-exam trace', () => {
  it('finds the student and attempt of a paper code, however it is typed', () => {
    const code = drawStudent(SECRET, exam, { id: 'B-002', name: '' }, 2).paperCode;
    const typed = code.toLowerCase().replace('-', ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    const run = runCli(['trace', '--code', typed, ...seeds, '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ code, examId: exam.examId, attempts: [1, 2, 3, 4, 5], matches: [{ studentId: 'B-002', name: 'Bob Ray', attempt: 2 }] });
    const text = runCli(['trace', '--code', code, ...seeds], { env });
    expect(text.stdout).toBe(`${code}: student B-002 (Bob Ray), attempt 2, exam ${exam.examId}\n`);
  });

  it('matches the paper codes in the manifest, and nobody for a foreign code', () => {
    const manifest = JSON.parse(readFileSync(join(batch, 'manifest.json'), 'utf8'));
    const students = [{ id: 'A-001', name: '', line: 2 }, { id: 'B-002', name: '', line: 3 }, { id: 'C-003', name: '', line: 4 }];
    for (const s of manifest.students) {
      expect(tracePaperCode(SECRET, exam.examId, students, s.paperCode, [1, 2, 3]).map((m) => [m.student.id, m.attempt])).toEqual([[s.id, 1]]);
    }
    const none = runCli(['trace', '--code', 'ZZZZ-ZZZZ', ...seeds, '--attempt', '1'], { env });
    expect(none.status).toBe(1);
    expect(none.stdout).toContain('no student on');
    expect(none.stdout).toContain('attempt 1, 3 students');
  });

  it('refuses text that is not a paper code', () => {
    expect(normalisePaperCode('abcd-efgh')).toBe('ABCD-EFGH');
    expect(() => normalisePaperCode('ABCD-EFGU')).toThrow(/is not a paper code/);
    const run = runCli(['trace', '--code', '12345', ...seeds], { env });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--code: "12345" is not a paper code');
  });
});
