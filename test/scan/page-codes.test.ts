import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/pipeline/identify.ts';
import { appendPageCodes, stampPageCodes } from '../../src/print/stamp-page-codes.ts';
import { PdfPageReader } from '../../src/scan/pdf-page-reader.ts';
import { pageCodeIsGenuine, pageCodeKey, pageCodeText, parsePageCode } from '../../src/solution/page-code.ts';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { renderCohortKey, renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { buildStudentKey } from '../../src/solution/build-marking-key.ts';
import { runCli } from '../helpers/run-cli.ts';
import { scanBatch } from '../helpers/scan-batch.ts';

const SECRET = 'page-code-test-secret-000000001';
const KEY = pageCodeKey(SECRET);
const base = { examId: 'FIT5215-2026-S2-final', studentId: 'A-001', attempt: 1, kind: 'answer-booklet' as const, key: KEY };

describe('page code text', () => {
  it('round-trips exam, student, attempt, kind and page, with a fingerprint that checks', () => {
    const text = pageCodeText(base, 3, 6);
    expect(text).toMatch(/^RNX1\|FIT5215-2026-S2-final\|A-001\|1\|AB\|3\/6\|[0-9a-f]{12}$/);
    const code = parsePageCode(text)!;
    expect(code).toMatchObject({ examId: base.examId, studentId: 'A-001', attempt: 1, kind: 'answer-booklet', page: 3, pages: 6 });
    expect(pageCodeIsGenuine(code, KEY)).toBe(true);
    expect(pageCodeIsGenuine(code, pageCodeKey('another-secret-entirely-0001'))).toBe(false);
  });

  it('catches an edited field and never holds the secret or its key', () => {
    const text = pageCodeText(base, 3, 6);
    for (const forged of [text.replace('|3/6|', '|4/6|'), text.replace('A-001', 'A-002'), text.replace('|AB|', '|QP|')]) {
      expect(pageCodeIsGenuine(parsePageCode(forged)!, KEY)).toBe(false);
    }
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY.slice(0, 12));
    expect(parsePageCode('https://example.org')).toBeUndefined();
    expect(parsePageCode(text.replace('|3/6|', '|7/6|'))).toBeUndefined();
  });

  it('names the cohort key\'s document part', () => {
    const code = parsePageCode(pageCodeText({ ...base, studentId: '*', kind: 'cohort-marking-key', part: 2 }, 1, 40))!;
    expect(code).toMatchObject({ studentId: '*', kind: 'cohort-marking-key', part: 2, page: 1, pages: 40 });
  });
});

describe('what each document asks to be stamped with', () => {
  it('every student document its own kind and student; the cohort key no student and its part', async () => {
    const exam = parseExamConfig(JSON.parse(readFileSync('examples/exam.json', 'utf8')), 'exam.json');
    const templates = await loadTemplates();
    const draw = drawStudent(SECRET, exam, { id: 'A-001', name: 'Ada' });
    for (const [kind, doc] of renderStudentDocuments(templates, exam, draw, undefined, ['question-paper', 'answer-booklet', 'worked-solution', 'marking-key'])) {
      expect(parsePageCode(doc.pageCode!(2, 5))).toMatchObject({ studentId: 'A-001', kind, page: 2, pages: 5 });
    }
    const cohort = renderCohortKey(templates, exam, [buildStudentKey(exam, draw)], { part: 3, parts: 3, first: 401, last: 401, total: 401 });
    const code = parsePageCode(cohort.pageCode!(1, 1))!;
    expect(code).toMatchObject({ studentId: '*', kind: 'cohort-marking-key', part: 3 });
    expect(pageCodeIsGenuine(code, KEY)).toBe(true);
  });
});

describe('stamping', () => {
  it('gives the same bytes every time and keeps the document\'s pages', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage([595, 842]);
    doc.addPage([595, 842]);
    const pdf = await doc.save();
    const a = await stampPageCodes(pdf, (k, n) => pageCodeText(base, k, n));
    const b = await stampPageCodes(pdf, (k, n) => pageCodeText(base, k, n));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect((await PDFDocument.load(a)).getPageCount()).toBe(2);
    // An incremental update: the original bytes are untouched at the start of the file.
    expect(Buffer.from(a.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
  });

  it('falls back to rewriting a PDF whose cross-reference it cannot follow, with the same codes', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage([595, 842]);
    const broken = Buffer.from(await doc.save({ useObjectStreams: false }));
    const at = broken.lastIndexOf('startxref');
    broken.write('startxref\n1          ', at, 'latin1'); // points nowhere
    expect(() => appendPageCodes(broken, (k, n) => pageCodeText(base, k, n))).toThrow();
    const stamped = await stampPageCodes(broken, (k, n) => pageCodeText(base, k, n));
    expect((await PDFDocument.load(stamped)).getPageCount()).toBe(1);
  });
});

