import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RnnExamError } from '../../src/errors.ts';
import { PdfPrinter, type PrintDocument } from '../../src/print/pdf-printer.ts';
import { math, pdfFonts, pdfText, printDocument, sameBytes } from './print-helpers.ts';

const docs = Array.from({ length: 6 }, (_, i) => printDocument(`<h1>Student ${i + 1}</h1><p>Question ${i + 1}.</p>`));

describe('PdfPrinter', () => {
  let pool: PdfPrinter;
  let single: PdfPrinter;
  const pagesUsed = new Set<Page>();
  const singlePages = new Set<Page>();
  beforeAll(async () => {
    [pool, single] = await Promise.all([
      PdfPrinter.start({ concurrency: 2, beforeAttempt: (page) => void pagesUsed.add(page) }),
      // Replaces its page every 2 documents, so fresh and reused pages get compared.
      PdfPrinter.start({ concurrency: 1, pageReuseLimit: 2, beforeAttempt: (page) => void singlePages.add(page) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([pool?.close(), single?.close()]);
  });

  it('prints the text, header and footer', async () => {
    const pdf = await pool.print(printDocument('<p>Hello from the exam body</p>'));
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Hello from the exam body');
    expect(text).toContain('Header Ada Lovelace');
    expect(text).toContain('page 1 of 1');
  });

  it('prints a structure tree for screen readers only when the document asks to be tagged', async () => {
    const body = `<h1>Heading</h1><p>Paragraph ${math('h_1')}</p>`;
    const [plain, tagged] = await Promise.all([pool.print(printDocument(body, { math: true })), pool.print({ ...printDocument(body, { math: true }), tagged: true })]);
    const latin = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1');
    expect(latin(tagged)).toMatch(/\/StructTreeRoot/);
    expect(latin(tagged)).toMatch(/\/MarkInfo/);
    expect(latin(plain)).not.toMatch(/\/StructTreeRoot/);
    expect(await pdfText(plain)).toContain('Paragraph');
  });

  it('gives byte-identical PDFs for the same HTML in two sessions', async () => {
    const doc = printDocument(`<p>Same twice ${math('x^2')}</p>`, { math: true });
    const [a, b] = await Promise.all([pool.print(doc), single.print(doc)]);
    expect(sameBytes(a, b)).toBe(true);
  });

  it('embeds the KaTeX fonts', async () => {
    const pdf = await pool.print(printDocument(`<p>Fraction ${math('\\frac{a}{b}')}</p>`, { math: true }));
    const fonts = await pdfFonts(pdf);
    expect(fonts.map((f) => f.name).join('\n')).toMatch(/KaTeX_Main/);
    expect(fonts.filter((f) => f.name.includes('KaTeX_')).every((f) => f.embedded)).toBe(true);
  });

  describe('network isolation', () => {
    let server: Server;
    let connections = 0;
    let origin = '';
    let fresh: PdfPrinter;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('x'));
      server.on('connection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // A page that has never seen the CSP: interception alone must hold there.
      fresh = await PdfPrinter.start({ concurrency: 1 });
    });
    afterAll(async () => {
      await fresh?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('prints a document that references outside resources, and nothing leaves', async () => {
      const body = `<p id="t">Isolated text</p><img src="${origin}/x.png"><img src="http://example.com/x.png">` +
        `<iframe src="${origin}/frame"></iframe><link rel="stylesheet" href="file:///etc/passwd">` +
        `<script>document.getElementById('t').textContent = 'SCRIPT RAN'</script>`;
      const head = `<link rel="preconnect" href="${origin}"><link rel="stylesheet" href="${origin}/s.css">` +
        `<style>@import url("${origin}/i.css");@font-face{font-family:X;src:url(${origin}/f.woff2)} p{font-family:X,sans-serif}</style>`;
      const withCsp = printDocument(body, { head });
      const withoutCsp = { ...withCsp, html: withCsp.html.replace(/<meta http-equiv[^>]*>/, '') };
      for (const [printer, doc] of [[fresh, withoutCsp], [fresh, withCsp], [pool, withCsp]] as const) {
        const text = await pdfText(await printer.print(doc));
        expect(text).toContain('Isolated text');
        expect(text).not.toContain('SCRIPT RAN');
      }
      expect(fresh.blockedRequests).toBeGreaterThan(0); // the CSP-less document tried, and was aborted
      expect(connections).toBe(0); // not even a preconnect reached the server
    });
  });

  it('prints 6 documents through a pool of 2, identical to one-at-a-time printing', async () => {
    const pooled = await Promise.all(docs.map((doc) => pool.print(doc)));
    const singles: Uint8Array[] = [];
    for (const doc of docs) singles.push(await single.print(doc));
    for (const [i, pdf] of pooled.entries()) {
      expect(sameBytes(pdf, singles[i])).toBe(true);
      expect(await pdfText(pdf)).toContain(`Student ${i + 1}`);
    }
    expect(pagesUsed.size).toBe(2);
    expect(singlePages.size).toBeGreaterThanOrEqual(3);
    expect(pool.failedAttempts).toBe(0);
  });
});

describe('PdfPrinter recovery', () => {
  let printer: PdfPrinter;
  let reference: Uint8Array[];
  let killed = false;
  const hook = async (page: Page, attempt: number, doc: PrintDocument) => {
    if (doc.label === 'kill' && !killed) {
      killed = true;
      page.browser().process()?.kill('SIGKILL');
    }
    if (doc.label === 'hang' && attempt === 1) await new Promise(() => {});
  };
  beforeAll(async () => {
    printer = await PdfPrinter.start({ concurrency: 2, pageTimeoutMs: 4_000, beforeAttempt: hook });
    reference = await Promise.all(docs.slice(0, 4).map((doc) => printer.print(doc)));
  });
  afterAll(() => printer?.close());

  it('relaunches a browser that died mid-batch and finishes the batch', async () => {
    const batch = docs.slice(0, 4).map((doc, i) => (i === 1 ? { ...doc, label: 'kill' } : doc));
    const pdfs = await Promise.all(batch.map((doc) => printer.print(doc)));
    pdfs.forEach((pdf, i) => expect(sameBytes(pdf, reference[i])).toBe(true));
    expect(printer.relaunches).toBe(1);
    expect(printer.browser.connected).toBe(true);
  });

  it('replaces a hung page and retries the document', async () => {
    const failedBefore = printer.failedAttempts;
    const pdfs = await Promise.all([printer.print({ ...docs[0], label: 'hang' }), printer.print(docs[1])]);
    expect(sameBytes(pdfs[0], reference[0])).toBe(true);
    expect(sameBytes(pdfs[1], reference[1])).toBe(true);
    expect(printer.failedAttempts).toBe(failedBefore + 1);
  });

  it('gives up after three attempts with an RnnExamError', async () => {
    const stuck = await PdfPrinter.start({ concurrency: 1, pageTimeoutMs: 300, beforeAttempt: () => new Promise(() => {}) });
    try {
      const error = await stuck.print({ ...docs[0], label: 'student 42' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RnnExamError);
      expect((error as Error).message).toMatch(/printing student 42: Chromium failed to print the document 3 times \(the page did not finish within 300 ms\)/);
      expect(stuck.failedAttempts).toBe(3);
    } finally {
      await stuck.close();
      await stuck.close(); // idempotent
    }
    await expect(stuck.print(docs[0])).rejects.toThrow(/closed/);
  });
});
