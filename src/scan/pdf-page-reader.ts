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
  /** no code and no marks at all (a separator sheet, the back of a single-sided page) */
  blank?: boolean;
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
  // Draws a page at scale, or only the region [x, y, w, h] of it (PDF points from the top left).
  async draw(page, scale, region) {
    const viewport = page.getViewport({ scale });
    const [x, y, w, h] = region ?? [0, 0, viewport.width / scale, viewport.height / scale];
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(w * scale);
    canvas.height = Math.ceil(h * scale);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, canvas, viewport, transform: [1, 0, 0, 1, -x * scale, -y * scale] }).promise;
    return canvas;
  },
  // The canvas's pixels at size times its resolution, smoothed. With a threshold, each pixel,
  // lightly smoothed (sensor noise would speckle the paper), is made black where it is darker
  // than the mean of its neighbourhood by more than the threshold, else white.
  pixels(canvas, size, threshold) {
    const width = Math.round(canvas.width * size), height = Math.round(canvas.height * size);
    const copy = document.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const context = copy.getContext('2d', { willReadFrequently: true });
    context.imageSmoothingQuality = 'high';
    context.drawImage(canvas, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    if (!threshold) return image;
    const blurred = (radius) => {
      const out = document.createElement('canvas');
      out.width = width;
      out.height = height;
      const c = out.getContext('2d', { willReadFrequently: true });
      c.filter = 'blur(' + radius + 'px)';
      c.drawImage(copy, 0, 0);
      return c.getImageData(0, 0, width, height).data;
    };
    const mean = blurred(threshold.meanPx), pixel = blurred(threshold.smoothPx);
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) px[i] = px[i + 1] = px[i + 2] = pixel[i] < mean[i] - threshold.below ? 0 : 255;
    return image;
  },
  // Where a code may be in a drawn corner: the square of o.sidePx pixels with the most dark
  // pixels (a QR code is about half dark; text and lines much less), cut out with room around
  // it as a canvas of o.cropPx; none when no square is o.minDark dark. jsQR reads a blurred
  // code far more often alone than amid the page's text and lines.
  codeArea(canvas, o) {
    const { width, height } = canvas;
    const px = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, width, height).data;
    const greys = new Uint8Array(width * height);
    for (let i = 0; i < greys.length; i++) greys[i] = px[4 * i + 1];
    const paper = this.percentile(greys, 0.9);
    const w1 = width + 1, sum = new Uint32Array(w1 * (height + 1));
    for (let y = 0; y < height; y++) {
      let row = 0;
      for (let x = 0; x < width; x++) {
        row += greys[y * width + x] < paper * 0.6 ? 1 : 0;
        sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + row;
      }
    }
    const side = Math.min(o.sidePx, width, height);
    let best = -1, bx = 0, by = 0;
    for (let y = 0; y + side <= height; y += 2) {
      for (let x = 0; x + side <= width; x += 2) {
        const dark = sum[(y + side) * w1 + x + side] - sum[y * w1 + x + side] - sum[(y + side) * w1 + x] + sum[y * w1 + x];
        if (dark > best) { best = dark; bx = x; by = y; }
      }
    }
    if (best < o.minDark * side * side) return null;
    const crop = document.createElement('canvas');
    crop.width = crop.height = o.cropPx;
    const context = crop.getContext('2d', { willReadFrequently: true });
    context.fillStyle = '#fff';
    context.fillRect(0, 0, o.cropPx, o.cropPx);
    context.drawImage(canvas, -(bx + side / 2 - o.cropPx / 2), -(by + side / 2 - o.cropPx / 2));
    return crop;
  },
  // jsQR on the canvas read each way in turn, until one finds a code.
  decode(canvas, attempts) {
    for (const { size, threshold } of attempts) {
      const image = this.pixels(canvas, size, threshold);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (found) return found.data;
    }
    return null;
  },
  // The corners first (rnn-exam prints its code bottom left; a sheet scanned upside down has it
  // top right, one fed sideways top left or bottom right), each a small image; the whole page
  // only when no corner holds a code. The page's images are decoded once for all of them.
  async readCode(n, o) {
    const page = await this.doc.getPage(n);
    try {
      // A blank sheet (the back of every page in a duplex scan) need not be searched.
      if (await this.isBlank(page, o.blank)) return { blank: true };
      const { width, height } = page.getViewport({ scale: 1 });
      const c = Math.min(o.cornerPt, width, height);
      for (const [x, y] of [[0, height - c], [width - c, 0], [width - c, height - c], [0, 0]]) {
        const corner = await this.draw(page, o.cornerScale, [x, y, c, c]);
        let text = this.decode(corner, o.cornerAttempts);
        const area = text ? null : this.codeArea(corner, o.codeArea);
        if (area) text = this.decode(area, o.codeAreaAttempts);
        if (text) return { text };
      }
      const text = this.decode(await this.draw(page, o.pageScale), o.pageAttempts);
      return text ? { text } : {};
    } finally {
      page.cleanup();
    }
  },
  // No marks on the page: at a low resolution (which averages sensor noise away), hardly a pixel
  // darker than the paper, away from the edges where a scanner's lid or shadows show.
  async isBlank(page, o) {
    const canvas = await this.draw(page, o.scale);
    const { data, width, height } = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, canvas.width, canvas.height);
    const greys = [];
    for (let y = Math.round(height * o.edge); y < height * (1 - o.edge); y++) {
      for (let x = Math.round(width * o.edge); x < width * (1 - o.edge); x++) {
        const i = 4 * (y * width + x);
        greys.push(Math.round(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]));
      }
    }
    const paper = this.percentile(greys, 0.5);
    let dark = 0;
    for (const g of greys) if (g < paper - o.darker) dark++;
    return dark <= greys.length * o.inkFraction;
  },
  // The grey level (0-255) below which the fraction q of the values lie.
  percentile(greys, q) {
    const counts = new Uint32Array(256);
    for (const g of greys) counts[g]++;
    let seen = 0;
    for (let g = 0; g < 256; g++) {
      seen += counts[g];
      if (seen > q * greys.length) return g;
    }
    return 255;
  },
  async png(n, scale) {
    const page = await this.doc.getPage(n);
    const canvas = await this.draw(page, scale);
    page.cleanup();
    return canvas.toDataURL('image/png');
  },
};`;

/**
 * How codes are looked for. A page without marks is blank and not searched. Each corner (55 mm:
 * the code, at most ~20 mm from the sheet's edges, plus a scanner's border around the sheet, a
 * few mm of offset and ~8 mm of a 3° skew) is drawn at 3 pixels per PDF point (216 dpi, ~3 px per
 * 0.36 mm module) and read as drawn and at 2/3 size (rnn-exam's own vector pages, clean scans).
 * Failing that, the code's square is cut out of the corner and read as drawn, then at 2, 2.5 and
 * 1.5 times the size made black and white against the local mean (over ~1 module): jsQR's own
 * block thresholds smear the modules of a blurred, noisy, low-contrast scan, and one sampling
 * reads a code another misses (see test/scan/scanned-pile.test.ts). The whole page is read last.
 */
const READ_CODE = {
  cornerPt: 55 * 72 / 25.4,
  cornerScale: 3,
  cornerAttempts: [{ size: 1 }, { size: 2 / 3 }],
  /** a 12 mm square at least 25 % dark, cut out as 30 mm */
  codeArea: { sidePx: Math.round(12 * 3 * 72 / 25.4), cropPx: Math.round(30 * 3 * 72 / 25.4), minDark: 0.25 },
  codeAreaAttempts: [
    { size: 1 },
    { size: 2, threshold: { meanPx: 5, smoothPx: 1, below: 3 } },
    { size: 2.5, threshold: { meanPx: 6, smoothPx: 1, below: 3 } },
    { size: 1.5, threshold: { meanPx: 4, smoothPx: 1, below: 3 } },
  ],
  pageScale: 2.5,
  pageAttempts: [{ size: 1 }, { size: 0.6 }],
  /**
   * A page with no code is blank when, at 72 dpi and 5 % in from its edges, at most 1 pixel in
   * 20,000 (~20 on A4) is 24 grey levels darker than the paper: a pencilled word is more, and
   * scanner noise (σ ~3 levels at 72 dpi) never reaches it. Blank sheets are left out of
   * --split, so this errs towards "unreadable": a speck of dust keeps a page.
   */
  blank: { scale: 1, edge: 0.05, darker: 24, inkFraction: 0.00005 },
};

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

  /** Page `page` (1-based) of the open PDF: its QR code, or whether it is blank. */
  async readPage(page: number): Promise<PageScan> {
    const read = await this.#page.evaluate(`__reader.readCode(${Number(page)}, ${JSON.stringify(READ_CODE)})`) as { text?: string; blank?: boolean };
    return read.text !== undefined ? { page, text: read.text } : { page, blank: read.blank === true };
  }

  /** The QR code on page `page` (1-based) of the open PDF. */
  async readCode(page: number): Promise<string | undefined> {
    return (await this.readPage(page)).text;
  }

  /** Every page's code, in page order. */
  async readCodes(pdf: Uint8Array, where?: string): Promise<PageScan[]> {
    const pages = await this.open(pdf, where);
    const scans: PageScan[] = [];
    for (let page = 1; page <= pages; page++) scans.push(await this.readPage(page));
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