/** Real documents from `generate`, read back as pixels: the codes are decoded, not taken from our own data. */
describe('codes on generated documents, read from rendered pixels', () => {
  const { dir, roster, secretFile, out, examPath } = scanBatch('page-codes', SECRET);
  let reader: PdfPageReader;

  beforeAll(async () => {
    const run = runCli(['generate', '--exam', examPath, '--roster', roster, '--secret-file', secretFile, '--out', out,
      '--student', 'A-001', '--student', 'B-002', '--student', 'C-003', '--only', 'booklets', '--concurrency', '2', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    reader = await PdfPageReader.start();
  }, 300_000);
  afterAll(async () => { await reader?.close(); });

  it('every page of a booklet decodes to its student, kind and page k of n', async () => {
    for (const id of ['A-001', 'B-002']) {
      const pdf = readFileSync(join(out, id, 'answer-booklet.pdf'));
      const pages = (await PDFDocument.load(pdf)).getPageCount();
      expect(pages).toBeGreaterThanOrEqual(4);
      const scans = await reader.readCodes(pdf);
      expect(scans).toHaveLength(pages);
      scans.forEach(({ page, text }) => {
        const code = parsePageCode(text ?? '');
        expect(code, `${id} page ${page}`).toMatchObject({ examId: 'FIT5215-2026-S2-final', studentId: id, attempt: 1, kind: 'answer-booklet', page, pages });
        expect(pageCodeIsGenuine(code!, KEY)).toBe(true);
      });
    }
  }, 120_000);

  it('identify reads a shuffled, rasterised scan: present, missing, duplicated and unreadable pages', async () => {
    // A "scan": every page drawn as a 144 dpi image (no vector code left to cheat with), shuffled;
    // A-001 complete, B-002's page 2 lost, C-003's page 3 scanned twice, and one blank sheet.
    const scan = await PDFDocument.create({ updateMetadata: false });
    const images: Array<{ id: string; page: number; png: Buffer }> = [];
    for (const id of ['A-001', 'B-002', 'C-003']) {
      const pages = await reader.open(readFileSync(join(out, id, 'answer-booklet.pdf')));
      for (let page = 1; page <= pages; page++) {
        if (id === 'B-002' && page === 2) continue;
        const png = await reader.renderPng(page, 2);
        images.push({ id, page, png });
        if (id === 'C-003' && page === 3) images.push({ id, page, png });
      }
    }
    const blank = await PDFDocument.create();
    blank.addPage([595.28, 841.89]);
    await reader.open(await blank.save());
    images.push({ id: 'blank', page: 0, png: await reader.renderPng(1, 2) });
    // A fixed shuffle (by a hash of each image's place), so the test is the same every run.
    const order = (i: number) => createHash('sha256').update(String(i)).digest('hex');
    const shuffled = images.map((image, i) => ({ image, key: order(i) })).sort((a, b) => (a.key < b.key ? -1 : 1)).map((x) => x.image);
    for (const { png } of shuffled) {
      const page = scan.addPage([595.28, 841.89]);
      page.drawImage(await scan.embedPng(png), { x: 0, y: 0, width: 595.28, height: 841.89 });
    }
    const scanPath = join(dir, 'scan.pdf');
    writeFileSync(scanPath, await scan.save());

    const split = join(dir, 'split');
    const report = await identify({ scanPath, examPath, rosterPath: roster, secretFile, splitDir: split });
    expect(report.ok).toBe(false);
    expect(report.scanPages).toBe(images.length);
    const byId = new Map(report.students.map((s) => [s.id, s]));
    expect([...byId.keys()]).toEqual(['A-001', 'B-002', 'C-003']);
    expect(byId.get('A-001')).toMatchObject({ complete: true, name: 'Ada Lovelace' });
    expect(byId.get('B-002')!.documents[0]).toMatchObject({ kind: 'answer-booklet', missing: [2], duplicated: [] });
    expect(byId.get('C-003')!.documents[0]).toMatchObject({ kind: 'answer-booklet', missing: [], duplicated: [3] });
    expect(report.rejected.map((r) => [r.scanPage, r.reason])).toEqual([[shuffled.findIndex((x) => x.id === 'blank') + 1, 'blank']]);
    expect(report.absent).toEqual(['D-004']);
    // Each found page points at the scan page that holds it.
    for (const s of report.students) {
      for (const f of s.documents[0].found) {
        for (const scanPage of f.scanPages) expect(shuffled[scanPage - 1]).toMatchObject({ id: s.id, page: f.page });
      }
    }
    // --split: one PDF per student, pages in order and each once; the blank sheet is nobody's.
    expect(readdirSync(split).sort()).toEqual(['A-001.pdf', 'B-002.pdf', 'C-003.pdf']);
    const c003 = await reader.readCodes(readFileSync(join(split, 'C-003.pdf')));
    expect(c003.map((s) => parsePageCode(s.text ?? '')?.page)).toEqual(byId.get('C-003')!.documents[0].found.map((f) => f.page));
  }, 300_000);

  it('the identify command reports a complete scan for a person and exits 0 (students without pages are listed, not failed)', () => {
    const run = runCli(['identify', join(out, 'A-001', 'answer-booklet.pdf'), '--exam', examPath, '--roster', roster, '--secret-file', secretFile]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^complete {3}A-001 \(Ada Lovelace\)$/m);
    expect(run.stdout).toMatch(/answer-booklet: (\d+) of \1 pages/);
    expect(run.stdout).toMatch(/no pages in this scan for 3 roster students: B-002, C-003, D-004/);
  }, 120_000);

  it('a code made with another secret is refused', async () => {
    const pdf = readFileSync(join(out, 'A-001', 'answer-booklet.pdf'));
    const other = join(dir, 'other.secret');
    writeFileSync(other, 'a-different-secret-for-this-test-01');
    const report = await identify({ scanPath: join(out, 'A-001', 'answer-booklet.pdf'), examPath, rosterPath: roster, secretFile: other });
    expect(report.ok).toBe(false);
    expect(report.students).toEqual([]);
    expect(report.rejected.every((r) => r.reason === 'not-genuine')).toBe(true);
    expect(report.rejected).toHaveLength((await PDFDocument.load(pdf)).getPageCount());
  }, 120_000);
});
