import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';
import { RnnExamError } from '../errors.ts';
import { launchBrowser } from '../print/launch-browser.ts';

const require = createRequire(import.meta.url);

/** pdf.js (to draw a PDF's pages as pixels) and jsQR (to find a QR code in them), run inside Chromium. */
async function readerScripts(): Promise<{ pdfjs: string; worker: string; jsqr: string }> {
  const [pdfjs, worker, jsqr] = await Promise.all([
    readFile(require.resolve('pdfjs-dist/build/pdf.min.mjs'), 'utf8'),
    readFile(require.resolve('pdfjs-dist/build/pdf.worker.min.mjs'), 'utf8'),
    readFile(require.resolve('jsqr/dist/jsQR.js'), 'utf8'),
  ]);
  return { pdfjs, worker, jsqr };
}

export interface PageScan {
  /** 1-based page of the scanned PDF */
  page: number;
  /** the QR code's text, or undefined when none could be read */
  text?: string;
}

/**
 * The reader's functions inside the page. A string, not a function passed to page.evaluate: tsx
 * would wrap such a function with helpers (`__name`) that do not exist in the browser.
 */
const IN_PAGE = `
window.__reader = {
  async start(pdfjs, worker, jsqr) {
    const url = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    // The worker module on the main thread ("fake worker"): no Worker, no other origin.
    window.pdfjsWorker = await import(url(worker));
    this.pdfjs = await import(url(pdfjs));
    new Function(jsqr).call(window);
  },
  async open(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    await this.doc?.destroy();
    this.doc = await this.pdfjs.getDocument({ data: bytes, isEvalSupported: false }).promise;
    return this.doc.numPages;
  },
  // Draws page n at scale, or only the region [x, y, w, h] of it (PDF points from the top left).
  async draw(n, scale, region) {
    const page = await this.doc.getPage(n);
    const viewport = page.getViewport({ scale });
    const [x, y, w, h] = region ?? [0, 0, viewport.width / scale, viewport.height / scale];
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(w * scale);
    canvas.height = Math.ceil(h * scale);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, canvas, viewport, transform: [1, 0, 0, 1, -x * scale, -y * scale] }).promise;
    page.cleanup();
    return { canvas, context };
  },
  async decode(n, scale, region) {
    const { canvas, context } = await this.draw(n, scale, region);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
    return found ? found.data : null;
  },
  // The corners first (rnn-exam prints its code bottom left; a page scanned upside down has it
  // top right), each a small image; the whole page only when no corner holds a code.
  async readCode(n, scale, cornerPt) {
    const page = await this.doc.getPage(n);
    const { width, height } = page.getViewport({ scale: 1 });
    const c = Math.min(cornerPt, width, height);
    const corners = [[0, height - c], [width - c, 0], [width - c, height - c], [0, 0]];
    for (const [x, y] of corners) {
      const text = await this.decode(n, scale, [x, y, c, c]);
      if (text) return text;
    }
    return this.decode(n, Math.min(scale, 2.5));
  },
  async png(n, scale) {
    const { canvas } = await this.draw(n, scale);
    return canvas.toDataURL('image/png');
  },
};`;

/** Pixels per PDF point when looking for codes: 3 is 216 dpi, ~2.8 px per 0.36 mm module. */
const DECODE_SCALE = 3;
/** The side of each corner searched first, in points (35 mm). */
const CORNER_PT = 35 * 72 / 25.4;

/**
 * Reads PDFs (scans or rnn-exam's own) page by page as pixels, the way a scanner's output
 * is read: pdf.js draws each page on a canvas in a headless Chromium page and jsQR looks for
 * a QR code in the pixels. One browser for many PDFs; the page has no network (every host is
 * unresolvable, see launch-browser.ts) and pdf.js runs with eval off.
 */
export class PdfPageReader {
  #browser: Browser;
  #page: Page;

  private constructor(browser: Browser, page: Page) {
    this.#browser = browser;
    this.#page = page;
  }

  static async start(executablePath?: string): Promise<PdfPageReader> {
    const browser = await launchBrowser({ executablePath });
    try {
      const page = await browser.newPage();
      const { pdfjs, worker, jsqr } = await readerScripts();
      await page.setContent('<!DOCTYPE html><html><body></body></html>');
      await page.addScriptTag({ content: IN_PAGE });
      await page.evaluate(`__reader.start(${JSON.stringify(pdfjs)}, ${JSON.stringify(worker)}, ${JSON.stringify(jsqr)})`);
      return new PdfPageReader(browser, page);
    } catch (error) {
      await browser.close().catch(() => {});
      if (error instanceof RnnExamError) throw error;
      throw new RnnExamError({ where: 'reading PDFs', what: `could not start the PDF reader in the browser: ${(error as Error).message.split('\n')[0]}`, fix: 'point RNN_EXAM_BROWSER at a recent Chrome/Chromium' }, { cause: error });
    }
  }

  /** Opens a PDF in the reader (replacing the previous one); returns its number of pages. */
  async open(pdf: Uint8Array, where = 'PDF'): Promise<number> {
    try {
      return await this.#page.evaluate(`__reader.open(${JSON.stringify(Buffer.from(pdf).toString('base64'))})`) as number;
    } catch (error) {
      throw new RnnExamError({ where, what: `cannot be read as a PDF: ${(error as Error).message.split('\n')[0]}`, fix: 'give the PDF file the scanner wrote (not an image or a damaged file)' }, { cause: error });
    }
  }

  /** The QR code on page `page` (1-based) of the open PDF. */
  async readCode(page: number, scale = DECODE_SCALE): Promise<string | undefined> {
    const text = await this.#page.evaluate(`__reader.readCode(${Number(page)}, ${Number(scale)}, ${CORNER_PT})`) as string | null;
    return text ?? undefined;
  }

  /** Every page's code, in page order. */
  async readCodes(pdf: Uint8Array, where?: string): Promise<PageScan[]> {
    const pages = await this.open(pdf, where);
    const scans: PageScan[] = [];
    for (let page = 1; page <= pages; page++) scans.push({ page, text: await this.readCode(page) });
    return scans;
  }

  /** Page `page` of the open PDF as a PNG (for looking at pages, and for making test scans). */
  async renderPng(page: number, scale = 2): Promise<Buffer> {
    const dataUrl = await this.#page.evaluate(`__reader.png(${Number(page)}, ${Number(scale)})`) as string;
    return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  }

  async close(): Promise<void> {
    await this.#browser.close().catch(() => {});
  }
}
