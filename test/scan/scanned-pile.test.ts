import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grayscale, PDFDict, PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIdentifyReport, type IdentifyReport } from '../../src/scan/identify-pages.ts';
import { identify } from '../../src/pipeline/identify.ts';
import { runCli } from '../helpers/run-cli.ts';
import { messyPile, ScanSimulator, type ScannerSettings, type ScanSheet, type SheetTruth } from '../helpers/scan-simulator.ts';
import { scanBatch } from '../helpers/scan-batch.ts';

/**
 * identify on what a scanner gives back, not on rnn-exam's own vector pages: two students'
 * answer booklets printed by `generate`, shuffled together with a page lost, a page twice, a page
 * whose code's corner is torn off and a blank separator sheet, every sheet a greyscale JPEG (200 dpi, blurred, noisy, compressed),
 * turned upright, upside down or sideways, skewed 1–3°, scaled and shifted; read by the CLI.
 */
const SECRET = 'scanned-pile-test-secret-00000001';
const IDS = ['A-001', 'B-002'];
/** A soft, noisy office scan: identify's first reader read 2 of this pile's 11 coded pages (and 5 of 6 of the 150 dpi scan below). */
const SCANNER: ScannerSettings = { dpi: 200, quality: 0.6, noise: 8, blurPx: 1, borderMm: 10, seed: 20261130 };

