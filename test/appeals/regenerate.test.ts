import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegenerateReport } from '../../src/pipeline/regenerate.ts';
import { runCli } from '../helpers/run-cli.ts';

const SECRET = 'regenerate-test-secret-0001';
const env = { RNN_EXAM_SECRET: SECRET };
const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-regenerate-'));
const roster = join(dir, 'roster.csv');
writeFileSync(roster, 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bob Ray\nC-003,Cy Tan\n');
const seeds = ['--exam', 'examples/exam.json', '--roster', roster];

function regenerate(args: string[], runEnv: NodeJS.ProcessEnv = env) {
  const run = runCli(['regenerate', ...seeds, ...args, '--json'], { env: runEnv });
  return { status: run.status, stderr: run.stderr, report: JSON.parse(run.stdout || '{}') as RegenerateReport };
}
const bytes = (...path: string[]) => readFileSync(join(...path));

/** Real PDFs, kept small (3 students, question papers only) since the browser is the slow part. */
describe('rnn-exam regenerate, PDF', () => {
  const batch = join(dir, 'pdf');
  beforeAll(() => {
    const run = runCli(['generate', ...seeds, '--out', batch, '--only', 'papers', '--concurrency', '2', '--json'], { env });
    expect(run.status, run.stderr).toBe(0);
  }, 300_000);

  it('rebuilds a student\'s paper byte for byte and says it is identical to the issued one', () => {
    const appeal = join(dir, 'appeal');
    const { status, stderr, report } = regenerate(['--student', 'A-001', '--out', batch, '--to', appeal]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(report).toMatchObject({ studentId: 'A-001', attempt: 1, recorded: true, identical: true, reasons: [] });
    expect(report.files.map((f) => [f.path, f.status])).toEqual([['A-001/question-paper.pdf', 'identical']]);
    expect(report.browser.now).toBe(report.browser.issued);
    expect(readdirSync(join(appeal, 'A-001'))).toEqual(['question-paper.pdf']);
    expect(bytes(appeal, 'A-001', 'question-paper.pdf').equals(bytes(batch, 'A-001', 'question-paper.pdf'))).toBe(true);
  }, 120_000);

  it('restores a lost paper into the batch folder, which then verifies again', () => {
    const issued = bytes(batch, 'C-003', 'question-paper.pdf');
    rmSync(join(batch, 'C-003', 'question-paper.pdf'));
    const run = runCli(['regenerate', ...seeds, '--student', 'C-003', '--out', batch], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/C-003\/question-paper\.pdf: identical to the issued file; written to .*C-003\/question-paper\.pdf/);
    expect(run.stdout).toContain('Every file is byte-identical to the one issued.');
    expect(bytes(batch, 'C-003', 'question-paper.pdf').equals(issued)).toBe(true);
    const check = runCli(['verify', '--out', batch, ...seeds], { env });
    expect(check.status, check.stdout).toBe(0);
  }, 120_000);
});

/** HTML needs no browser: the comparison and writing rules, cheaply. */
describe('rnn-exam regenerate, comparison and writing rules', () => {
  const batch = join(dir, 'html');
  beforeAll(() => {
    const run = runCli(['generate', ...seeds, '--out', batch, '--format', 'html', '--json'], { env });
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);

  it('leaves a changed file alone unless --replace, then restores the issued bytes', () => {
    const out = join(dir, 'html-changed');
    cpSync(batch, out, { recursive: true });
    const path = join(out, 'B-002', 'worked-solution.html');
    writeFileSync(path, 'edited');
    const kept = regenerate(['--student', 'B-002', '--out', out]);
    expect(kept.status).toBe(0);
    const file = kept.report.files.find((f) => f.path === 'B-002/worked-solution.html')!;
    expect(file).toMatchObject({ status: 'identical', onDisk: 'changed' });
    expect(file.note).toContain('--replace restores the issued bytes');
    expect(readFileSync(path, 'utf8')).toBe('edited');
    const replaced = regenerate(['--student', 'B-002', '--out', out, '--replace']);
    expect(replaced.report.files.filter((f) => f.writtenTo).map((f) => f.path)).toEqual(['B-002/worked-solution.html']);
    expect(bytes(path).equals(bytes(batch, 'B-002', 'worked-solution.html'))).toBe(true);
  });

  it('writes into the batch folder only while no other run holds it', () => {
    const out = join(dir, 'html-busy');
    cpSync(batch, out, { recursive: true });
    rmSync(join(out, 'B-002', 'worked-solution.html'));
    // a generate run in progress on this folder: this test's own process, alive
    writeFileSync(join(out, '.rnn-exam.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-11-28T10:00:00.000Z' }));
    const refused = runCli(['regenerate', ...seeds, '--student', 'B-002', '--out', out], { env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`another rnn-exam run (process ${process.pid} on ${hostname()}`);
    expect(existsSync(join(out, 'B-002', 'worked-solution.html'))).toBe(false);
    rmSync(join(out, '.rnn-exam.lock'));
    const restored = regenerate(['--student', 'B-002', '--out', out]);
    expect(restored.report.files.filter((f) => f.writtenTo).map((f) => f.path)).toEqual(['B-002/worked-solution.html']);
    expect(existsSync(join(out, '.rnn-exam.lock'))).toBe(false);
  });

  it('reports a file that differs from its record, with the versions, exits 1 and writes nothing', () => {
    const out = join(dir, 'html-differs');
    cpSync(batch, out, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    manifest.tool.version = '0.0.1';
    manifest.students[0].files.find((f: { path: string }) => f.path.endsWith('/question-paper.html')).sha256 = 'f'.repeat(64);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
    rmSync(join(out, 'A-001', 'question-paper.html'));
    const run = runCli(['regenerate', ...seeds, '--student', 'A-001', '--out', out], { env });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/A-001\/question-paper\.html: DIFFERS from the issued file \(sha256 [0-9a-f]{12}… now, f{12}… issued\); not written into/);
    expect(run.stdout).toContain('issued with rnn-exam 0.0.1, regenerated with 0.1.0');
    expect(existsSync(join(out, 'A-001', 'question-paper.html'))).toBe(false);
  });

  it('refuses a batch made with another secret, and a student not on the roster', () => {
    const other = runCli(['regenerate', ...seeds, '--student', 'A-001', '--out', batch], { env: { RNN_EXAM_SECRET: 'a-different-secret-000000001' } });
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/manifest\.json: the papers were made with a different secret\. Fix: use the exam config and secret of that batch/);
    const unknown = runCli(['regenerate', ...seeds, '--student', 'Z-999', '--out', batch], { env });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('student ID "Z-999" is not on the roster');
  });

  it('another attempt has no record: it is not compared and nothing is written into the batch folder', () => {
    const { status, report } = regenerate(['--student', 'C-003', '--out', batch, '--attempt', '2']);
    expect(status).toBe(0);
    expect(report).toMatchObject({ attempt: 2, recorded: false, identical: true });
    expect(report.files.every((f) => f.status === 'unrecorded' && !f.writtenTo)).toBe(true);
    expect(report.notes.join(' ')).toContain('records attempt 1 for student C-003, not attempt 2');
  });
});
