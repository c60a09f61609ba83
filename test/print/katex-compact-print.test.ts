import katex from 'katex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfPrinter } from '../../src/print/pdf-printer.ts';
import { compactKatexHtml } from '../../src/render/katex-compact.ts';
import { PdfRenderer } from '../helpers/pdf-render.ts';
import { printDocument } from './print-helpers.ts';

const EXPRESSIONS = [
  'h_{1} = \\tanh(\\bar{h}_{1})', '\\hat{y}_t[k]', '\\dfrac{\\partial L}{\\partial \\bar{h}_{1}} = \\dfrac{\\partial L}{\\partial h_{1}} \\odot (1 - h_{1}^2)',
  '\\sum_{t=0}^{2} \\dfrac{\\partial L}{\\partial z_t} h_t^\\top', '\\operatorname{softmax}(V h_t + c), \\qquad L = \\frac{1}{3} \\sum_{t=0}^{2} l_t',
  '\\frac{1}{3}\\Big( x_{0} - \\mathbf{e}_{y_t} \\Big) =', '=', '+', '\\approx', 'a + b = c \\odot d, e', '(1 - h)', 'h_{1}', '\\frac{1}{3}', 'y_{0} = 1', '\\tanh', 'h^{2} + x_{i_{j}} - \\hat{y}_{0}', 'W^\\top \\dfrac{\\partial L}{\\partial \\bar{h}_{2}} + V^\\top z', 'x^{2^{3}}_{i_{j}} \\approx 0.808',
];

describe('compacted KaTeX prints like KaTeX', () => {
  let printer: PdfPrinter;
  let renderer: PdfRenderer;
  /** Grey pixels of every page at 100 dpi, rendered by pdf.js in Chromium. */
  const pages = (pdf: Uint8Array) => renderer.pages(pdf, 100);
  beforeAll(async () => { [printer, renderer] = await Promise.all([PdfPrinter.start({ concurrency: 1 }), PdfRenderer.start()]); });
  afterAll(async () => { await Promise.all([printer?.close(), renderer?.close()]); });

  // One small document per formula, so each is compared at the same place on the page: in one long
  // page a glyph can land a subpixel apart and differ in anti-aliasing only, which is no real change.
  it('the same pixels, formula by formula', async () => {
    const body = (tex: string, compact: boolean) => {
      const html = katex.renderToString(tex, { output: 'html', strict: 'ignore' });
      return `<p style="font-size:14pt">Step: ${compact ? compactKatexHtml(html) : html} and text after.</p>`;
    };
    for (const tex of EXPRESSIONS) {
      const [raw, compact] = await Promise.all([false, true].map(async (c) => pages(await printer.print(printDocument(body(tex, c), { math: true })))));
      expect(compact.length).toBe(raw.length);
      expect(raw[0].filter((grey) => grey < 128).length, tex).toBeGreaterThan(100); // the page really was drawn
      let differing = 0;
      for (let b = 0; b < raw[0].length; b++) if (Math.abs(raw[0][b] - compact[0][b]) > 64) differing++;
      expect(differing, tex).toBeLessThanOrEqual(20); // anti-aliasing at most, never a moved glyph
    }
  });
});
