import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import { katexStylesheet } from '../../src/render/katex-css.ts';
import type { PrintDocument } from '../../src/print/pdf-printer.ts';
import { pdfGlyphs, type PdfFont } from '../helpers/pdf-read.ts';

/** The CSP the render side puts in every document. */
export const CSP_META =
  `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline' data:; font-src data:; img-src data:">`;

export function htmlDocument(body: string, options: { math?: boolean; head?: string } = {}): string {
  const style = options.math ? `<style>${katexStylesheet()}</style>` : '';
  return `<!doctype html><html><head><meta charset="utf-8">${CSP_META}${style}` +
    `<style>body{font-family:"DejaVu Sans",sans-serif;font-size:11pt}</style>${options.head ?? ''}</head>` +
    `<body>${body}</body></html>`;
}

export function printDocument(body: string, options: { math?: boolean; head?: string; label?: string } = {}): PrintDocument {
  return {
    html: htmlDocument(body, options),
    headerHtml: '<div style="font-size:9pt;font-family:sans-serif;width:100%;text-align:center">Header Ada Lovelace</div>',
    footerHtml: '<div style="font-size:9pt;font-family:sans-serif;width:100%;text-align:center">' +
      'page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
    label: options.label,
  };
}

export const math = (tex: string) => katex.renderToString(tex, { throwOnError: true });

const scratch = mkdtempSync(join(tmpdir(), 'rnn-exam-print-test-'));
let counter = 0;

export function writePdf(bytes: Uint8Array): string {
  const path = join(scratch, `doc-${++counter}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

export { readPdfText as pdfText } from '../helpers/pdf-read.ts';

/** The fonts a PDF shows text in (name, embedded, type). */
export async function pdfFonts(bytes: Uint8Array): Promise<PdfFont[]> {
  return (await pdfGlyphs(bytes)).fonts;
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
