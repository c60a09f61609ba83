import { readFileSync } from 'node:fs';
import { getDocument, OPS, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Reads PDFs back in tests with pdf.js (pure JavaScript): text, fonts, page count and glyphs
 * that are a font's .notdef (tofu). Nothing from poppler or the system is needed.
 */

export type PdfSource = Uint8Array | string;

async function open(source: PdfSource): Promise<PDFDocumentProxy> {
  // pdf.js takes ownership of (detaches) the buffer it is given: always pass a copy.
  const data = typeof source === 'string' ? new Uint8Array(readFileSync(source)) : new Uint8Array(source);
  return getDocument({ data, useSystemFonts: false, disableFontFace: true, isEvalSupported: false, verbosity: 0 }).promise;
}

interface Positioned { str: string; x: number; y: number; width: number; height: number }

/**
 * The text of every page, pages separated by form feeds as pdftotext prints them. Items are put
 * into lines by their baseline (top to bottom, left to right); a visible gap between two items
 * on one line becomes a space.
 */
export async function readPdfText(source: PdfSource): Promise<string> {
  const doc = await open(source);
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items: Positioned[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str === '') continue;
        items.push({ str: item.str, x: item.transform[4], y: item.transform[5], width: item.width, height: Math.abs(item.height) || Math.abs(item.transform[3]) });
      }
      pages.push(layoutLines(items).join('\n') + '\n');
    }
    return pages.join('\f') + '\f';
  } finally {
    await doc.destroy();
  }
}

function layoutLines(items: Positioned[]): string[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Positioned[][] = [];
  for (const item of sorted) {
    // Same line when the baselines are within a third of the text height (sub/superscripts join it).
    const line = lines.find((l) => Math.abs(l[0].y - item.y) <= Math.max(1, 0.35 * Math.min(l[0].height || item.height, item.height || l[0].height)));
    if (line) line.push(item); else lines.push([item]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const item of line) {
      const gap = item.x - end;
      if (text && gap > Math.max(0.8, 0.15 * item.height) && !text.endsWith(' ') && !item.str.startsWith(' ')) text += ' ';
      text += item.str;
      end = Math.max(end, item.x + item.width);
    }
    return text;
  });
}

export interface PdfFont {
  /** the PostScript name, subset prefix removed, e.g. "KaTeX_Main-Regular" */
  name: string;
  /** the font's file is in the PDF (not left to the reader's system) */
  embedded: boolean;
  /** e.g. "CIDFontType2", "Type3" */
  type: string;
}

export interface PdfGlyphReport {
  pages: number;
  /** every font used to show text, on any page */
  fonts: PdfFont[];
  /** glyphs drawn as their font's .notdef (glyph 0): empty boxes on paper */
  notdef: Array<{ page: number; font: string }>;
}

/** Page count, the fonts text is shown in, and every .notdef glyph drawn. */
export async function pdfGlyphs(source: PdfSource): Promise<PdfGlyphReport> {
  const doc = await open(source);
  try {
    const fonts = new Map<string, PdfFont>();
    const notdef: PdfGlyphReport['notdef'] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const ops = await page.getOperatorList();
      let current: PdfFont | undefined;
      let cid = false;
      for (let i = 0; i < ops.fnArray.length; i++) {
        const fn = ops.fnArray[i];
        const args = ops.argsArray[i] as unknown[];
        if (fn === OPS.setFont) {
          const loaded = page.commonObjs.get(args[0] as string) as { name?: string; missingFile?: boolean; type?: string; subtype?: string; isType3Font?: boolean; cMap?: unknown; vertical?: boolean };
          const name = (loaded.name ?? String(args[0])).replace(/^[A-Z]{6}\+/, '');
          const type = loaded.isType3Font ? 'Type3' : (loaded.subtype ?? loaded.type ?? 'unknown');
          current = { name, embedded: !loaded.missingFile, type };
          cid = /CID/.test(type) || loaded.type === 'Type0';
          fonts.set(`${name}|${type}`, current);
        } else if (fn === OPS.showText && current) {
          for (const glyph of args[0] as Array<{ originalCharCode?: number; unicode?: string } | number>) {
            if (typeof glyph === 'number' || !glyph) continue; // a kerning adjustment
            if (cid && glyph.originalCharCode === 0) notdef.push({ page: n, font: current.name });
          }
        }
      }
    }
    return { pages: doc.numPages, fonts: [...fonts.values()], notdef };
  } finally {
    await doc.destroy();
  }
}
