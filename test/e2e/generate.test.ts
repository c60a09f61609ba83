import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { flattenQuantity } from '../../src/solution/final-answers.ts';
import { buildStudentKey } from '../../src/solution/build-marking-key.ts';
import { formatSignificant } from '../../src/solution/format-number.ts';
import { readPdfText } from '../helpers/pdf-read.ts';
import { runCli } from '../helpers/run-cli.ts';

/** Prints real PDFs with the real browser and reads them back as text. */
const SECRET = 'e2e-secret-do-not-use-0000001';
const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-e2e-'));
const roster = join(dir, 'roster.csv');
writeFileSync(roster, '\uFEFFStudent ID,Full name\r\nA-001,"<b>Bob</b> & ""Al"""\r\nB-002,Zoë Müller-Sánchez\r\nC-003,王小明\r\n');
const examPath = 'examples/exam.json';
const exam = parseExamConfig(JSON.parse(readFileSync(examPath, 'utf8')), examPath);
const env = { RNN_EXAM_SECRET: SECRET };
const pdfText = async (path: string) => (await readPdfText(path)).replace(/\u2212/g, '-');
const files = (root: string) => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();

describe('rnn-exam generate, end to end', () => {
  const first = join(dir, 'first'), second = join(dir, 'second'), single = join(dir, 'single');
  let result: ReturnType<typeof runCli>;
  beforeAll(() => {
    result = runCli(['generate', '--exam', examPath, '--roster', roster, '--out', first, '--concurrency', '2', '--json'], { env });
  }, 300_000);

  it('writes a paper, booklet, solution and key per student, the cohort key and a manifest', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ students: 3, written: 3, failed: [] });
    expect(files(first)).toEqual([
      'A-001/answer-booklet.pdf', 'A-001/marking-key.pdf', 'A-001/question-paper.pdf', 'A-001/worked-solution.pdf',
      'B-002/answer-booklet.pdf', 'B-002/marking-key.pdf', 'B-002/question-paper.pdf', 'B-002/worked-solution.pdf',
      'C-003/answer-booklet.pdf', 'C-003/marking-key.pdf', 'C-003/question-paper.pdf', 'C-003/worked-solution.pdf',
      'manifest.json', 'marking-key.csv', 'marking-key.pdf',
    ]);
  });

  it('every PDF names its student on every page, and the solution holds the right answers', async () => {
    for (const [id, name] of [['A-001', '<b>Bob</b> & "Al"'], ['B-002', 'Zoë Müller-Sánchez']]) {
      const draw = drawStudent(SECRET, exam, { id, name });
      for (const kind of ['question-paper', 'worked-solution', 'marking-key']) {
        const pages = (await pdfText(join(first, id, `${kind}.pdf`))).split('\f').filter((p) => p.trim());
        expect(pages.length).toBeGreaterThan(0);
        for (const page of pages) {
          expect(page).toContain(name);
          expect(page).toContain(id);
          expect(page).toMatch(/page \d+ of \d+/);
        }
      }
      const solution = await pdfText(join(first, id, 'worked-solution.pdf'));
      const key = buildStudentKey(exam, draw);
      for (const part of key.parts) {
        for (const entry of part.quantities.flatMap(flattenQuantity)) {
          expect(solution, `${id} ${entry.name}`).toContain(formatSignificant(entry.value, 3));
        }
      }
      const paper = await pdfText(join(first, id, 'question-paper.pdf'));
      expect(paper).toContain(draw.paperCode);
      expect(paper).not.toContain(formatSignificant(draw.solution.forward.L, 3) + '\n');
    }
  });

  it('the cohort CSV has one row per student and answer entry, with the accepted range', () => {
    const csv = readFileSync(join(first, 'marking-key.csv'), 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFFstudent_id,name,paper_code,attempt,part,marks,answer,value,full_value,accept_low,accept_high,common_errors$/);
    expect(lines.filter((l) => l.startsWith('C-003,王小明,'))).toHaveLength(3 * 3 + 3 * 3 + 4 + 3 + 9 + 9);
    expect(csv).toContain('A-001,"<b>Bob</b> & ""Al""",');
  });

  it('the manifest records hashes and never the secret', () => {
    const manifest = JSON.parse(readFileSync(join(first, 'manifest.json'), 'utf8'));
    expect(manifest.students.map((s: { id: string }) => s.id)).toEqual(['A-001', 'B-002', 'C-003']);
    for (const name of files(first)) expect(readFileSync(join(first, name)).includes(SECRET)).toBe(false);
  });

  it('the same inputs give byte-identical files, in a batch or one student alone', () => {
    const again = runCli(['generate', '--exam', examPath, '--roster', roster, '--out', second, '--json'], { env });
    expect(again.status).toBe(0);
    for (const name of files(first)) expect(readFileSync(join(second, name)).equals(readFileSync(join(first, name))), name).toBe(true);
    const alone = runCli(['generate', '--exam', examPath, '--roster', roster, '--out', single, '--student', 'B-002', '--json'], { env });
    expect(alone.status).toBe(0);
    for (const kind of ['question-paper', 'worked-solution', 'marking-key']) {
      expect(readFileSync(join(single, 'B-002', `${kind}.pdf`)).equals(readFileSync(join(first, 'B-002', `${kind}.pdf`)))).toBe(true);
    }
  });

  it('a re-run skips students whose files match the manifest', () => {
    const rerun = runCli(['generate', '--exam', examPath, '--roster', roster, '--out', first, '--json'], { env });
    expect(JSON.parse(rerun.stdout)).toMatchObject({ written: 0, skipped: 3 });
  });
});
