import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { readManifest, verifyFilesAgainstManifest } from '../../src/output/manifest.ts';
import { toCsv } from '../../src/output/marking-key-csv.ts';
import { CohortKeyAborted, cohortDocumentNames, writeCohortKey } from '../../src/pipeline/cohort-key.ts';
import type { PdfPrinter } from '../../src/print/pdf-printer.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { buildStudentKey, MARKING_KEY_CSV_HEADER, markingKeyRows } from '../../src/solution/build-marking-key.ts';
import { EXAMPLE_EXAM, exampleExam, rosterText, runCliAsync, tempDir, writeText, type CliResult } from './helpers.ts';

/**
 * The cohort key of a long roster: the CSV is streamed (byte-identical to building it in
 * memory) and the cohort document is split into chunks of 200 students. Correctness only;
 * memory is measured by scripts/large-roster.ts, not here.
 */
const SECRET = 'large-roster-secret-0123456789';
const STUDENTS = 450;
const dir = tempDir('large-roster');
const roster = writeText(dir, 'roster.csv', rosterText(STUDENTS));
const shorter = writeText(dir, 'shorter.csv', rosterText(150));
const out = join(dir, 'out');
const id = (i: number) => `S${String(i).padStart(5, '0')}`;
// The cohort key lists the students issued papers in the folder: every student's key is made (HTML).
const run = (rosterPath: string, ...extra: string[]) => runCliAsync(
  ['generate', '--exam', EXAMPLE_EXAM, '--roster', rosterPath, '--out', out, '--format', 'html', '--only', 'keys', '--json', ...extra],
  { env: { RNN_EXAM_SECRET: SECRET } },
);

describe(`the cohort key of ${STUDENTS} students`, () => {
  let result: CliResult;
  beforeAll(async () => { result = await run(roster); }, 300_000);

  it('names chunks marking-key-001… only past 200 students', () => {
    expect(cohortDocumentNames(1, 'pdf')).toEqual(['marking-key.pdf']);
    expect(cohortDocumentNames(200, 'pdf')).toEqual(['marking-key.pdf']);
    expect(cohortDocumentNames(201, 'pdf')).toEqual(['marking-key-001.pdf', 'marking-key-002.pdf']);
    expect(cohortDocumentNames(5000, 'html')).toHaveLength(25);
  });

  it('is split into chunks of 200, each holding exactly its own students, all in the manifest', async () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = (await readManifest(out))!;
    expect(manifest.cohortFiles.map((f) => f.path)).toEqual(['marking-key-001.html', 'marking-key-002.html', 'marking-key-003.html', 'marking-key.csv']);
    expect(await verifyFilesAgainstManifest(out, manifest)).toMatchObject({ missing: [], changed: [], foreign: [] });
    const chunks = [1, 2, 3].map((n) => readFileSync(join(out, `marking-key-00${n}.html`), 'utf8'));
    const holder = (i: number) => chunks.filter((html) => html.includes(`ID ${id(i)} `)).length;
    for (const i of [1, 200, 201, 400, 401, 450]) expect(holder(i), id(i)).toBe(1);
    expect(chunks[0]).toContain(`ID ${id(200)} `);
    expect(chunks[1]).toContain(`ID ${id(201)} `);
    expect(chunks[2]).toContain(`ID ${id(450)} `);
    // every page header says which students the part holds
    expect(chunks[0]).toContain('Part 1 of 3');
    expect(chunks[1]).toContain('students 201\u2013400 of 450');
    expect(chunks[2]).toContain('students 401\u2013450 of 450');
  });

  it('streams marking-key.csv byte-identical to the whole file built in memory', () => {
    const exam = parseExamConfig(exampleExam(), EXAMPLE_EXAM);
    const rows = Array.from({ length: STUDENTS }, (_, i) => markingKeyRows(exam, buildStudentKey(exam, drawStudent(SECRET, exam, { id: id(i + 1), name: `Student ${i + 1}` }))));
    const expected = toCsv(MARKING_KEY_CSV_HEADER, rows.flat());
    expect(readFileSync(join(out, 'marking-key.csv'), 'utf8')).toBe(expected);
  });

  it('a shorter roster later (--force, a fresh batch in the same folder): one cohort document again, and the old chunks are removed', async () => {
    const again = await run(shorter, '--force');
    expect(again.status, again.stderr).toBe(0);
    const manifest = (await readManifest(out))!;
    expect(manifest.cohortFiles.map((f) => f.path)).toEqual(['marking-key.csv', 'marking-key.html']);
    for (const n of [1, 2, 3]) expect(existsSync(join(out, `marking-key-00${n}.html`))).toBe(false);
    expect(await verifyFilesAgainstManifest(out, manifest)).toMatchObject({ missing: [], changed: [], foreign: [] });
  });

  it('stopped (Ctrl-C) between two documents, removes the documents it wrote and the unfinished CSV', async () => {
    const stopped = join(dir, 'stopped');
    mkdirSync(stopped);
    const controller = new AbortController();
    // prints the first chunk, and the user presses Ctrl-C meanwhile
    const printer = { print: async () => { controller.abort(); return new Uint8Array(Buffer.from('%PDF-1.4 stub')); } } as unknown as PdfPrinter;
    const exam = parseExamConfig(exampleExam(), EXAMPLE_EXAM);
    const students = Array.from({ length: STUDENTS }, (_, i) => ({ id: id(i + 1), name: `Student ${i + 1}`, line: i + 2 }));
    await expect(writeCohortKey({ outDir: stopped, exam, examPath: EXAMPLE_EXAM, secret: SECRET, roster: students, attempt: 1, templates: await loadTemplates(), printer, signal: controller.signal }))
      .rejects.toBeInstanceOf(CohortKeyAborted);
    expect(readdirSync(stopped)).toEqual([]);
  });
});
