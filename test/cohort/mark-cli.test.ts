import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawStudent } from '../../src/random/draw-student.ts';
import { resolveMarkScheme } from '../../src/marking/index.ts';
import { commonErrorAnswers, type CommonErrorId } from '../../src/solution/common-errors.ts';
import { PART_IDS, type PartId } from '../../src/solution/final-answers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { readZip } from './read-zip.ts';
import { answerRows, codeOf, CSV_HEADER, exam, EXAM_PATH, SECRET, type Behaviour } from './simulated-cohort.ts';

const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-mark-'));
const out = join(dir, 'out');
const env = { RNN_EXAM_SECRET: SECRET };
const RNN_MAX = Object.values(exam.rnn.marks).reduce((a, b) => a + b, 0);
const WRITTEN_MAX = exam.written.reduce((a, w) => a + w.marks, 0);

// A roster of 12, one name a spreadsheet would run as a formula, one with markup.
const students = [
  ['Zoë', 'Müller-Sánchez', '32881907'], ['Liam', "O'Brien", '32904415'], ['小明', '王', '32917736'],
  ['=HYPERLINK("x")', 'Evil', '30000001'], ['<b>Bold</b>', 'Tag', '30000002'],
  ...Array.from({ length: 7 }, (_, i) => [`First${i}`, `Last${i}`, `3100000${i}`]), ['Blank', 'Paper', '31000099'], ['Carried', 'Forward', '31000100'],
].map(([first, last, id]) => ({ first, last, id }));
const ids = students.map((s) => s.id);
const ERRORS: CommonErrorId[] = ['wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'transposed-outer-product', 'softmax-without-target'];

/** The first part where this student's paper shows the error. */
function partShowing(id: string, error: CommonErrorId): PartId {
  const errs = commonErrorAnswers(drawStudent(SECRET, exam, { id, name: '' }).params, exam.rnn.gradientStep, exam.rnn.significantFigures);
  const part = PART_IDS.find((p) => errs[p].some((e) => e.errorId === error && e.sameAnswerAs.length === 0));
  if (!part) throw new Error(`${error} shows in no part of ${id}'s paper`);
  return part;
}

const behaviours = new Map<string, Behaviour>([
  [ids[0], { kind: 'exact' }], [ids[1], { kind: 'rounded' }], [ids[2], { kind: 'absent' }],
  [ids[3], { kind: 'rounded' }], [ids[4], { kind: 'neighbour', of: ids[0] }], [ids[5], { kind: 'malformed' }],
  [ids[6], { kind: 'wrong', part: 'losses' }],
  ...ERRORS.map((error, i): [string, Behaviour] => [ids[7 + i], { kind: 'error', error, part: partShowing(ids[7 + i], error) }]),
  [ids[12], { kind: 'absent' }],
  [ids[13], { kind: 'carried' }],
]);

const csvRows = (path: string) => parse(readFileSync(path, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let run: ReturnType<typeof runCli>;
beforeAll(() => {
  writeFileSync(join(dir, 'roster.csv'), `First name,Surname,ID number\n${students.map((s) => `"${s.first.replace(/"/g, '""')}",${s.last},${s.id}`).join('\n')}\n`);
  const rows = [...ids.flatMap((id) => answerRows(id, behaviours.get(id)!)), ...answerRows(ids[0], { kind: 'exact' }).map((r) => r.replace(ids[0], '99999999').replace(/,[^,]*$/, ','))];
  writeFileSync(join(dir, 'answers.csv'), `${CSV_HEADER}\n${rows.join('\n')}\n`);
  // Written marks: one over the question's marks, one unknown ID.
  writeFileSync(join(dir, 'written.csv'), `student_id,Q1,Q2\n${ids[0]},4,5.5\n${ids[1]},5,6\n${ids[3]},9,1\n88888888,1,1\n${ids[7]},2,\n${ids[2]},3,2\n`);
  writeFileSync(join(dir, 'worksheet.csv'), `Identifier,Full name,ID number,Email address,Status,Grade\n${ids.map((id, i) => `Participant ${1000 + i},${i === 1 ? 'Liam_O Brien' : `Student ${i}`},${id},s${i}@example.edu,,`).join('\n')}\n`);
  run = runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', join(dir, 'answers.csv'), '--written', join(dir, 'written.csv'),
    '--out', out, '--moodle-worksheet', join(dir, 'worksheet.csv')], { env });
});

