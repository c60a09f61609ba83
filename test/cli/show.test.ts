import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const SECRET = 'test-secret-for-show-000001';
const env = { RNN_EXAM_SECRET: SECRET };
const exam = ['--exam', 'examples/exam.json'];
const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-show-'));

describe('rnn-exam show', () => {
  const first = runCli(['show', ...exam, '--roster', 'examples/roster.csv', '--student', '32881907', '--json'], { env });
  const out = JSON.parse(first.stdout || '{}');

  it('--json prints the student, seed scheme, params, answers and written questions', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(out.student).toEqual({ id: '32881907', name: 'Zoë Müller-Sánchez' });
    expect(out).toMatchObject({ examId: 'FIT5215-2026-S2-final', attempt: 1, seedScheme: 'rnn-exam/seed-v1' });
    expect(Object.keys(out.params)).toEqual(['U', 'W', 'V', 'b', 'c', 'x', 'y', 'lossReduction']);
    expect(out.written.map((q: { number: number }) => q.number)).toEqual([1, 2]);
    expect(typeof out.answers.L).toBe('number');
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });

  it('prints the same numbers every time, and its params give the same answers through solve', () => {
    const again = runCli(['show', ...exam, '--student', '32881907', '--json'], { env });
    expect(JSON.parse(again.stdout).params).toEqual(out.params);
    const file = join(dir, 'params.json');
    writeFileSync(file, JSON.stringify(out.params));
    const solved = runCli(['solve', '--params', file, '--json']);
    expect(JSON.parse(solved.stdout)).toEqual(out.answers);
  });

  it('gives a re-sit a different paper', () => {
    const resit = JSON.parse(runCli(['show', ...exam, '--student', '32881907', '--attempt', '2', '--json'], { env }).stdout);
    expect(resit.attempt).toBe(2);
    expect(resit.params).not.toEqual(out.params);
  });

  it('prints a readable view and a fairness report for the roster', () => {
    const result = runCli(['show', ...exam, '--roster', 'examples/roster.csv', '--student', '32881907', '--report'], { env });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Zoë Müller-Sánchez  ID 32881907');
    expect(result.stdout).toContain('Fairness over 30 students');
    expect(result.stdout).toMatch(/written Q1: /);
    expect(result.stdout).not.toContain(SECRET);
  });

  it('without a secret, says how to make one', () => {
    const result = runCli(['show', ...exam, '--student', '1'], { env: { RNN_EXAM_SECRET: undefined } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no secret given.*openssl rand -hex 32/);
  });

  it('rejects a short secret, an unreadable secret file and an ID not on the roster', () => {
    expect(runCli(['show', ...exam, '--student', '1'], { env: { RNN_EXAM_SECRET: 'short' } }).stderr).toMatch(/RNN_EXAM_SECRET: the secret is too short/);
    expect(runCli(['show', ...exam, '--student', '1', '--secret-file', join(dir, 'none')], { env: {} }).stderr)
      .toMatch(/none: the secret file cannot be read \(file not found\)/);
    const missing = runCli(['show', ...exam, '--roster', 'examples/roster.csv', '--student', 'X99'], { env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/examples\/roster\.csv: student ID "X99" is not on the roster/);
  });
});
