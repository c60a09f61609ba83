import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { PdfPrinter, type PrintDocument } from '../../src/print/pdf-printer.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { DOCUMENT_KINDS, renderCohortKey, renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { buildStudentKey } from '../../src/solution/build-marking-key.ts';
import { flattenQuantity, PART_IDS, partQuantities } from '../../src/solution/final-answers.ts';
import { formatComputed } from '../../src/solution/math-tokens.ts';
import { readPdf, type PdfPageInfo } from '../helpers/pdf-pages.ts';

/**
 * Every document of the example exam and of the largest allowed shape, laid out and printed as
 * issued: nothing crosses the margins, no formula is split across lines, no rounding noise is
 * printed, the per-student key of the example exam fits in 2 pages, and the worked solution of
 * the largest shape in LARGEST_SOLUTION_MAX_PAGES with every asked quantity in it.
 */
const DEMO_SECRET = 'rnn-exam-demo-secret-NOT-FOR-REAL-EXAMS';
const example = JSON.parse(readFileSync(new URL('../../examples/exam.json', import.meta.url), 'utf8'));
const largest = { ...example, examId: 'LARGEST', rnn: { ...example.rnn, sizes: { input: 8, hidden: 8, output: 8, T: 8 } } };
// 32864958 is a demo student whose V has a constant column: V^T dL/dz_t cancels to 0 in exact arithmetic.
const STUDENTS = [{ id: '32864958', name: 'Ji-woo Park' }, { id: '32881907', name: 'Zoë Müller-Sánchez' }];
/** A4 less the printer's 16 mm margins, in CSS pixels. */
const PRINTABLE_WIDTH_PX = (178 / 25.4) * 96;

interface Layout { overflowing: string[]; split: string[] }

/** A worked solution of the largest shape is a handout, not a ream: its later steps are summarised (worked-detail.ts). */
const LARGEST_SOLUTION_MAX_PAGES = 12;
/** Every asked quantity's entries as the worked solution rounds them, by document name. */
const askedAnswers = new Map<string, string[]>();

async function documentsOf(config: unknown, students: typeof STUDENTS): Promise<Array<[string, PrintDocument]>> {
  const exam = parseExamConfig(config, 'exam.json');
  const templates = await loadTemplates();
  const out: Array<[string, PrintDocument]> = [];
  const keys = students.map((s) => buildStudentKey(exam, drawStudent(DEMO_SECRET, exam, s)));
  for (const key of keys) {
    for (const [kind, doc] of renderStudentDocuments(templates, exam, key.draw, key, DOCUMENT_KINDS)) out.push([`${exam.examId} ${key.draw.student.id} ${kind}`, doc]);
    const { forward, grad } = key.draw.solution;
    askedAnswers.set(`${exam.examId} ${key.draw.student.id} worked-solution`, PART_IDS.flatMap((id) => partQuantities(id, forward, grad, exam.rnn.gradientStep))
      .flatMap(flattenQuantity).map((e) => formatComputed(e.value, exam.rnn.significantFigures)));
  }
  out.push([`${exam.examId} cohort key`, renderCohortKey(templates, exam, keys)]);
  return out;
}

describe('documents fit the page, formulas stay whole, no float noise is printed', () => {
  let printer: PdfPrinter;
  const documents: Array<[string, PrintDocument]> = [];
  beforeAll(async () => {
    printer = await PdfPrinter.start({ concurrency: 1 });
    documents.push(...await documentsOf(example, STUDENTS), ...await documentsOf(largest, STUDENTS.slice(0, 1)));
  }, 120_000);
  afterAll(async () => printer?.close());

  it('lays out within the printable width, every formula, matrix and group on one line (print media, A4 less margins)', async () => {
    const page = await printer.browser.newPage();
    const problems: string[] = [];
    try {
      await page.setViewport({ width: Math.floor(PRINTABLE_WIDTH_PX), height: 1000 });
      await page.emulateMediaType('print');
      for (const [name, doc] of documents) {
        await page.setContent(doc.html);
        const layout: Layout = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const describe = (el: Element) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 40)}"`;
          return {
            overflowing: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5).map(describe).slice(0, 5),
            split: [...document.querySelectorAll('.katex, .mx, .grp')].filter((el) => el.getClientRects().length > 1).map(describe).slice(0, 5),
          };
        });
        if (layout.overflowing.length > 0) problems.push(`${name}: past the right margin: ${layout.overflowing.join('; ')}`);
        if (layout.split.length > 0) problems.push(`${name}: split across lines: ${layout.split.join('; ')}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the HTML version works on a phone: margins, no page-wide sideways scroll, formulas scroll inside their line rather than break', async () => {
    const page = await printer.browser.newPage();
    try {
      await page.setViewport({ width: 390, height: 844, isMobile: true });
      for (const [name, doc] of documents.filter(([n]) => n.endsWith('question-paper'))) {
        await page.setContent(doc.html);
        const phone = await page.evaluate(() => ({
          pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          bodyLeft: document.body.getBoundingClientRect().left + parseFloat(getComputedStyle(document.body).paddingLeft),
          split: [...document.querySelectorAll('.katex, .mx, .grp')].filter((el) => el.getClientRects().length > 1).length,
        }));
        expect(phone.pageScroll, name).toBe(0);
        expect(phone.bodyLeft, name).toBeGreaterThanOrEqual(8);
        expect(phone.split, name).toBe(0);
      }
    } finally {
      await page.close();
    }
  }, 60_000);

  it('prints at full size (nothing shrunk to fit), with no rounding noise in the text; the example key in 2 pages; the largest solution short and complete', async () => {
    const problems: string[] = [];
    for (const [name, doc] of documents) {
      const pages: PdfPageInfo[] = await readPdf(printer.browser, await printer.print(doc));
      const text = pages.map((p) => p.items.map((i) => i.str).join('')).join('\n');
      const noise = /\d\.0{8,}\d|\de-\d/.exec(text);
      if (noise) problems.push(`${name}: rounding noise ${noise[0]}`);
      const title = pages[0].items.find((i) => i.str.includes('Final Examination'));
      if (!title || Math.abs(title.height - 16) > 0.3) problems.push(`${name}: the title is ${title?.height} pt, not 16 (a page too wide is shrunk to fit)`);
      if (name.startsWith(example.examId) && name.endsWith(' marking-key') && pages.length > 2) problems.push(`${name}: ${pages.length} pages`);
      if (name.startsWith(largest.examId) && name.endsWith(' worked-solution') && pages.length > LARGEST_SOLUTION_MAX_PAGES) problems.push(`${name}: ${pages.length} pages`);
      // every asked quantity is still there, however much of the working is summarised
      const numbers = new Set(pages.flatMap((p) => p.items.map((i) => i.str)).join(' ').replace(/\u2212/g, '-').match(/-?\d+(\.\d+)?/g));
      const missing = (askedAnswers.get(name) ?? []).filter((value) => !numbers.has(value));
      if (missing.length > 0) problems.push(`${name}: answers missing from the text: ${missing.slice(0, 5).join(', ')}`);
    }
    expect(problems).toEqual([]);
  }, 240_000);
});
