import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_EXAM, runCliAsync, tempDir, writeText } from './helpers.ts';

/**
 * Issue 13, leaks and hangs: the published demo secret and guessable secrets are refused, a
 * readable secret file is warned about, answers are written owner-only, and a browser that
 * starts but never answers is stopped (its whole process group), tried once more, and named.
 */
const SECRET = 'secrets-test-secret-Rk8pW2zN5q';
const dir = tempDir('secrets');
const roster = writeText(dir, 'roster.csv', 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\n');
const show = (env: NodeJS.ProcessEnv, ...extra: string[]) =>
  runCliAsync(['show', '--student', 'A-001', '--exam', EXAMPLE_EXAM, ...extra], { env: { RNN_EXAM_SECRET: '', RNN_EXAM_ALLOW_DEMO_SECRET: '', ...env } });
const mode = (path: string) => statSync(path).mode & 0o777;

/** Alive and not a zombie (a killed orphan waits, dead, for a container's init to reap it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

describe('secrets', () => {
  it('the published demo secret is refused outside the demo, and allowed with RNN_EXAM_ALLOW_DEMO_SECRET=1 (as npm start sets)', async () => {
    const demo = 'rnn-exam-demo-secret-NOT-FOR-REAL-EXAMS';
    expect(readFileSync('scripts/demo.mjs', 'utf8')).toContain(`'${demo}'`);
    expect(readFileSync('scripts/demo.mjs', 'utf8')).toContain("RNN_EXAM_ALLOW_DEMO_SECRET: '1'");
    const refused = await show({ RNN_EXAM_SECRET: demo });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('RNN_EXAM_SECRET: this is the published demo secret');
    expect(refused.stderr).toContain('openssl rand -hex 32');
    expect((await show({ RNN_EXAM_SECRET: demo, RNN_EXAM_ALLOW_DEMO_SECRET: '1' })).status).toBe(0);
  }, 60_000);

  it.each([
    ['repeated', 'aaaaaaaaaaaaaaaaaaaa'],
    ['a word and a run', 'password12345678'],
    ['a run', '0123456789abcdefgh'],
    ['two characters', 'abababababababababab'],
  ])('a guessable secret (%s) is refused with how to make one', async (_label, secret) => {
    const run = await show({ RNN_EXAM_SECRET: secret });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/RNN_EXAM_SECRET: the secret is too easy to guess \(about \d+ bits/);
    expect(run.stderr).toContain('openssl rand -hex 32');
    expect(run.stderr).not.toContain(secret);
  }, 60_000);

  it('a secret file others can read is warned about; an owner-only one is not', async () => {
    const file = writeText(dir, 'exam.secret', `${SECRET}\n`);
    chmodSync(file, 0o644);
    const readable = await show({}, '--secret-file', file);
    expect(readable.status).toBe(0);
    expect(readable.stderr).toContain(`rnn-exam: warning: ${file} can be read by every user on this machine`);
    expect(readable.stderr).toContain(`chmod 600 ${file}`);
    chmodSync(file, 0o600);
    const private_ = await show({}, '--secret-file', file);
    expect(private_.status).toBe(0);
    expect(private_.stderr).not.toContain('warning');
  }, 60_000);
});

describe('answers are written owner-only', () => {
  const generate = (out: string, env: NodeJS.ProcessEnv = {}) =>
    runCliAsync(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--format', 'html'], { env: { RNN_EXAM_SECRET: SECRET, ...env } });

  it('files 0600 and folders 0700 by default (solutions, keys, the cohort key, the manifest)', async () => {
    const out = join(dir, 'private', 'batch');
    expect((await generate(out)).status).toBe(0);
    for (const name of ['manifest.json', 'marking-key.csv', 'marking-key.html', 'A-001/worked-solution.html', 'A-001/marking-key.html', 'A-001/question-paper.html']) {
      expect(mode(join(out, name)).toString(8), name).toBe('600');
    }
    for (const folder of [out, join(dir, 'private'), join(out, 'A-001')]) expect(mode(folder).toString(8), folder).toBe('700');
  }, 120_000);

  it('RNN_EXAM_OUTPUT_MODE=640 lets a group read; a mode without owner read/write is refused', async () => {
    const out = join(dir, 'group');
    expect((await generate(out, { RNN_EXAM_OUTPUT_MODE: '640' })).status).toBe(0);
    expect(mode(join(out, 'A-001', 'marking-key.html')).toString(8)).toBe('640');
    expect(mode(join(out, 'A-001')).toString(8)).toBe('750');
    const bad = await generate(join(dir, 'bad-mode'), { RNN_EXAM_OUTPUT_MODE: '044' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('RNN_EXAM_OUTPUT_MODE: "044" is not a file mode rnn-exam can use');
  }, 120_000);
});

describe('a browser that starts but never answers', () => {
  it('is stopped with its process group after the launch time-out, tried once more, then named with the fix; it never sees the secret', async () => {
    const log = join(dir, 'fake-browser-log');
    const fake = writeText(dir, 'fake-chrome', [
      '#!/bin/sh',
      `mkdir -p "${log}"`,
      `env > "${log}/env.$$"`,
      'sleep 300 &',
      `echo $! >> "${log}/children"`,
      'wait',
      '',
    ].join('\n'));
    chmodSync(fake, 0o755);
    const out = join(dir, 'hung');
    const run = await runCliAsync(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--only', 'papers'], {
      env: { RNN_EXAM_SECRET: SECRET, RNN_EXAM_BROWSER: fake, RNN_EXAM_BROWSER_TIMEOUT_MS: '1500' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`browser ${fake}: started but did not answer within 1500 ms, twice (it was stopped each time)`);
    expect(run.stderr).toContain('set RNN_EXAM_BROWSER to a working Chrome/Chromium binary');
    expect(existsSync(out)).toBe(false); // nothing written

    const launches = readdirSync(log).filter((name) => name.startsWith('env.'));
    expect(launches).toHaveLength(2);
    for (const name of launches) {
      const environment = readFileSync(join(log, name), 'utf8');
      expect(environment).not.toContain(SECRET);
      expect(environment).not.toMatch(/^RNN_EXAM_SECRET=/m);
    }
    // The browser's own children (here, sleep) were killed with it: no orphan is left.
    const children = readFileSync(join(log, 'children'), 'utf8').trim().split('\n').map(Number);
    expect(children).toHaveLength(2);
    for (const pid of children) expect(isRunning(pid), `process ${pid}`).toBe(false);
  }, 60_000);
});