describe('rnn-exam mark on a simulated cohort', () => {
  it('runs and summarises', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Marked ${ids.length - 3} of ${ids.length} students (2 flagged, 1 without answers)`);
    expect(readdirSync(out).sort()).toEqual(['feedback.zip', 'mark-manifest.json', 'marks.csv', 'moodle-grades.csv', 'problems.csv', 'statistics.html']);
  });

  it('marks.csv: every student once, marks by verdict, written marks added', () => {
    const text = readFileSync(join(out, 'marks.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.split('\r\n').length).toBe(ids.length + 2);
    const rows = new Map(csvRows(join(out, 'marks.csv')).map((r) => [r.student_id, r]));
    expect([...rows.keys()]).toEqual(ids);
    const full = rows.get(ids[0])!;
    expect(full).toMatchObject({ status: 'marked', paper_code: codeOf(ids[0]), attempt: '1', Q1: '4', Q2: '5.5', Q3: String(RNN_MAX), total: String(RNN_MAX + 9.5), max_total: String(RNN_MAX + WRITTEN_MAX) });
    expect(rows.get(ids[1])!.total).toBe(String(RNN_MAX + 11));
    expect(rows.get(ids[3])).toMatchObject({ Q1: '', Q2: '', total: String(RNN_MAX) }); // invalid written row not used
    expect(rows.get(ids[3])!.name).toBe("'=HYPERLINK(\"x\") Evil");
    expect(rows.get(ids[12])).toMatchObject({ status: 'absent', total: '', notes: 'no answers' });
    // written marks but no typed answers: marked, every RNN part missing
    expect(rows.get(ids[2])).toMatchObject({ status: 'marked', Q1: '3', Q2: '2', Q3: '0', '3.1 verdict': 'missing', '3.6 verdict': 'missing', total: '5' });
    expect(rows.get(ids[2])!.notes).toContain('written marks but no typed answers');
    expect(rows.get(ids[4])!.status).toBe('flagged');
    expect(rows.get(ids[4])!.notes).toContain(`student ${ids[0]}'s paper`);
    expect(rows.get(ids[5])!.status).toBe('flagged');
    expect(rows.get(ids[5])!.notes).toMatch(/answers\.csv line \d+/);
    expect(rows.get(ids[6])).toMatchObject({ '3.3': '0', '3.3 verdict': 'wrong', Q3: String(RNN_MAX - exam.rnn.marks.losses) });
    ERRORS.forEach((error, i) => {
      const b = behaviours.get(ids[7 + i]) as Extract<Behaviour, { kind: 'error' }>;
      const n = PART_IDS.indexOf(b.part) + 1;
      const row = rows.get(ids[7 + i])!;
      expect(row[`3.${n} verdict`]).toBe(`common-error (${error})`);
      // a named error earns the method marks it does not lose (the exam's scheme)
      const kept = resolveMarkScheme(exam.rnn.marks, exam.rnn.methodMarks, exam.rnn.marking)[b.part]
        .filter((m) => !(m.lostBy as string[]).includes(error)).reduce((s, m) => s + m.marks, 0);
      expect(kept).toBeLessThan(exam.rnn.marks[b.part]);
      expect(Number(row[`3.${n}`])).toBeCloseTo(kept, 9);
      expect(Number(row.Q3)).toBeCloseTo(RNN_MAX - exam.rnn.marks[b.part] + kept, 9);
      expect(row.named_errors).toBe(`3.${n} ${error}`);
    });
    expect(rows.get(ids[7])!.Q1).toBe('2');
    // a wrong yhat, and the losses worked honestly from it: 3.3 earns its marks by error carried forward
    expect(rows.get(ids[13])).toMatchObject({ '3.2': '0', '3.2 verdict': 'wrong', '3.3': String(exam.rnn.marks.losses), '3.3 verdict': 'wrong (error carried forward)' });
    expect(rows.get(ids[13])!.Q3).toBe(String(RNN_MAX - exam.rnn.marks.outputs));
  });

  it('problems.csv lists unknown IDs, invalid written marks, absent and flagged students with file and line', () => {
    const problems = csvRows(join(out, 'problems.csv')).map((p) => `${p.where}: ${p.problem}`);
    const lines = readFileSync(join(dir, 'answers.csv'), 'utf8').split('\n');
    const unknownLine = lines.findIndex((l) => l.startsWith('99999999,')) + 1;
    expect(problems).toContain(`${join(dir, 'answers.csv')} line ${unknownLine}: answers for student ID "99999999", who is not on the roster; not marked`);
    const badLine = lines.findIndex((l) => l.includes('not-a-number')) + 1;
    expect(problems.some((p) => p.startsWith(`student ${ids[5]}: ${join(dir, 'answers.csv')} line ${badLine}: expected a vector of 3 numbers for yhat_0`))).toBe(true);
    expect(problems.some((p) => /written\.csv line 4: student 30000001: Q1 = "9" is not a mark from 0 to 5/.test(p))).toBe(true);
    expect(problems.some((p) => p.includes('"88888888"'))).toBe(true);
    expect(problems.some((p) => p.startsWith(`student ${ids[12]}: no answers`))).toBe(true);
    expect(problems.some((p) => p.includes(`student ${ids[5]}`) && p.includes('not-a-number'))).toBe(true);
    expect(run.stdout).toContain('problems (all in problems.csv)');
  });

  it('the Moodle import: ID number, grade and feedback together, marked students only', () => {
    const text = readFileSync(join(out, 'moodle-grades.csv'), 'utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFID number,Full name,Exam,Exam feedback,Q1,Q2,Q3');
    const rows = csvRows(join(out, 'moodle-grades.csv'));
    const marks = new Map(csvRows(join(out, 'marks.csv')).map((r) => [r.student_id, r]));
    expect(rows.map((r) => r['ID number'])).toEqual(ids.filter((id) => marks.get(id)!.status === 'marked'));
    for (const r of rows) {
      expect(r.Exam).toBe(marks.get(r['ID number'])!.total);
      expect(r['Exam feedback']).toContain(`Total ${r.Exam}/${RNN_MAX + WRITTEN_MAX}`);
    }
  });

  it('feedback ZIP: one escaped page per marked student, named for Moodle\'s feedback upload', () => {
    const entries = readZip(readFileSync(join(out, 'feedback.zip')));
    const marked = csvRows(join(out, 'marks.csv')).filter((r) => r.status === 'marked');
    expect(entries.size).toBe(marked.length);
    expect(entries.has(`Liam O Brien_1001_assignsubmission_file/feedback-${ids[1]}.html`)).toBe(true);
    const bold = [...entries].find(([name]) => name.includes(ids[3 + 1]));
    expect(bold).toBeUndefined(); // flagged: no feedback
    const evil = entries.get(`Student 3_1003_assignsubmission_file/feedback-${ids[3]}.html`)!;
    expect(evil).toContain('=HYPERLINK(&quot;x&quot;) Evil');
    const err = entries.get(`Student 8_1008_assignsubmission_file/feedback-${ids[8]}.html`)!;
    expect(err).toContain('Common error: truncated BPTT.');
    expect(err).not.toMatch(/<script|https?:\/\//);
    const exact = entries.get(`Student 0_1000_assignsubmission_file/feedback-${ids[0]}.html`)!;
    expect((exact.match(/class="ok">✓/g) ?? []).length).toBeGreaterThan(20);
    expect(exact).not.toContain('class="bad">✗');
  });

  it('statistics.html: counts, every named error made, one plot per measure', () => {
    const html = readFileSync(join(out, 'statistics.html'), 'utf8');
    expect(html).toContain(`${ids.length} students on the roster: ${ids.length - 3} marked, 2 flagged (not marked), 1 without answers.`);
    for (const name of ['L summed, not averaged', 'truncated BPTT', 'tanh derivative left out', 'outer products transposed', 'target not subtracted']) expect(html).toContain(`<td>${name}</td><td>1</td>`);
    expect((html.match(/<svg class="plot"/g) ?? []).length).toBe(6);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('the manifest records the inputs\' hashes and every output, never the secret', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'mark-manifest.json'), 'utf8'));
    expect(manifest.inputs.find((i: { role: string }) => i.role === 'answers').sha256).toBe(sha(readFileSync(join(dir, 'answers.csv'))));
    expect(manifest.counts).toMatchObject({ roster: ids.length, marked: ids.length - 3, flagged: 2, absent: 1 });
    for (const f of manifest.outputs) expect(f.sha256).toBe(sha(readFileSync(join(out, f.path))));
    for (const name of readdirSync(out)) expect(readFileSync(join(out, name)).includes(SECRET)).toBe(false);
  });

  it('the same inputs give the same bytes', () => {
    const again = join(dir, 'again');
    const second = runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', join(dir, 'answers.csv'), '--written', join(dir, 'written.csv'),
      '--out', again, '--moodle-worksheet', join(dir, 'worksheet.csv')], { env });
    expect(second.status).toBe(0);
    for (const name of readdirSync(out)) expect(sha(readFileSync(join(again, name)))).toBe(sha(readFileSync(join(out, name))));
  });

  it('a folder of per-student files marks the same, and two files for one student are flagged', () => {
    const folder = join(dir, 'answers');
    mkdirSync(folder);
    writeFileSync(join(folder, `${ids[0]}.csv`), `part,quantity,value\n${answerRows(ids[0], { kind: 'rounded' }).map((r) => r.split(',').slice(1, -1).join(',')).join('\n')}\n`);
    writeFileSync(join(folder, `${ids[1]}.json`), JSON.stringify({ paper_code: codeOf(ids[0]), '3.3': { L: 1 } }));
    writeFileSync(join(folder, `${ids[6]}.json`), '{}');
    writeFileSync(join(folder, `${ids[6]}.csv`), 'part,quantity,value\n');
    const res = runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', folder, '--out', join(dir, 'folder-out')], { env });
    expect(res.status).toBe(0);
    const rows = new Map(csvRows(join(dir, 'folder-out', 'marks.csv')).map((r) => [r.student_id, r]));
    expect(rows.get(ids[0])).toMatchObject({ status: 'marked', Q3: String(RNN_MAX), total: String(RNN_MAX) });
    expect(rows.get(ids[1])!.notes).toContain(`student ${ids[0]}'s paper`);
    expect(rows.get(ids[6])!.notes).toContain('two answers files');
    expect(rows.get(ids[2])!.status).toBe('absent');
  });

  it('bad command lines and inputs: clear errors, nothing written', () => {
    const bad = runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', join(dir, 'nope.csv'), '--out', join(dir, 'bad')], { env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('nope.csv: file not found');
    const half = runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', join(dir, 'answers.csv'), '--canvas-column', 'Exam', '--out', join(dir, 'bad')], { env });
    expect(half.status).toBe(1);
    expect(half.stderr).toContain('--canvas-gradebook and --canvas-column go together');
    expect(() => readdirSync(join(dir, 'bad'))).toThrow();
  });
});
