import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { makePdfDeterministic } from '../../src/print/deterministic-pdf.ts';
import { loadDocument, splitDocument } from '../../src/print/document-swap.ts';
import { launchBrowser } from '../../src/print/launch-browser.ts';
import type { PrintDocument } from '../../src/print/pdf-printer.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { DOCUMENT_KINDS, renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { buildStudentKey } from '../../src/solution/build-marking-key.ts';

const HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Paper — A &amp; B</title>\n<style>p{color:red}</style>\n</head>\n';

describe('splitDocument', () => {
  it('splits a document into a shell shared by equal heads and the body to swap in', () => {
    const a = splitDocument(`${HEAD}<body class="question-paper">\n<p>One</p>\n</body>\n</html>\n`)!;
    const b = splitDocument(`${HEAD.replace('A &amp; B', 'C')}<body class="marking-key"><p>Two</p></body></html>`)!;
    expect(a.shell).toBe(`${HEAD}<body></body></html>`);
    expect(a.shellKey).toBe(b.shellKey);
    expect(a.title).toBe('Paper — A &amp; B');
    expect(a.bodyAttributes).toEqual([['class', 'question-paper']]);
    expect(a.body).toBe('\n<p>One</p>\n');
    expect(b.title).toBe('Paper — C');
  });

  it('refuses what a body fragment would parse differently, so it is loaded whole', () => {
    for (const body of [
      '<body class=x><p>unquoted attribute</p></body></html>',
      '<body data-x="&amp;"><p>entity in an attribute</p></body></html>',
      '<body><html lang="de"><p>html tag in the body</p></body></html>',
      '<body><p>a second</p><body class="y"></body></html>',
      '<body><p>after the end</p></body></html><p>stray</p>',
    ]) expect(splitDocument(`${HEAD}${body}`), body).toBeUndefined();
    expect(splitDocument(`${HEAD.replace('</head>', '<title>two</title></head>')}<body></body></html>`)).toBeUndefined();
  });
});

describe('loadDocument', () => {
  let browser: Browser;
  const docs: PrintDocument[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    const exam = examConfigSchema.parse({ examId: 'SWAP', title: 'Swap test', instructions: ['Use $h_t$ and $\\bar{h}_t$.'] });
    const templates = await loadTemplates();
    for (const id of ['S-1', 'S-2']) {
      const draw = drawStudent('swap-secret-000000000000001', exam, { id, name: `Student ${id} & Co` });
      docs.push(...renderStudentDocuments(templates, exam, draw, buildStudentKey(exam, draw), DOCUMENT_KINDS).values());
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  const print = async (page: Awaited<ReturnType<Browser['newPage']>>, doc: PrintDocument) => makePdfDeterministic(await page.pdf({
    format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: doc.headerHtml, footerTemplate: doc.footerHtml,
    margin: { top: '22mm', bottom: '20mm', left: '16mm', right: '16mm' },
  }));

  it('a document swapped into a reused page prints the same bytes as the whole document on a fresh page', async () => {
    const reused = await browser.newPage({ background: true });
    await reused.setJavaScriptEnabled(false);
    for (const doc of [...docs, ...[...docs].reverse()]) {
      await loadDocument(reused, doc.html, 30_000);
      const swapped = await print(reused, doc);
      const fresh = await browser.newPage();
      await fresh.setJavaScriptEnabled(false);
      await fresh.setContent(doc.html, { waitUntil: 'load' });
      await fresh.evaluate('document.fonts.ready.then(() => true)');
      expect(swapped.equals(await print(fresh, doc)), doc.label).toBe(true);
      await fresh.close();
    }
  });
});
