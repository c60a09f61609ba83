import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_EXAM, exampleExam, runCliAsync, snapshot, tempDir, writeJson, writeText, type CliResult } from './helpers.ts';

/**
 * Bad input through the real command line: exit 1, one line naming the file, the line or
 * JSON path and the fix, and the output folder exactly as before — a folder holding an
 * earlier run's papers is untouched, and a folder that did not exist is not created.
 */
const SECRET = 'bad-input-secret-0123456789';
const dir = tempDir('bad-input');
const roster = writeText(dir, 'roster.csv', 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\n');
const existingOut = join(dir, 'earlier-run');
const freshOut = join(dir, 'not-yet-made');

function brokenTemplates(name: string, line: string): string {
  const copy = join(dir, name);
  cpSync('templates', copy, { recursive: true });
  const file = join(copy, 'question-paper.hbs');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.splice(1, 0, line); // becomes line 2
  writeFileSync(file, lines.join('\n'));
  return copy;
}

function examWith(name: string, edit: (exam: Record<string, any>) => void): string {
  const exam = exampleExam();
  edit(exam);
  return writeJson(dir, name, exam);
}

interface Case {
  name: string;
  exam?: string;
  roster?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  format?: 'pdf' | 'html';
  /** the message starts `rnn-exam: <where>: ` */
  where: string;
  what: RegExp;
  fix: RegExp;
}

const rosterCase = (name: string, file: string, text: string, where: string, what: RegExp, fix: RegExp): Case =>
  ({ name, roster: writeText(dir, file, text), where: where.replace('FILE', join(dir, file)), what, fix });
const longId = 'X'.repeat(65);

const cases: Case[] = [
  rosterCase('malformed CSV (unclosed quote)', 'unclosed.csv', 'Student ID,Full name\nA-001,Ann\nB-002,"Bo Chen\nC-003,Cy\n', 'FILE line 3', /closing quote is missing/, /close the quote/),
  rosterCase('no ID column', 'no-id.csv', 'Full name,Email\nAnn,a@x.org\n', 'FILE line 1', /no student ID column/, /name the column holding the student IDs one of: student_id/),
  rosterCase('duplicate IDs', 'duplicate.csv', 'Student ID,Full name\nA-001,Ann\nB-002,Bo\nA-001,Al\n', 'FILE line 4', /duplicate student ID 'A-001' \(first on line 2\)/, /unique ID/),
  rosterCase('empty ID', 'empty-id.csv', 'Student ID,Full name\nA-001,Ann\n,Bo\n', 'FILE line 3', /empty student ID/, /fill in the ID or delete the row/),
  rosterCase('ID with ../', 'dotdot.csv', 'Student ID,Full name\nA-001,Ann\n../evil,Eve\n', 'FILE line 3', /unsafe student ID "\.\.\/evil": it contains "\/"/, /use only letters/),
  rosterCase('ID with /', 'slash.csv', 'Student ID,Full name\nA-001,Ann\nabc/def,Eve\n', 'FILE line 3', /unsafe student ID "abc\/def": it contains "\/"/, /use only letters/),
  rosterCase('ID too long', 'long.csv', `Student ID,Full name\nA-001,Ann\n${longId},Eve\n`, 'FILE line 3', /65 characters long \(at most 64\)/, /at most 64 characters/),
  rosterCase('empty roster', 'empty.csv', '', 'FILE', /the file is empty/, /export the class list as CSV with a header line/),
  rosterCase('roster with a header only', 'header-only.csv', 'Student ID,Full name\n', 'FILE', /no students found/, /add one row per student/),
  { name: 'invalid exam JSON', exam: writeText(dir, 'bad.json', '{\n  "examId": "E1",\n  "course": "X",\n}\n'), where: `${join(dir, 'bad.json')} line 4 column 1`, what: /invalid JSON: unexpected "}"/, fix: /correct the JSON syntax there/ },
  { name: 'schema: negative T', exam: examWith('negative-t.json', (e) => { e.rnn.sizes.T = -2; }), where: `${join(dir, 'negative-t.json')}: rnn.sizes.T`, what: /expected number to be >=1/, fix: /use a value of at least 1/ },
  { name: 'schema: unknown activation', exam: examWith('relu.json', (e) => { e.rnn.activation = 'relu'; }), where: `${join(dir, 'relu.json')}: rnn.activation`, what: /"relu" is not allowed here/, fix: /use one of "tanh"/ },
  {
    name: 'unsatisfiable sampler config',
    exam: examWith('unsatisfiable.json', (e) => { e.rnn.quality = { maxAttempts: 20, maxAbsHbar: 1e-6 }; }),
    where: `${join(dir, 'unsatisfiable.json')}: rnn.quality`, what: /no acceptable question in 20 draws; rejected for saturated-tanh ×\d+/, fix: /narrow the ranges in rnn\.draw/,
  },
  { name: 'missing secret', env: { RNN_EXAM_SECRET: undefined }, where: 'secret', what: /no secret given/, fix: /openssl rand -hex 32 > exam\.secret/ },
  { name: 'a folder as the secret file', args: ['--secret-file', dir], where: dir, what: /the secret file cannot be read \(it is a folder, not a file\)/, fix: /check the path/ },
  { name: 'a missing secret file', args: ['--secret-file', join(dir, 'nope.secret')], where: join(dir, 'nope.secret'), what: /cannot be read \(file not found\)/, fix: /check the path/ },
  { name: '--student not on the roster', args: ['--student', 'Z-999'], where: roster, what: /student ID "Z-999" is not on the roster/, fix: /check the ID/ },
  {
    name: 'no browser available (PATH-independent)', format: 'pdf',
    env: { RNN_EXAM_BROWSER: '/nonexistent/chrome', PUPPETEER_EXECUTABLE_PATH: undefined, PATH: '' },
    where: 'RNN_EXAM_BROWSER=/nonexistent/chrome', what: /no browser there/, fix: /point RNN_EXAM_BROWSER at a Chrome\/Chromium binary/,
  },
  {
    name: 'template with a Handlebars syntax error', args: ['--templates', brokenTemplates('syntax', '{{#if header.course}')],
    where: `${join(dir, 'syntax', 'question-paper.hbs')} line 2`, what: /Handlebars syntax error/, fix: /correct the template syntax there/,
  },
  {
    name: 'template with an unknown helper', args: ['--templates', brokenTemplates('helper', '{{shout header.course}}')],
    where: `${join(dir, 'helper', 'question-paper.hbs')} line 2`, what: /unknown helper 'shout'/, fix: /use one of math, mathRow/,
  },
  {
    name: 'template with a misspelt field', args: ['--templates', brokenTemplates('field', '{{header.cuorse}}')],
    where: `${join(dir, 'field', 'question-paper.hbs')} line 2`, what: /template failed: "cuorse" not defined/, fix: /check the names used in the template/,
  },
];

function generate(c: Pick<Case, 'exam' | 'roster' | 'args' | 'env' | 'format'>, out: string) {
  return runCliAsync([
    'generate', '--exam', c.exam ?? EXAMPLE_EXAM, '--roster', c.roster ?? roster, '--out', out,
    '--format', c.format ?? 'html', '--json', ...(c.args ?? []),
  ], { env: { RNN_EXAM_SECRET: SECRET, ...c.env } });
}

function expectOneClearMessage(result: CliResult, c: Pick<Case, 'where' | 'what' | 'fix'>): void {
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0].startsWith(`rnn-exam: ${c.where}: `), `${lines[0]}\n  should start with rnn-exam: ${c.where}: `).toBe(true);
  const [what, fix] = lines[0].slice(`rnn-exam: ${c.where}: `.length).split(' Fix: ');
  expect(what).toMatch(c.what);
  expect(fix).toMatch(c.fix);
  expect(result.status).toBe(1);
}

