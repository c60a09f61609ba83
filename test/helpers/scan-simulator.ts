import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../../src/print/launch-browser.ts';

const require = createRequire(import.meta.url);

/** How a sheet lay on the scanner: its image turned clockwise by this (90 and 270: fed sideways, a landscape image). */
export type Turn = 0 | 90 | 180 | 270;

export interface ScanSheet {
  /** the printed page on this sheet (index into the source PDFs, 1-based page); none: a blank sheet */
  source?: { pdf: number; page: number };
  turn: Turn;
  /** the sheet's skew on the glass, degrees (clockwise) */
  skewDeg: number;
  /** the scan's scale against the printed page (a scanner's or a copier's small error) */
  scale: number;
  /** where the sheet's centre lies off the image's centre, mm (right, down) */
  offsetMm: [number, number];
  /** the printed page's bottom-left corner, where rnn-exam prints its code, torn off (30 mm) */
  tornCorner?: boolean;
}

export interface ScannerSettings {
  dpi: number;
  /** JPEG quality, 0–1 */
  quality: number;
  /** standard deviation of the sensor noise, grey levels */
  noise: number;
  /** Gaussian blur radius, pixels at `dpi` */
  blurPx: number;
  /** the lid scanned around the sheet, mm per side */
  borderMm: number;
  seed: number;
}

/**
 * What a sheet-fed scanner writes, made in the project's Chromium with pdf.js and canvas (no
 * poppler or ImageMagick): each sheet drawn at the scanner's dpi, turned, skewed, scaled and
 * shifted on slightly grey paper, blurred, turned grey with toner that is not quite black and
 * seeded sensor noise, and saved as a JPEG; the JPEGs make an image-only PDF, one page per sheet
 * at the image's size. Chromium's JPEG encoder writes colour JPEGs; their pixels are grey.
 */
export class ScanSimulator {
  private constructor(private readonly browser: Browser, private readonly page: Page) {}

  static async start(): Promise<ScanSimulator> {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const [pdfjs, worker] = await Promise.all([
        readFile(require.resolve('pdfjs-dist/build/pdf.min.mjs'), 'utf8'),
        readFile(require.resolve('pdfjs-dist/build/pdf.worker.min.mjs'), 'utf8'),
      ]);
      await page.setContent('<!DOCTYPE html><html><body></body></html>');
      await page.addScriptTag({ content: IN_PAGE });
      await page.evaluate(`__scanner.start(${JSON.stringify(pdfjs)}, ${JSON.stringify(worker)})`);
      return new ScanSimulator(browser, page);
    } catch (error) {
      await browser.close().catch(() => {});
      throw error;
    }
  }

  /** One image-only PDF of `sheets`, in order. */
  async scan(sources: Uint8Array[], sheets: ScanSheet[], settings: ScannerSettings): Promise<Uint8Array> {
    await this.page.evaluate(`__scanner.open(${JSON.stringify(sources.map((pdf) => Buffer.from(pdf).toString('base64')))})`);
    const out = await PDFDocument.create({ updateMetadata: false });
    for (const [i, sheet] of sheets.entries()) {
      const jpeg = await this.page.evaluate(`__scanner.scan(${JSON.stringify(sheet)}, ${JSON.stringify({ ...settings, seed: settings.seed * 1000 + i })})`) as string;
      const image = await out.embedJpg(Buffer.from(jpeg.slice(jpeg.indexOf(',') + 1), 'base64'));
      const size = { width: image.width * 72 / settings.dpi, height: image.height * 72 / settings.dpi };
      out.addPage([size.width, size.height]).drawImage(image, { x: 0, y: 0, ...size });
    }
    return out.save();
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
  }
}

