import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../../src/print/launch-browser.ts';

/**
 * Renders PDF pages to grey pixels with pdf.js inside the project's own Chromium, so tests can
 * compare what a page looks like without poppler. pdf.js is served to the page from
 * node_modules through request interception (the print browser resolves no host at all).
 */
const ORIGIN = 'http://pdfjs.invalid';
const BUILD = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'build');

export class PdfRenderer {
  private constructor(private readonly browser: Browser, private readonly page: Page) {}

  static async start(): Promise<PdfRenderer> {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.origin !== ORIGIN) return void request.abort();
        if (url.pathname === '/') return void request.respond({ status: 200, contentType: 'text/html', body: PAGE });
        const file = url.pathname.slice(1);
        if (!/^pdf(\.worker)?\.min\.mjs$/.test(file)) return void request.respond({ status: 404, body: '' });
        request.respond({ status: 200, contentType: 'text/javascript', body: readFileSync(join(BUILD, file)) });
      });
      await page.goto(`${ORIGIN}/`);
      await page.waitForFunction('window.renderPdf !== undefined');
      return new PdfRenderer(browser, page);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** One buffer of 8-bit grey pixels (row by row) per page, at `dpi`. */
  async pages(pdf: Uint8Array, dpi = 100): Promise<Buffer[]> {
    const base64 = Buffer.from(pdf).toString('base64');
    const pages = await this.page.evaluate((data, scale) =>
      (window as unknown as { renderPdf(d: string, s: number): Promise<string[]> }).renderPdf(data, scale), base64, dpi / 72);
    return pages.map((p) => Buffer.from(p, 'base64'));
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script type="module">
import * as pdfjs from '${ORIGIN}/pdf.min.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '${ORIGIN}/pdf.worker.min.mjs';
window.renderPdf = async (base64, scale) => {
  const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const doc = await pdfjs.getDocument({ data, useSystemFonts: false, isEvalSupported: false }).promise;
  const out = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width); canvas.height = Math.ceil(viewport.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.fillStyle = '#fff'; context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, viewport }).promise;
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const grey = new Uint8Array(canvas.width * canvas.height);
    for (let i = 0; i < grey.length; i++) grey[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    let binary = '';
    for (let i = 0; i < grey.length; i += 0x8000) binary += String.fromCharCode(...grey.subarray(i, i + 0x8000));
    out.push(btoa(binary));
  }
  await doc.destroy();
  return out;
};
</script></head><body></body></html>`;