describe('generate with bad input', () => {
  beforeAll(async () => {
    const earlier = await generate({ args: ['--only', 'papers'] }, existingOut);
    expect(earlier.status, earlier.stderr).toBe(0);
  }, 120_000);

  it.each(cases)('$name: one clear message, nothing written', async (c) => {
    const targets = [existingOut, freshOut];
    const before = targets.map(snapshot);
    const results = await Promise.all(targets.map((out) => generate(c, out)));
    results.forEach((result, i) => {
      expectOneClearMessage(result, c);
      expect(snapshot(targets[i]), targets[i]).toEqual(before[i]);
    });
    expect(before[0]).not.toBe('absent');
    expect(before[1]).toBe('absent');
  });

  it('an output path under a regular file: says which file is in the way', async () => {
    const blocker = writeText(dir, 'a-file', 'not a folder');
    const out = join(blocker, 'sub');
    const before = snapshot(dir);
    expectOneClearMessage(await generate({}, out), { where: out, what: new RegExp(`cannot be created: ${blocker} is a file, not a folder`), fix: /choose another --out folder, or move that file away/ });
    expect(snapshot(dir)).toEqual(before);
  });

  it('an output folder that is a file', async () => {
    const out = writeText(dir, 'out-is-a-file', 'x');
    expectOneClearMessage(await generate({}, out), { where: out, what: /is a file, not a folder/, fix: /choose another --out folder/ });
    expect(readFileSync(out, 'utf8')).toBe('x');
  });

  it('an output folder where nothing may be created (/proc): no hang, a clear message', async () => {
    const out = `/proc/rnn-exam-test-${process.pid}/papers`;
    expectOneClearMessage(await generate({}, out), { where: out, what: /cannot be created in \/proc \(that folder does not accept new files\)/, fix: /choose an --out folder on a disk you may write to/ });
    expect(existsSync(out)).toBe(false);
  });

  it('a roster with a byte-order mark and Windows line endings works', async () => {
    const bomRoster = writeText(dir, 'excel.csv', '\uFEFFStudent ID,Full name\r\nA-001,Zoë Müller\r\nB-002,"Smith, Jo"\r\n');
    const out = join(dir, 'bom-out');
    const result = await generate({ roster: bomRoster, args: ['--only', 'papers'] }, out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ students: 2, written: 2, failed: [] });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.students.map((s: { id: string }) => s.id)).toEqual(['A-001', 'B-002']);
    expect(readFileSync(join(out, 'A-001', 'question-paper.html'), 'utf8')).toContain('Zoë Müller');
    expect(readFileSync(join(out, 'B-002', 'question-paper.html'), 'utf8')).toContain('Smith, Jo');
  });

  it('a pre-existing empty output folder stays empty on bad input', async () => {
    const out = join(dir, 'empty-out');
    mkdirSync(out);
    expectOneClearMessage(await generate({ args: ['--student', 'nobody'] }, out), { where: roster, what: /"nobody" is not on the roster/, fix: /check the ID/ });
    expect(snapshot(out)).toEqual({});
  });
});
