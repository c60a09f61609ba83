import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';

const require = createRequire(import.meta.url);
const pdfjsPath = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
const workerPath = require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');

/**
 * pdf.js inside a Chromium page (no poppler): renders PDF pages to PNG and reads their text
 * and structure trees. One page per call; the page is closed afterwards.
 */
export async function withPdfJs<T>(browser: Browser, work: (page: Page) => Promise<T>): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><html><body></body></html>');
    const lib = readFileSync(pdfjsPath, 'utf8');
    const worker = readFileSync(workerPath, 'utf8');
    await page.evaluate(`(async () => {
      const lib = ${JSON.stringify(lib)};
      const worker = ${JSON.stringify(worker)};
      const libUrl = URL.createObjectURL(new Blob([lib], { type: 'text/javascript' }));
      window.pdfjsLib = await import(libUrl);
      window.pdfjsLib.GlobalWorkerOptions.workerSrc = URL.createObjectURL(new Blob([worker], { type: 'text/javascript' }));
    })()`);
    return await work(page);
  } finally {
    await page.close();
  }
}

export interface PdfTextItem { str: string; x: number; y: number; width: number; height: number }
export interface PdfPageInfo { width: number; height: number; items: PdfTextItem[]; structTree: unknown }

/** Every page's size (pt), text items (pdf.js coordinates, y up) and structure tree (null when untagged). */
export async function readPdf(browser: Browser, bytes: Uint8Array): Promise<PdfPageInfo[]> {
  return withPdfJs(browser, (page) => page.evaluate(async (b64: string) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const lib = (window as any).pdfjsLib;
    const doc = await lib.getDocument({ data, useSystemFonts: false }).promise;
    const pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const p = await doc.getPage(i);
      const view = p.getViewport({ scale: 1 });
      const content = await p.getTextContent();
      const items = content.items.filter((it: any) => 'str' in it).map((it: any) => ({
        str: it.str, x: it.transform[4], y: it.transform[5], width: it.width, height: it.height,
      }));
      pages.push({ width: view.width, height: view.height, items, structTree: await p.getStructTree() });
    }
    return pages;
  }, Buffer.from(bytes).toString('base64')));
}

/** Every page as a PNG (base64), at `scale` × 72 dpi. */
export async function renderPdfPages(browser: Browser, bytes: Uint8Array, scale = 1.5): Promise<Buffer[]> {
  const pngs: string[] = await withPdfJs(browser, (page) => page.evaluate(async (b64: string, s: number) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const lib = (window as any).pdfjsLib;
    const doc = await lib.getDocument({ data }).promise;
    const out: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const p = await doc.getPage(i);
      const view = p.getViewport({ scale: s });
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(view.width);
      canvas.height = Math.ceil(view.height);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      await p.render({ canvasContext: ctx, viewport: view }).promise;
      out.push(canvas.toDataURL('image/png').split(',')[1]);
    }
    return out;
  }, Buffer.from(bytes).toString('base64'), scale));
  return pngs.map((b) => Buffer.from(b, 'base64'));
}