describe('identify on a simulated scan of a shuffled pile', () => {
  const { dir, roster, secretFile, out, examPath } = scanBatch('scanned-pile', SECRET);
  let simulator: ScanSimulator;
  let booklets: Uint8Array[];
  let pages: number[];
  let sheets: ScanSheet[];
  let truth: SheetTruth[];
  const scanPath = join(dir, 'scan.pdf');

  beforeAll(async () => {
    const run = runCli(['generate', '--exam', examPath, '--roster', roster, '--secret-file', secretFile, '--out', out,
      ...IDS.flatMap((id) => ['--student', id]), '--only', 'booklets', '--concurrency', '2', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    booklets = IDS.map((id) => readFileSync(join(out, id, 'answer-booklet.pdf')));
    pages = await Promise.all(booklets.map(async (pdf) => (await PDFDocument.load(pdf)).getPageCount()));
    ({ sheets, truth } = messyPile(IDS.map((id, i) => ({ id, pages: pages[i] })), {
      seed: 7, lose: { id: 'A-001', page: 2 }, twice: { id: 'B-002', page: 3 }, torn: { id: 'A-001', page: 5 }, blanks: 1,
    }));
    simulator = await ScanSimulator.start();
    writeFileSync(scanPath, await simulator.scan(booklets, sheets, SCANNER));
  }, 300_000);
  afterAll(async () => {
    await simulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the pile is a hard one: every turn, skews of 1–3°, image-only pages at the scanner\'s resolution', async () => {
    expect(new Set(sheets.map((s) => s.turn))).toEqual(new Set([0, 90, 180, 270]));
    expect(sheets.filter((s) => s.tornCorner)).toHaveLength(1);
    for (const s of sheets) expect(Math.abs(s.skewDeg)).toBeGreaterThanOrEqual(1);
    for (const s of sheets) expect(Math.abs(s.skewDeg)).toBeLessThanOrEqual(3);
    expect(truth.filter((t) => t === 'blank')).toHaveLength(1);
    expect(truth).toHaveLength(pages.reduce((a, b) => a + b, 0) + 1);
    const scan = await PDFDocument.load(readFileSync(scanPath));
    expect(scan.getPageCount()).toBe(sheets.length);
    // A sideways sheet is a landscape page; A4 plus the scanner's border either way.
    scan.getPages().forEach((page, i) => {
      const { width, height } = page.getSize();
      expect(width > height, `scan page ${i + 1}`).toBe(sheets[i].turn % 180 === 90);
    });
  });

  it('the same seed makes the same scan, byte for byte', async () => {
    const one = [sheets[0]];
    const a = await simulator.scan(booklets, one, SCANNER);
    const b = await simulator.scan(booklets, one, SCANNER);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  }, 60_000);

  it('`rnn-exam identify` finds every page where it lies, the lost page missing, the twice-scanned page duplicated, the torn page unreadable and the blank sheet blank', () => {
    const split = join(dir, 'split');
    const run = runCli(['identify', scanPath, '--exam', examPath, '--roster', roster, '--secret-file', secretFile, '--split', split, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1); // something needs a person: missing, duplicated and unreadable pages
    const report = JSON.parse(run.stdout) as IdentifyReport & { split: string[] };
    expect(report.scanPages).toBe(sheets.length);

    // Expected from the pile's truth, in the user's numbering: scan pages from 1.
    const expected = IDS.map((id, i) => {
      const at = new Map<number, number[]>();
      truth.forEach((t, index) => { if (t !== 'blank' && t.id === id && !t.torn) at.set(t.page, [...(at.get(t.page) ?? []), index + 1]); });
      const found = [...at.entries()].sort((a, b) => a[0] - b[0]).map(([page, scanPages]) => ({ page, scanPages }));
      const missing = Array.from({ length: pages[i] }, (_, k) => k + 1).filter((p) => !at.has(p));
      return { id, found, missing, duplicated: found.filter((f) => f.scanPages.length > 1).map((f) => f.page) };
    });
    expect(expected.map((e) => [e.missing, e.duplicated])).toEqual([[[2, 5], []], [[], [3]]]);
    expect(report.students.map((s) => ({ id: s.id, onRoster: s.onRoster, complete: s.complete }))).toEqual([
      { id: 'A-001', onRoster: true, complete: false },
      { id: 'B-002', onRoster: true, complete: false },
    ]);
    report.students.forEach((student, i) => {
      expect(student.documents).toHaveLength(1);
      const { kind, attempt, pages: printed, found, missing, duplicated } = student.documents[0];
      expect({ kind, attempt, pages: printed }).toEqual({ kind: 'answer-booklet', attempt: 1, pages: pages[i] });
      expect({ id: student.id, found, missing, duplicated }).toEqual(expected[i]);
    });
    // The blank sheet is listed as blank (nothing wrong); the torn page as unreadable, for a person.
    const blank = truth.indexOf('blank') + 1;
    const torn = truth.findIndex((t) => t !== 'blank' && t.torn) + 1;
    expect(report.rejected.map((r) => [r.scanPage, r.reason])).toEqual([[blank, 'blank'], [torn, 'unreadable']].sort((a, b) => Number(a[0]) - Number(b[0])));
    const message = (page: number) => report.rejected.find((r) => r.scanPage === page)!.message;
    expect(message(blank)).toMatch(new RegExp(`^scan page ${blank}: blank \\(no page code and no marks`));
    expect(message(torn)).toMatch(new RegExp(`^scan page ${torn}: no readable page code`));
    expect(report.cohort).toEqual([]);
    expect(report.absent).toEqual(['C-003', 'D-004']);
    expect(report.ok).toBe(false);

    // What a person reads (the same report as text).
    const text = formatIdentifyReport(report);
    expect(text.split('\n')[0]).toBe(`${scanPath}: ${sheets.length} pages; 2 students found, 0 complete; 1 page without a usable code; 1 blank.`);
    expect(text).toContain(`\nblank      scan page ${blank}: blank`);
    expect(text).toContain(`\nREJECTED   scan page ${torn}: no readable page code`);
    expect(text).toMatch(/^ {4}answer-booklet: 4 of 6 pages; MISSING pages 2, 5 /m);
    expect(text).toMatch(/^ {4}answer-booklet: 6 of 6 pages; DUPLICATED page 3 /m);

    // --split: one PDF per student, a duplicated page once; the unreadable page set aside, the blank sheet dropped.
    expect(readdirSync(split).sort()).toEqual(['A-001.pdf', 'B-002.pdf', 'unidentified.pdf']);
  }, 180_000);

  it('a 150 dpi scan of one booklet, every sheet turned or skewed, reads page by page (the library function)', async () => {
    const low = messyPile([{ id: 'B-002', pages: pages[1] }], { seed: 11, blanks: 0 });
    expect(new Set(low.sheets.map((s) => s.turn)).size).toBeGreaterThanOrEqual(3);
    const path = join(dir, 'scan-150dpi.pdf');
    writeFileSync(path, await simulator.scan([booklets[1]], low.sheets, { dpi: 150, quality: 0.7, noise: 8, blurPx: 0.7, borderMm: 10, seed: 11 }));
    const report = await identify({ scanPath: path, examPath, rosterPath: roster, secretFile });
    expect(report.rejected).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.students.map((s) => [s.id, s.complete])).toEqual([['B-002', true]]);
    const at = report.students[0].documents[0].found.map((f) => [f.page, f.scanPages]);
    expect(at).toEqual(Array.from({ length: pages[1] }, (_, k) => [k + 1, [low.truth.findIndex((t) => t !== 'blank' && t.page === k + 1) + 1]]));
  }, 120_000);

  it('a sheet with two faint pencilled words and no code is unreadable (kept for a person), not blank', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595.28, 841.89]).drawText('see over', { x: 300, y: 400, size: 11, font, color: grayscale(0.7) });
    doc.addPage([595.28, 841.89]);
    const sheet: ScanSheet = { turn: 0, skewDeg: 1.5, scale: 1, offsetMm: [0, 0] };
    const path = join(dir, 'scan-extra-sheet.pdf');
    writeFileSync(path, await simulator.scan([await doc.save()], [1, 2].map((page) => ({ ...sheet, source: { pdf: 0, page } })), { ...SCANNER, dpi: 150 }));
    const report = await identify({ scanPath: path, examPath, rosterPath: roster, secretFile });
    expect(report.rejected.map((r) => [r.scanPage, r.reason])).toEqual([[1, 'unreadable'], [2, 'blank']]);
  }, 120_000);

  it('the split files hold each student\'s pages in order (a duplicated page once), and the torn page alone', async () => {
    const split = join(dir, 'split');
    const scan = await PDFDocument.load(readFileSync(scanPath));
    const scanImages = scan.getPages().map((_, i) => jpegOf(scan, i));
    for (const id of [...IDS, 'unidentified']) {
      const file = await PDFDocument.load(readFileSync(join(split, `${id}.pdf`)));
      // Which scan page each page of the file is, by its JPEG's bytes.
      const from = file.getPages().map((_, i) => scanImages.findIndex((image) => image.equals(jpegOf(file, i))) + 1);
      const expected = id === 'unidentified'
        ? [truth.findIndex((t) => t !== 'blank' && t.torn) + 1]
        : Array.from({ length: pages[IDS.indexOf(id)] }, (_, k) => truth.findIndex((t) => t !== 'blank' && t.id === id && t.page === k + 1 && !t.torn) + 1).filter((at) => at > 0);
      expect(from, id).toEqual(expected);
    }
  });
});

/** The bytes of the one image on page `index` of a scan. */
function jpegOf(doc: PDFDocument, index: number): Buffer {
  const xObjects = doc.getPage(index).node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
  const [ref] = xObjects.values();
  const stream = doc.context.lookup(ref);
  if (!(stream instanceof PDFRawStream)) throw new Error(`page ${index + 1} has no image stream`);
  return Buffer.from(stream.contents);
}
