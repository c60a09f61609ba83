import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_EXAM, exampleExam, filesUnder, runCliAsync, snapshot, tempDir, writeJson, writeText } from './helpers.ts';

/** An output folder holding another exam's or secret's papers: refused, unless --force, which replaces them. */
const dir = tempDir('output-folder');
const roster = writeText(dir, 'roster.csv', 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\nC-003,Cy Diaz\n');
const smallerRoster = writeText(dir, 'smaller.csv', 'Student ID,Full name\nA-001,Ann Lee\nD-004,Di Ng\n');
const SECRET_A = 'first-secret-0123456789abcdef';
const SECRET_B = 'second-secret-0123456789abcdef';
const out = join(dir, 'papers');
const otherConfig = (() => { const e = exampleExam(); e.course = 'Another course'; return writeJson(dir, 'other-config.json', e); })();
const otherExam = (() => { const e = exampleExam(); e.examId = 'ANOTHER-EXAM'; return writeJson(dir, 'other-exam.json', e); })();

const run = (secret: string, extra: string[] = [], exam = EXAMPLE_EXAM, rosterPath = roster, outDir = out) =>
  runCliAsync(['generate', '--exam', exam, '--roster', rosterPath, '--out', outDir, '--format', 'html', '--only', 'papers', '--json', ...extra], { env: { RNN_EXAM_SECRET: secret } });

describe('an output folder from another exam or secret', () => {
  beforeAll(async () => {
    const first = await run(SECRET_A);
    expect(first.status, first.stderr).toBe(0);
  }, 120_000);

  it.each([
    ['a different secret', SECRET_B, EXAMPLE_EXAM, /this folder already holds papers made with a different secret/],
    ['a different exam config', SECRET_A, otherConfig, /this folder already holds papers made from a different exam config/],
    ['a different exam', SECRET_A, otherExam, /this folder already holds papers of exam 'FIT5215-2026-S2-final' \(this run is exam 'ANOTHER-EXAM'\)/],
  ])('%s: refused with one message, folder untouched', async (_name, secret, exam, message) => {
    const before = snapshot(out);
    const result = await run(secret, [], exam);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`rnn-exam: ${out}: `);
    expect(result.stderr).toMatch(/Fix: use another --out folder, or pass --force to replace them\.$/m);
    expect(result.stderr).not.toContain(SECRET_A);
    expect(result.stderr).not.toContain(SECRET_B);
    expect(snapshot(out)).toEqual(before);
  });

  it('--force replaces the old papers entirely: the folder equals a fresh run of the new inputs', async () => {
    const forced = await run(SECRET_B, ['--force'], EXAMPLE_EXAM, smallerRoster);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    const fresh = join(dir, 'fresh');
    expect((await run(SECRET_B, [], EXAMPLE_EXAM, smallerRoster, fresh)).status).toBe(0);
    // B-002 and C-003 were the old secret's papers: gone, not mixed in with the new ones.
    expect(filesUnder(out)).toEqual(['A-001/question-paper.html', 'D-004/question-paper.html', 'manifest.json']);
    expect(snapshot(out)).toEqual(snapshot(fresh));
    const again = await run(SECRET_B, [], EXAMPLE_EXAM, smallerRoster);
    expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, skipped: 2 });
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).not.toContain(SECRET_B);
  });
});

describe('two runs on one output folder', () => {
  it('the second is refused while the first holds the folder, and changes nothing; the lock goes when a run ends', async () => {
    const folder = join(dir, 'busy');
    const first = await run(SECRET_A, [], EXAMPLE_EXAM, roster, folder);
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(folder, '.rnn-exam.lock'))).toBe(false);
    // a run in progress: this test's own process, alive, on this machine
    writeText(folder, '.rnn-exam.lock', JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-11-28T10:00:00.000Z' }));
    const before = snapshot(folder);
    const second = await run(SECRET_A, ['--force'], EXAMPLE_EXAM, roster, folder);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`another rnn-exam run (process ${process.pid} on ${hostname()}, started 2026-11-28T10:00:00.000Z) is writing to this folder`);
    expect(snapshot(folder)).toEqual(before);
  }, 120_000);
});
