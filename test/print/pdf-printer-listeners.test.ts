import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfPrinter } from '../../src/print/pdf-printer.ts';
import { printDocument } from './print-helpers.ts';

describe('PdfPrinter keeps nothing per document', () => {
  let printer: PdfPrinter;
  beforeAll(async () => { printer = await PdfPrinter.start({ concurrency: 2 }); });
  afterAll(async () => { await printer?.close(); });

  it('leaves no listener behind on the browser (each would hold its finished PDF)', async () => {
    await printer.print(printDocument('<p>warm up</p>'));
    const before = printer.browser.listenerCount('disconnected');
    await Promise.all(Array.from({ length: 8 }, (_, i) => printer.print(printDocument(`<p>Document ${i}</p>`))));
    expect(printer.browser.listenerCount('disconnected')).toBe(before);
  });
});
