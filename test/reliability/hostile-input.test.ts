import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_EXAM, exampleExam, rosterText, runCliAsync, snapshot, startCli, tempDir, writeJson, writeText, type CliResult } from './helpers.ts';

/**
 * Hostile and unusual input (issue 13, the input half), through the real command line:
 * refused before anything is written, one message per problem naming the file and the line
 * or JSON path, exit 1; nothing from a name reaches a terminal or a page unescaped.
 */
const SECRET = 'hostile-input-secret-0123456789abcdef';
const env = { RNN_EXAM_SECRET: SECRET };
const dir = tempDir('hostile-input');
const roster = writeText(dir, 'roster.csv', 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\n');

function examWith(name: string, edit: (exam: Record<string, any>) => void): string {
  const exam = exampleExam();
  exam.rnn.draw ??= {}; // the example leaves the draw ranges to their defaults
  edit(exam);
  return writeJson(dir, name, exam);
}

interface Run { exam?: string; roster?: string; format?: 'pdf' | 'html'; args?: string[]; env?: NodeJS.ProcessEnv }

function generate(run: Run, out: string): Promise<CliResult> {
  return runCliAsync([
    'generate', '--exam', run.exam ?? EXAMPLE_EXAM, '--roster', run.roster ?? roster, '--out', out,
    '--format', run.format ?? 'html', '--json', ...(run.args ?? []),
  ], { env: { ...env, ...run.env } });
}

/** Exit 1, nothing on stdout, no stack trace, the output folder never made; every expected problem listed. */
async function expectRefused(run: Run, expected: RegExp[]): Promise<string> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const result = await generate(run, out);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
  for (const pattern of expected) expect(result.stderr).toMatch(pattern);
  expect(result.status, result.stderr).toBe(1);
  expect(snapshot(out)).toBe('absent');
  return result.stderr;
}

const configCases: Array<{ name: string; exam: string; message: RegExp }> = [
  {
    name: 'a decimal range with no grid point',
    exam: examWith('decimal-gap.json', (e) => { e.rnn.draw.U = { type: 'decimal', min: 0.01, max: 0.04, places: 1 }; }),
    message: /decimal-gap\.json: rnn\.draw\.U: no value can be drawn: there is no number with 1 decimal place from 0\.01 to 0\.04\. Fix: widen min … max/,
  },
  {
    name: 'an integer range whose only value nonZero forbids',
    exam: examWith('nonzero-0.json', (e) => { e.rnn.draw.W = { type: 'integer', min: 0, max: 0, nonZero: true }; }),
    message: /nonzero-0\.json: rnn\.draw\.W: no value can be drawn: there is no whole number other than 0 \(nonZero is set\) from 0 to 0/,
  },
  {
    name: 'a matrix that can only be zero (every draw degenerate)',
    exam: examWith('zero-v.json', (e) => { e.rnn.draw.V = { type: 'integer', min: 0, max: 0 }; }),
    message: /zero-v\.json: rnn\.draw\.V: only 0 can be drawn, so every draw would be rejected/,
  },
  { name: 'maxAttempts 1e12', exam: examWith('attempts.json', (e) => { e.rnn.quality.maxAttempts = 1e12; }), message: /attempts\.json: rnn\.quality\.maxAttempts: expected number to be <=100000/ },
  { name: 'marks that would total Infinity', exam: examWith('marks.json', (e) => { e.rnn.marks.losses = 1e308; e.rnn.marks.outputs = 1e308; }), message: /marks\.json: rnn\.marks\.losses: expected number to be <=1000/ },
  {
    name: '1e999 in the config',
    exam: writeText(dir, 'infinity.json', JSON.stringify(exampleExam()).replace('"maxGradient":20', '"maxGradient":1e999')),
    message: /infinity\.json: rnn\.quality\.maxGradient: expected number, received Infinity/,
  },
  { name: 'range values beyond ±1000', exam: examWith('huge.json', (e) => { e.rnn.draw.x = { type: 'integer', min: -1e300, max: 1e300 }; }), message: /huge\.json: rnn\.draw\.x\.min: expected number to be >=-1000/ },
  { name: 'examId ..', exam: examWith('dotdot-id.json', (e) => { e.examId = '..'; }), message: /dotdot-id\.json: examId: "\.\." is not a safe folder name/ },
  { name: 'examId .', exam: examWith('dot-id.json', (e) => { e.examId = '.'; }), message: /dot-id\.json: examId: "\." is not a safe folder name/ },
  { name: 'examId .hidden', exam: examWith('hidden-id.json', (e) => { e.examId = '.hidden'; }), message: /hidden-id\.json: examId: "\.hidden" is not a safe folder name: it starts with '\.'/ },
  {
    name: 'bad TeX in a written question',
    exam: examWith('tex.json', (e) => { e.written[1].questions[2].text = 'Compute $\\fracc{1}{2}$.'; }),
    message: /tex\.json: written\[1\]\.questions\[2\]\.text: cannot typeset "\\\\fracc\{1\}\{2\}"/,
  },
  {
    name: 'an unbalanced $ in an instruction',
    exam: examWith('dollar.json', (e) => { e.instructions[0] = 'Costs $5.'; }),
    message: /dollar\.json: instructions\[0\]: unbalanced \$ in "Costs \$5\."\. Fix: close the inline math/,
  },
];

