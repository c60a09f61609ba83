import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readExamConfig } from '../../src/config/read-exam-config.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { paperCode } from '../../src/random/seed.ts';
import { EXAMPLE_EXAM, runCliAsync, snapshot, tempDir, writeText } from './helpers.ts';

/**
 * Issue 13, output and integrity: a re-sit adds one attempt and changes nothing else; a resume
 * remakes what an input change made stale and says why; the manifest is sealed with a key from
 * the secret and holds no unkeyed fingerprint; links in the output folder are never followed; a
 * full disk leaves no lock and no empty folder. All through the command line, as a lecturer runs it.
 */
const SECRET = 'integrity-test-secret-7Qx2Lm9Vw4';
const env = { RNN_EXAM_SECRET: SECRET };
const dir = tempDir('integrity');
const rosterText = 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\nC-003,Cy Diaz\n';
const roster = writeText(dir, 'roster.csv', rosterText);
const INJECT = fileURLToPath(new URL('../helpers/inject-fs-failure.mjs', import.meta.url));

const generate = (out: string, ...extra: string[]) =>
  runCliAsync(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--format', 'html', ...extra], { env });
const csvRows = (out: string) => readFileSync(join(out, 'marking-key.csv'), 'utf8').split('\r\n').filter((line) => /^(A|B|C)-00/.test(line));
const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, any>;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('a one-student re-sit', () => {
  const out = join(dir, 're-sit');

  it('adds that student\'s attempt 2 beside attempt 1 and leaves everyone else, and the cohort key rows, as they were', async () => {
    expect((await generate(out)).status).toBe(0);
    const before = snapshot(out) as Record<string, string>;
    const rowsBefore = csvRows(out);

    const resit = await generate(out, '--attempt', '2', '--student', 'B-002');
    expect(resit.status, resit.stderr).toBe(0);
    const after = snapshot(out) as Record<string, string>;
    // Every file of attempt 1 (everyone's) is untouched; only B-002/attempt-2/ is new, plus the key and manifest.
    for (const [path, hash] of Object.entries(before)) {
      if (['marking-key.csv', 'marking-key.html', 'manifest.json'].includes(path)) continue;
      expect(after[path], path).toBe(hash);
    }
    expect(Object.keys(after).filter((p) => !(p in before)).sort()).toEqual([
      'B-002/attempt-2', 'B-002/attempt-2/answer-booklet.html', 'B-002/attempt-2/marking-key.html', 'B-002/attempt-2/question-paper.html', 'B-002/attempt-2/worked-solution.html',
    ]);
    const rowsAfter = csvRows(out);
    expect(rowsAfter.filter((r) => !r.startsWith('B-002'))).toEqual(rowsBefore.filter((r) => !r.startsWith('B-002')));
    expect(rowsAfter.filter((r) => r.startsWith('B-002') && r.includes(',1,'))).toEqual(rowsBefore.filter((r) => r.startsWith('B-002')));
    const attempt2 = rowsAfter.filter((r) => r.startsWith('B-002') && !rowsBefore.includes(r));
    expect(attempt2.length).toBeGreaterThan(0);
    expect(attempt2.every((r) => r.split(',')[3] === '2')).toBe(true);
    expect(readFileSync(join(out, 'marking-key.html'), 'utf8')).toContain(paperCode(SECRET, { examId: 'FIT5215-2026-S2-final', studentId: 'B-002', attempt: 2 }));

    const entries = manifestOf(out).students.map((s: { id: string; attempt: number }) => `${s.id}#${s.attempt}`);
    expect(entries).toEqual(['A-001#1', 'B-002#1', 'B-002#2', 'C-003#1']);
  }, 120_000);

  it('verify, regenerate and trace understand both attempts', async () => {
    const verify = await runCliAsync(['verify', '--out', out, '--exam', EXAMPLE_EXAM, '--roster', roster], { env });
    expect(verify.status, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^OK: \d+ files and 3 students \(4 issued attempts\) in .* its seal is intact/);

    const latest = await runCliAsync(['regenerate', '--student', 'B-002', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--json'], { env });
    expect(latest.status, latest.stderr).toBe(0);
    const report = JSON.parse(latest.stdout) as { attempt: number; identical: boolean; files: Array<{ path: string; status: string }>; notes: string[] };
    expect(report).toMatchObject({ attempt: 2, identical: true });
    expect(report.files.map((f) => [f.path, f.status])).toContainEqual(['B-002/attempt-2/question-paper.html', 'identical']);
    expect(report.notes.join(' ')).toContain('attempts 1, 2');
    const first = await runCliAsync(['regenerate', '--student', 'B-002', '--attempt', '1', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--json'], { env });
    expect(JSON.parse(first.stdout)).toMatchObject({ attempt: 1, identical: true, recorded: true });

    const code = paperCode(SECRET, { examId: 'FIT5215-2026-S2-final', studentId: 'B-002', attempt: 2 });
    const trace = await runCliAsync(['trace', '--code', code, '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out], { env });
    expect(trace.status, trace.stderr).toBe(0);
    expect(trace.stdout).toMatch(/student B-002 \(Bo Chen\), attempt 2, .*issued: recorded in/);
  }, 120_000);
});

describe('resume after an input changed', () => {
  it('remakes the student whose name was corrected, saying so, and skips the others', async () => {
    const out = join(dir, 'rename');
    const renamed = writeText(dir, 'roster-renamed.csv', rosterText.replace('Bo Chen', 'Bo Cheng'));
    expect((await generate(out)).status).toBe(0);
    const rerun = await runCliAsync(['generate', '--exam', EXAMPLE_EXAM, '--roster', renamed, '--out', out, '--format', 'html'], { env });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('1 student written, 2 already up to date');
    expect(rerun.stdout).toContain('Remade B-002: name changed.');
    expect(rerun.stderr).toMatch(/B-002 remade: name changed/);
    expect(readFileSync(join(out, 'B-002', 'question-paper.html'), 'utf8')).toContain('Bo Cheng');
  }, 120_000);

  it('remakes every student when a template changed', async () => {
    const out = join(dir, 'template');
    const templates = join(dir, 'my-templates');
    cpSync(fileURLToPath(new URL('../../templates/', import.meta.url)), templates, { recursive: true });
    expect((await generate(out, '--templates', templates)).status).toBe(0);
    const css = readdirSync(join(templates, 'styles')).find((f) => f.endsWith('.css'))!;
    writeFileSync(join(templates, 'styles', css), `${readFileSync(join(templates, 'styles', css), 'utf8')}\n/* a lecturer's edit */\n`);
    const rerun = await generate(out, '--templates', templates);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('3 students written, 0 already up to date');
    expect(rerun.stdout).toContain('Remade A-001: template changed.');
  }, 120_000);
});

describe('the manifest cannot be quietly altered, and gives nothing away', () => {
  const out = join(dir, 'sealed');

  it('holds no unkeyed fingerprint of anyone\'s numbers', async () => {
    expect((await generate(out)).status).toBe(0);
    const text = readFileSync(join(out, 'manifest.json'), 'utf8');
    const exam = await readExamConfig(EXAMPLE_EXAM);
    for (const id of ['A-001', 'B-002', 'C-003']) {
      const draw = drawStudent(SECRET, exam, { id, name: '' });
      expect(text).not.toContain(draw.paramsHash); // sha256 of the numbers: guessable from a small config
      expect(text).not.toContain(draw.paramsHash.slice(0, 32));
    }
    expect(text).not.toContain('paramsHash');
    expect(text).not.toContain(SECRET);
    expect(manifestOf(out)).toMatchObject({ format: 'rnn-exam/manifest-v2', seal: { scheme: 'rnn-exam/manifest-seal-v1' } });
  }, 120_000);

  it('a marking key swapped for another student\'s, its sha256 fixed up, is caught with the secret; without, verify says integrity was not checked', async () => {
    const key = (id: string) => join(out, id, 'marking-key.html');
    const other = readFileSync(key('C-003'));
    writeFileSync(key('A-001'), other);
    const manifest = manifestOf(out);
    const entry = manifest.students.find((s: { id: string }) => s.id === 'A-001');
    const file = entry.files.find((f: { path: string }) => f.path === 'A-001/marking-key.html');
    Object.assign(file, { sha256: sha256(other), bytes: other.byteLength });
    writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const plain = await runCliAsync(['verify', '--out', out], { env: { RNN_EXAM_SECRET: '' } });
    expect(plain.status).toBe(0); // consistent: every file matches the (altered) manifest
    expect(plain.stdout).toMatch(/^OK \(consistency only, integrity NOT checked\)/);
    expect(plain.stdout).toContain('Integrity was NOT checked');

    const keyed = await runCliAsync(['verify', '--out', out, '--exam', EXAMPLE_EXAM, '--json'], { env });
    expect(keyed.status).toBe(1);
    const report = JSON.parse(keyed.stdout) as { ok: boolean; integrityChecked: boolean; findings: Array<{ kind: string; subject?: string; message: string }> };
    expect(report.integrityChecked).toBe(true);
    expect(report.findings.filter((f) => f.kind === 'manifest-altered').map((f) => f.subject)).toEqual(['A-001']);
    expect(report.findings[0].message).toContain('student \'A-001\' (attempt 1) was altered');

    // regenerate holds the secret too: it warns that the record cannot be trusted, and the
    // regenerated key (the true one) differs from the swapped-in record, so nothing is written.
    const appeal = await runCliAsync(['regenerate', '--student', 'A-001', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--json'], { env });
    expect(appeal.status).toBe(1);
    const regenerated = JSON.parse(appeal.stdout) as { notes: string[]; files: Array<{ path: string; status: string }> };
    expect(regenerated.notes.join(' ')).toContain('WARNING: manifest.json: the manifest entry of student \'A-001\' (attempt 1) was altered');
    expect(regenerated.files.find((f) => f.path === 'A-001/marking-key.html')?.status).toBe('differs');
  }, 120_000);
});

describe('a batch made before manifest v2', () => {
  it('is read: verify says it carries no seal, and the next run remakes its students and seals it', async () => {
    const out = join(dir, 'v1');
    expect((await generate(out)).status).toBe(0);
    const v2 = manifestOf(out);
    const v1 = {
      ...v2, format: 'rnn-exam/manifest-v1', options: { format: 'html', attempt: 1 }, seal: undefined,
      students: v2.students.map(({ id, attempt, paperCode, seedScheme, files }: Record<string, unknown>) => ({ id, attempt, paperCode, paramsHash: 'f'.repeat(64), seedScheme, files })),
    };
    writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(v1, null, 2)}\n`);

    const verify = await runCliAsync(['verify', '--out', out, '--exam', EXAMPLE_EXAM, '--json'], { env });
    expect(verify.status).toBe(1);
    const report = JSON.parse(verify.stdout) as { findings: Array<{ kind: string; message: string }>; notes: string[] };
    expect(report.findings.map((f) => f.kind)).toEqual(['manifest-unsealed']);
    expect(report.findings[0].message).toContain('carries no seal');
    expect(report.notes.join(' ')).toContain('3 student entries carry no fingerprint of their numbers (recorded by manifest v1)');

    const rerun = await generate(out);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('Remade A-001: made by an older rnn-exam that did not record its inputs.');
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(`${JSON.stringify(v2, null, 2)}\n`);
  }, 120_000);
});

describe('links inside the output folder are never followed', () => {
  it('a student folder linked to a folder outside is refused, by a resume and by --force, and nothing outside changes', async () => {
    const out = join(dir, 'linked');
    const outside = join(dir, 'outside');
    expect((await generate(out)).status).toBe(0);
    mkdirSync(outside);
    writeFileSync(join(outside, 'question-paper.html'), 'not yours to overwrite');
    writeFileSync(join(outside, 'thesis.tex'), 'precious');
    rmSync(join(out, 'B-002'), { recursive: true });
    symlinkSync(outside, join(out, 'B-002'));
    const outsideBefore = snapshot(outside);

    for (const extra of [[], ['--force']]) {
      const run = await generate(out, ...extra);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain(`${join(out, 'B-002')}: is a symbolic link inside the output folder: rnn-exam never follows one`);
      expect(snapshot(outside)).toEqual(outsideBefore);
    }
    const verify = await runCliAsync(['verify', '--out', out], { env: { RNN_EXAM_SECRET: '' } });
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('B-002 is a symbolic link');
  }, 120_000);

  it('a linked manifest is refused too', async () => {
    const out = join(dir, 'linked-manifest');
    expect((await generate(out)).status).toBe(0);
    renameSync(join(out, 'manifest.json'), join(dir, 'elsewhere.json'));
    symlinkSync(join(dir, 'elsewhere.json'), join(out, 'manifest.json'));
    const run = await generate(out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${join(out, 'manifest.json')}: is a symbolic link`);
  }, 120_000);
});

describe('a full disk', () => {
  const failing = (pattern: string) => ({ ...env, RNN_EXAM_TEST_FAIL_PATH: pattern, NODE_OPTIONS: `--import ${INJECT}` });

  it('while taking the lock leaves no lock file and no empty folder; the next run works', async () => {
    const out = join(dir, 'full-at-lock');
    const run = await runCliAsync(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--format', 'html'], { env: failing('rnn-exam\\.lock') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('.rnn-exam.lock: cannot be written: the disk is full');
    expect(existsSync(out)).toBe(false);
    expect((await generate(out)).status).toBe(0);
    expect(existsSync(join(out, '.rnn-exam.lock'))).toBe(false);
  }, 120_000);

  it('while writing papers leaves no empty student folder', async () => {
    const out = join(dir, 'full-at-papers');
    const run = await runCliAsync(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--format', 'html'], { env: failing('question-paper') });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAILED A-001');
    expect(readdirSync(out).filter((name) => statSync(join(out, name)).isDirectory())).toEqual([]);
    expect(existsSync(join(out, '.rnn-exam.lock'))).toBe(false);
  }, 120_000);
});