/** A string, not a function given to page.evaluate: tsx would wrap a function with helpers the browser lacks. */
const IN_PAGE = `
window.__scanner = {
  async start(pdfjs, worker) {
    const url = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    window.pdfjsWorker = await import(url(worker));
    this.pdfjs = await import(url(pdfjs));
  },
  async open(sources) {
    for (const doc of this.docs ?? []) await doc.destroy();
    this.docs = [];
    for (const base64 of sources) {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      this.docs.push(await this.pdfjs.getDocument({ data, isEvalSupported: false }).promise);
    }
  },
  // The printed sheet at the scanner's resolution; a blank sheet is A4.
  async sheet(source, pxPerPt) {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d');
    let page, viewport;
    if (source) {
      page = await this.docs[source.pdf].getPage(source.page);
      viewport = page.getViewport({ scale: pxPerPt });
    }
    canvas.width = Math.round(viewport ? viewport.width : 595.28 * pxPerPt);
    canvas.height = Math.round(viewport ? viewport.height : 841.89 * pxPerPt);
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (page) await page.render({ canvasContext: context, canvas, viewport }).promise;
    if (source?.tornCorner) {
      const side = 30 / 25.4 * 72 * pxPerPt;
      context.fillStyle = '#f4f4f4'; // the lid shows where the paper is gone
      context.fillRect(0, canvas.height - side, side, side);
    }
    return canvas;
  },
  async scan(sheet, s) {
    const pxPerPt = s.dpi / 72, pxPerMm = s.dpi / 25.4;
    const paper = await this.sheet(sheet.source && { ...sheet.source, tornCorner: sheet.tornCorner }, pxPerPt);
    const sideways = sheet.turn % 180 === 90;
    const canvas = document.createElement('canvas');
    // The scanned area: the sheet and a border of the lid around it, as a scanner set to the paper size scans a little more.
    const border = 2 * s.borderMm * pxPerMm;
    canvas.width = Math.round((sideways ? paper.height : paper.width) + border);
    canvas.height = Math.round((sideways ? paper.width : paper.height) + border);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.fillStyle = '#f4f4f4'; // the scanner's lid, a little darker than the paper
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.translate(canvas.width / 2 + sheet.offsetMm[0] * pxPerMm, canvas.height / 2 + sheet.offsetMm[1] * pxPerMm);
    context.rotate((sheet.turn + sheet.skewDeg) * Math.PI / 180);
    context.scale(sheet.scale, sheet.scale);
    context.filter = 'blur(' + s.blurPx + 'px)';
    context.drawImage(paper, -paper.width / 2, -paper.height / 2);
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.filter = 'none';
    // Grey, toner at ~30 and paper at ~240 rather than 0 and 255, and seeded Gaussian noise.
    let state = s.seed >>> 0;
    const uniform = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) {
      const grey = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
      const v = Math.max(0, Math.min(255, Math.round(30 + grey * (210 / 255) + s.noise * gauss())));
      px[i] = px[i + 1] = px[i + 2] = v;
    }
    context.putImageData(image, 0, 0);
    return canvas.toDataURL('image/jpeg', s.quality);
  },
};`;

/** Where each scan page came from: a student's document page (its code torn off or not), or a blank sheet. */
export type SheetTruth = { id: string; page: number; torn: boolean } | 'blank';

/** A seeded random number generator (mulberry32), the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pile as it comes back from an exam room: the students' pages shuffled together, one page
 * lost, one scanned twice, one with its code's corner torn off, blank separator sheets among them; sheets turned (a cycle of upright,
 * upside down and sideways, so every turn occurs), skewed 1–3° either way, scaled by 97–101 % (a
 * scan shrunk to fit, or a scanner's small error) and shifted by up to ±3 mm, all drawn from `seed`.
 */
export function messyPile(documents: Array<{ id: string; pages: number }>, o: { seed: number; lose?: { id: string; page: number }; twice?: { id: string; page: number }; torn?: { id: string; page: number }; blanks: number }): { sheets: ScanSheet[]; truth: SheetTruth[] } {
  const random = seededRandom(o.seed);
  const pile: Array<{ pdf: number; id: string; page: number; torn: boolean } | 'blank'> = [];
  const is = (which: { id: string; page: number } | undefined, id: string, page: number) => which?.id === id && which.page === page;
  documents.forEach(({ id, pages }, pdf) => {
    for (let page = 1; page <= pages; page++) {
      if (is(o.lose, id, page)) continue;
      pile.push({ pdf, id, page, torn: is(o.torn, id, page) });
      if (is(o.twice, id, page)) pile.push({ pdf, id, page, torn: false });
    }
  });
  for (let i = 0; i < o.blanks; i++) pile.push('blank');
  for (let i = pile.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pile[i], pile[j]] = [pile[j], pile[i]];
  }
  const turns: Turn[] = [0, 180, 0, 90, 180, 0, 270];
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const sheets = pile.map((item, i): ScanSheet => ({
    source: item === 'blank' ? undefined : { pdf: item.pdf, page: item.page },
    turn: turns[i % turns.length],
    skewDeg: between(1, 3) * (random() < 0.5 ? -1 : 1),
    scale: between(0.97, 1.01),
    offsetMm: [between(-3, 3), between(-3, 3)],
    tornCorner: item !== 'blank' && item.torn,
  }));
  return { sheets, truth: pile.map((item) => (item === 'blank' ? 'blank' : { id: item.id, page: item.page, torn: item.torn })) };
}
