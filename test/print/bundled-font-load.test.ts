import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfPrinter } from '../../src/print/pdf-printer.ts';
import { withBundledFonts } from '../../src/render/fonts/document-fonts.ts';
import { pdfGlyphs, readPdfText } from '../helpers/pdf-read.ts';
import { CSP_META } from './print-helpers.ts';

/** The printer never prints a page whose bundled fonts did not load: its text would be missing. */
describe('bundled fonts at print time', () => {
  let printer: PdfPrinter;
  beforeAll(async () => { printer = await PdfPrinter.start({ concurrency: 1 }); });
  afterAll(async () => { await printer?.close(); });

  const page = (head: string, body: string) => `<!doctype html><html><head><meta charset="utf-8">${CSP_META}${head}` +
    `<style>html{font-family:"rnn-exam serif","rnn-exam fallback"}</style></head><body>${body}</body></html>`;

  it('prints a document, its header and its footer in the bundled fonts only', async () => {
    const doc = withBundledFonts({
      html: page('', '<p>Adébáyọ̀ Ọláolúwa · 王小明 · สมชาย</p>'),
      headerHtml: `<div style="font-family:'rnn-exam sans','rnn-exam fallback';font-size:9pt">Header <b>王小明</b></div>`,
      footerHtml: `<div style="font-family:'rnn-exam sans','rnn-exam fallback';font-size:9pt">page <span class="pageNumber"></span></div>`,
    });
    const pdf = await printer.print(doc);
    const { fonts, notdef } = await pdfGlyphs(pdf);
    expect(notdef).toEqual([]);
    expect(fonts.map((f) => f.name).sort()).toEqual(['NotoSans-Regular', 'NotoSansSCThin-Bold', 'NotoSansSCThin-Regular', 'NotoSansThai-Regular', 'NotoSerif-Regular']);
    const text = await readPdfText(pdf);
    expect(text).toContain('Header 王小明');
    expect(text).toContain('page 1');
  });

  it('refuses to print when a bundled face cannot be loaded', async () => {
    const broken = '<style>@font-face{font-family:"rnn-exam serif";src:url(data:font/woff2;base64,d09GMgABAAAA) format("woff2")}</style>';
    await expect(printer.print({ html: page(broken, '<p>Text</p>'), headerHtml: '', footerHtml: '' }))
      .rejects.toThrow(/fonts failed to load \(rnn-exam serif normal normal\)/);
  });
});