describe('impossible or absurd configs are refused when read, with the JSON path', () => {
  it.concurrent.each(configCases)('$name', async (c) => {
    await expectRefused({ exam: c.exam }, [c.message]);
  });
});

describe('rosters: names and IDs', () => {
  it.concurrent('no name column it understands: lists the headers found and understood', async () => {
    const file = writeText(dir, 'french.csv', 'Nom;Prénom;ID number\nLee;Ann;A-001\n');
    await expectRefused({ roster: file }, [new RegExp(`${file} line 1: no name column; the header has "Nom", "Prénom", "ID number"\\. Fix: name the column holding full names one of "name", "Full name"`)]);
  });

  it.concurrent('empty names, control and bidi characters: each with its line and code point', async () => {
    const file = writeText(dir, 'hostile.csv', 'Student ID,Full name\nA-001,Ann\nB-002,\nC-003,"Eve \u202E1234"\nD-004,"Bo\u001B[2J"\nE-005,"Al\u2067x\u2069"\n');
    const stderr = await expectRefused({ roster: file }, [
      new RegExp(`${file} line 3: empty name`),
      new RegExp(`${file} line 4: the name contains the invisible character U\\+202E \\(RIGHT-TO-LEFT OVERRIDE\\) at character 5`),
      new RegExp(`${file} line 5: the name contains the invisible character U\\+001B \\(ESCAPE\\)`),
      new RegExp(`${file} line 6: the name contains the invisible character U\\+2067 \\(RIGHT-TO-LEFT ISOLATE\\)`),
    ]);
    expect(stderr).not.toMatch(/[\u001B\u202E\u2067]/); // not even in the message
  });

  it.concurrent('IDs that are names of the batch\'s own files', async () => {
    const file = writeText(dir, 'clash.csv', 'Student ID,Full name\nA-001,Ann\nmanifest.json,Eve\nmarking-key.csv,Mal\nMarking-Key-001.pdf,Oz\n');
    await expectRefused({ roster: file }, [
      new RegExp(`${file} line 3: unsafe student ID "manifest\\.json": 'manifest\\.json' is the name of the batch's own manifest\\.json`),
      new RegExp(`${file} line 4: unsafe student ID "marking-key\\.csv"`),
      new RegExp(`${file} line 5: unsafe student ID "Marking-Key-001\\.pdf": .* cohort marking key document`),
    ]);
  });

  it.concurrent('a right-to-left name is isolated on the page and keeps direction marks out; the ID stays as typed', async () => {
    const file = writeText(dir, 'rtl.csv', 'Student ID,Full name\nA-001,"\u200Fשרה כהן"\nB-002,Ann Lee\n');
    const out = join(dir, 'rtl-out');
    const result = await generate({ roster: file, args: ['--only', 'papers'] }, out);
    expect(result.status, result.stderr).toBe(0);
    const html = readFileSync(join(out, 'A-001', 'question-paper.html'), 'utf8');
    expect(html).toContain('<bdi class="student-name">שרה כהן</bdi>');
    expect(html).toContain('<span class="student-id">A-001</span>');
    expect(html).not.toContain('\u200F');
  });

  it.concurrent('a repeated --student is one student, made once', async () => {
    const out = join(dir, 'twice-out');
    const result = await generate({ args: ['--student', 'A-001', '--student', 'A-001', '--only', 'papers'] }, out);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ students: 1, written: 1, skipped: 0 });
  });
});

