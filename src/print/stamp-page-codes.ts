import { PDFDocument, ParseSpeeds, beginMarkedContent, endMarkedContent, fill, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor, type PDFOperator } from 'pdf-lib';
import QRCode from 'qrcode';
import { isRef, PdfObjects } from './pdf-objects.ts';

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
 * artifact so screen readers skip it. It is appended to Chromium's bytes as an incremental
 * update (new content streams and page dictionaries, a new cross-reference section), so the
 * original file is untouched, a page costs about a millisecond and 3 KB, and nothing varies
 * between runs. A PDF the small reader in pdf-objects.ts cannot follow is rewritten with pdf-lib instead.
 */
export async function stampPageCodes(pdf: Uint8Array, textOf: (page: number, pages: number) => string): Promise<Uint8Array> {
  try {
    return appendPageCodes(pdf, textOf);
  } catch {
    return rewriteWithPageCodes(pdf, textOf);
  }
}

/** The incremental update: each page's /Contents becomes [q, its old contents, Q + code]. */
export function appendPageCodes(pdf: Uint8Array, textOf: (page: number, pages: number) => string): Uint8Array {
  const objects = new PdfObjects(pdf);
  const pages = objects.pages();
  const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  let next = objects.size;
  let out = original[original.length - 1] === 0x0a ? '' : '\n';
  const offsets: Array<[number, number]> = [];
  const add = (num: number, body: string) => {
    offsets.push([num, original.length + out.length]);
    out += `${num} 0 obj\n${body}\nendobj\n`;
  };
  const stream = (content: string) => `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  // Chromium's content need not restore its graphics state: wrap it, then draw from a clean state.
  const saveState = next++;
  add(saveState, stream('q'));
  pages.forEach((num, i) => {
    const page = objects.dict(num);
    const contents = page.dict.get('Contents');
    const old = contents === undefined ? [] : Array.isArray(contents) ? contents : [contents];
    if (!old.every(isRef)) throw new Error('page /Contents is not a reference');
    const code = next++;
    add(code, stream(`Q\n${qrContent(textOf(i + 1, pages.length))}`));
    const list = `[${[saveState, ...old.map((r) => (r as { ref: number }).ref), code].map((n) => `${n} 0 R`).join(' ')}]`;
    const withContents = /\/Contents\s*(\d+\s+\d+\s+R|\[[^\]]*\])/.test(page.text)
      ? page.text.replace(/\/Contents\s*(\d+\s+\d+\s+R|\[[^\]]*\])/, `/Contents ${list}`)
      : `${page.text.slice(0, -2)} /Contents ${list}>>`;
    add(num, withContents);
  });
  const trailerKeys = ['Root', 'Info', 'ID', 'Encrypt'].map((key) => trailerValue(objects, key)).join('');
  const xrefAt = original.length + out.length;
  if (objects.text.startsWith('xref', objects.startxref)) {
    offsets.sort((a, b) => a[0] - b[0]);
    out += `xref\n${offsets.map(([num, at]) => `${num} 1\n${String(at).padStart(10, '0')} 00000 n\r\n`).join('')}`;
    out += `trailer\n<< /Size ${next}${trailerKeys} /Prev ${objects.startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  } else {
    const self = next++;
    offsets.push([self, xrefAt]);
    offsets.sort((a, b) => a[0] - b[0]);
    const rows = Buffer.alloc(offsets.length * 7);
    offsets.forEach(([, at], i) => { rows.writeUInt8(1, i * 7); rows.writeUInt32BE(at, i * 7 + 1); rows.writeUInt16BE(0, i * 7 + 5); });
    const index = offsets.map(([num]) => `${num} 1`).join(' ');
    out += `${self} 0 obj\n<< /Type /XRef /Size ${next}${trailerKeys} /Prev ${objects.startxref} /W [1 4 2] /Index [${index}] /Length ${rows.length} >>\nstream\n`;
    out += `${rows.toString('latin1')}\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
  }
  return Buffer.concat([original, Buffer.from(out, 'latin1')]);
}

/** A trailer entry copied as it was written (e.g. " /Root 451 0 R"), or nothing. */
function trailerValue(objects: PdfObjects, key: string): string {
  if (!objects.trailer.dict.has(key)) return '';
  const match = new RegExp(`/${key}\\s*(\\d+\\s+\\d+\\s+R|\\[[^\\]]*\\])`).exec(objects.trailer.text);
  if (!match) throw new Error(`cannot copy /${key}`);
  return ` /${key} ${match[1]}`;
}

/** The fallback: the whole file loaded and saved again by pdf-lib (slower and larger, same codes). */
async function rewriteWithPageCodes(pdf: Uint8Array, textOf: (page: number, pages: number) => string): Promise<Uint8Array> {
  // Without yielding between objects (pdf-lib's default pauses every 100, doubling the time).
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    page.pushOperators(...qrOperators(textOf(i + 1, pages.length)));
  });
  return doc.save({ updateFieldAppearances: false, useObjectStreams: false, objectsPerTick: Infinity });
}

/** The code as content-stream text: module units via one `cm`, a rectangle per run of dark modules. */
export function qrContent(text: string, placement = PAGE_CODE_PLACEMENT): string {
  const { n, runs, module, x0, y0 } = qrLayout(text, placement);
  const q = placement.quietModules;
  const scale = Math.round(module * 10000) / 10000;
  return [
    '/Artifact BMC q', `${scale} 0 0 ${scale} ${round(x0)} ${round(y0)} cm`,
    `1 g ${-q} ${-q} ${n + 2 * q} ${n + 2 * q} re f 0 g`,
    // Runs are a hair taller than a module, so that rows meet without anti-aliased seams.
    ...runs.map(([col, rowFromBottom, width]) => `${col} ${rowFromBottom} ${width} 1.02 re`),
    'f Q EMC',
  ].join('\n');
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The QR's modules: size, runs of dark modules per row ([column, row from the bottom, length]) and where it goes. */
function qrLayout(text: string, placement: typeof PAGE_CODE_PLACEMENT) {
  // A fixed mask: any of the 8 decodes alike, and choosing the "best" one cost 6x the rest of the code.
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M', maskPattern: 0 });
  const n = qr.modules.size;
  const data = qr.modules.data;
  const runs: Array<[number, number, number]> = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!data[row * n + col]) continue;
      let end = col;
      while (end + 1 < n && data[row * n + end + 1]) end++;
      runs.push([col, n - 1 - row, end - col + 1]); // row 0 is the top; PDF y grows upwards
      col = end;
    }
  }
  const module = Math.min(placement.moduleMm, placement.maxSizeMm / n) * POINTS_PER_MM;
  return { n, runs, module, x0: placement.leftMm * POINTS_PER_MM, y0: placement.bottomMm * POINTS_PER_MM, quiet: placement.quietModules * module };
}

/** The same code as pdf-lib operators (for the fallback). */
export function qrOperators(text: string, placement = PAGE_CODE_PLACEMENT): PDFOperator[] {
  const { n, runs, module, x0, y0, quiet } = qrLayout(text, placement);
  return [
    beginMarkedContent('Artifact'), pushGraphicsState(),
    setFillingGrayscaleColor(1), rectangle(x0 - quiet, y0 - quiet, n * module + 2 * quiet, n * module + 2 * quiet), fill(),
    setFillingGrayscaleColor(0),
    ...runs.map(([col, row, width]) => rectangle(round(x0 + col * module), round(y0 + row * module), round(width * module), round(module * 1.02))),
    fill(), popGraphicsState(), endMarkedContent(),
  ];
}
