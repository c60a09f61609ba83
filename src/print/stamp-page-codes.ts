import { PDFDocument, beginMarkedContent, endMarkedContent, fill, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor, type PDFOperator } from 'pdf-lib';
import QRCode from 'qrcode';

/** Where the code sits: the bottom-left corner of the page, beside the running footer's paper code (the footer starts 20 mm from the left). */
export const PAGE_CODE_PLACEMENT = {
  /** from the page's left and bottom edges, mm (printers cannot print the outer ~4 mm) */
  leftMm: 4,
  bottomMm: 4,
  /** the side of one module, mm: 0.36 mm is ~3 pixels in a 200 dpi scan */
  moduleMm: 0.36,
  /** the code's largest side without its quiet zone, mm: long IDs get smaller modules rather than reach the footer text */
  maxSizeMm: 15,
  /** white margin around the code, in modules (the standard asks for 4; 2 reads reliably on a white page) */
  quietModules: 2,
} as const;

const POINTS_PER_MM = 72 / 25.4;

/**
 * Draws a QR code on every page of a printed PDF, after printing, because only then are the
 * pages and their number known. The code is vector rectangles (no image), marked as an
 * artifact so screen readers skip it. Loading and saving keep the PDF deterministic: no date,
 * producer or ID is changed, and pdf-lib writes the same objects in the same order every time.
 */
export async function stampPageCodes(pdf: Uint8Array, textOf: (page: number, pages: number) => string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    page.pushOperators(...qrOperators(textOf(i + 1, pages.length)));
  });
  return doc.save({ updateFieldAppearances: false });
}

/** The QR's dark modules as filled rectangles, one per run of dark modules in a row. */
export function qrOperators(text: string, placement = PAGE_CODE_PLACEMENT): PDFOperator[] {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const data = qr.modules.data;
  const module = Math.min(placement.moduleMm, placement.maxSizeMm / n) * POINTS_PER_MM;
  const x0 = placement.leftMm * POINTS_PER_MM;
  const y0 = placement.bottomMm * POINTS_PER_MM;
  const quiet = placement.quietModules * module;
  const ops: PDFOperator[] = [
    beginMarkedContent('Artifact'), pushGraphicsState(),
    setFillingGrayscaleColor(1), rectangle(x0 - quiet, y0 - quiet, n * module + 2 * quiet, n * module + 2 * quiet), fill(),
    setFillingGrayscaleColor(0),
  ];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  for (let row = 0; row < n; row++) {
    // Row 0 is the top of the code; PDF y grows upwards.
    const y = round(y0 + (n - 1 - row) * module);
    for (let col = 0; col < n; col++) {
      if (!data[row * n + col]) continue;
      let end = col;
      while (end + 1 < n && data[row * n + end + 1]) end++;
      // A hair taller than a module, so that rows meet without anti-aliased seams.
      ops.push(rectangle(round(x0 + col * module), y, round((end - col + 1) * module), round(module * 1.02)));
      col = end;
    }
  }
  ops.push(fill(), popGraphicsState(), endMarkedContent());
  return ops;
}