describe('what reaches the terminal', () => {
  it.concurrent('show: escape sequences and bidi controls in an ID are shown escaped, never raw', async () => {
    const id = 'X\u001B[31m\u202EY\u009B';
    const text = await runCliAsync(['show', '--exam', EXAMPLE_EXAM, '--student', id], { env });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('X\\u{1B}[31m\\u{202E}Y\\u{9B}');
    expect(text.stderr).toMatch(/note: .* is not checked against a roster \(add --roster FILE\)/);
    expect(text.stderr).not.toMatch(/[\u001B\u202E\u009B]/);
    const json = await runCliAsync(['show', '--exam', EXAMPLE_EXAM, '--student', id, '--json'], { env });
    expect(json.stdout).not.toMatch(/[\u001B\u202E\u009B]/);
    expect(JSON.parse(json.stdout).student.id).toBe(id); // still valid JSON, same value
  });

  it.concurrent('check --student without --roster is refused (a typo would be marked against a paper never issued)', async () => {
    const answers = writeText(dir, 'answers.json', '{}');
    const result = await runCliAsync(['check', '--exam', EXAMPLE_EXAM, '--student', 'A-0001', '--answers', answers], { env });
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/check --student needs --roster FILE/);
    expect(result.status).toBe(2);
    const typo = await runCliAsync(['check', '--exam', EXAMPLE_EXAM, '--roster', roster, '--student', 'A-0001', '--answers', answers], { env });
    expect(typo.stderr).toMatch(/student ID "A-0001" is not on the roster/);
    expect(typo.status).toBe(1);
  });
});

describe('browser, answers files and templates: clear messages, bounded work', () => {
  const folder = join(dir, 'browser-folder');
  mkdirSync(folder);
  const notExecutable = writeText(dir, 'chrome', '#!/bin/sh\n');
  chmodSync(notExecutable, 0o644);
  it.concurrent.each([
    { name: 'a folder', path: folder, what: 'it is a folder, not a program' },
    { name: 'a file that is not executable', path: notExecutable, what: 'the file is not executable' },
  ])('RNN_EXAM_BROWSER at $name: one line, no stack trace', async ({ path, what }) => {
    const stderr = await expectRefused({ format: 'pdf', env: { RNN_EXAM_BROWSER: path } }, [new RegExp(`^rnn-exam: RNN_EXAM_BROWSER=${path}: no browser there \\(${what}\\)\\. Fix: point RNN_EXAM_BROWSER at`)]);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  const check = (answers: string) => runCliAsync(['check', '--params', 'examples/sample-params.json', '--answers', answers]);

  it.concurrent('deeply nested answers JSON: a clear error with line and column, not exit 70', async () => {
    const file = writeText(dir, 'deep.json', `{"3.1": {"h_0": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`);
    const result = await check(file);
    expect(result.stderr).toMatch(new RegExp(`${file} line 1 column \\d+: the JSON is nested more than 64 levels deep here`));
    expect(result.status).toBe(1);
  });

  it.concurrent('an answers file of 50 MB is refused before it is read', async () => {
    const file = join(dir, 'huge.csv');
    writeFileSync(file, `part,quantity,value\n${'3.1,h_0,abc\n'.repeat(4_500_000)}`);
    const result = await check(file);
    expect(result.stderr).toMatch(/huge\.csv: the file is 54\.0 MB, far more than this kind of file holds \(at most 1\.0 MB\)/);
    expect(result.status).toBe(1);
  });

  it.concurrent('thousands of problems: the first 20 listed, then a count', async () => {
    const file = writeText(dir, 'many.csv', `part,quantity,value\n${Array.from({ length: 5000 }, (_, i) => `3.9,q${i},1\n`).join('')}`);
    const result = await check(file);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('rnn-exam: 5000 problems:');
    expect(lines).toHaveLength(22);
    expect(lines[21]).toMatch(/^… and 4980 more problems/);
    expect(result.status).toBe(1);
  });

  it.concurrent('"1e999" is not an answer', async () => {
    const file = writeText(dir, 'infinite.csv', 'part,quantity,value\n3.3,L,1e999\n');
    const result = await check(file);
    expect(result.stderr).toMatch(/expected a number for L, found "1e999"/);
    expect(result.status).toBe(1);
  });

  it.concurrent('a fault inside a partial is blamed on the partial, not question-paper.hbs', async () => {
    const templates = join(dir, 'partial-templates');
    cpSync('templates', templates, { recursive: true });
    const partial = join(templates, 'partials', 'exam-head.hbs');
    writeFileSync(partial, `${readFileSync(partial, 'utf8').replace('<header class="exam-head">', '<header class="exam-head">\n{{header.cuorse}}')}`);
    await expectRefused({ args: ['--templates', templates] }, [new RegExp(`^rnn-exam: ${partial} line 2: template failed: "cuorse" not defined`)]);
  });
});

describe('a long draw is interruptible', () => {
  it('SIGTERM while every student is being drawn: stops at once, nothing written, exit 130', async () => {
    const big = writeText(dir, 'big-roster.csv', rosterText(20_000));
    const out = join(dir, 'interrupted-out');
    const { child, done } = startCli(['generate', '--exam', EXAMPLE_EXAM, '--roster', big, '--out', out, '--format', 'html'], env);
    // Drawing 20 000 students takes minutes; the signal comes well after start-up, long before the end.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.stderr).toContain('stopped before anything was written');
    expect(result.code, result.stderr).toBe(130);
    expect(snapshot(out)).toBe('absent');
  }, 180_000);
});
