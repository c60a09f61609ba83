import { createHash } from 'node:crypto';

/** The default fixed date; Chromium writes `D:YYYYMMDDHHmmSS+00'00'` (23 bytes). */
export const FIXED_PDF_DATE = 'D:20000101000000Z';

const DATE_RE = /\/(CreationDate|ModDate)(\s*)\((D:[^)]*)\)/g;
const ID_RE = /\/ID(\s*)\[(\s*)<([0-9A-Fa-f]*)>(\s*)<([0-9A-Fa-f]*)>(\s*)\]/g;
/** A structure element ID as a PDF string: in /ID, a cell's /Headers and the ID name tree. */
const NODE_ID_RE = /\(node(\d+)\)/g;

/**
 * Makes a Chromium PDF byte-identical across runs without re-saving it.
 *
 * Chromium's output differs run to run only in /CreationDate and /ModDate (and an /ID,
 * if one is ever written), and in the structure IDs of table header cells (see
 * renumberNodeIds). Each is overwritten in place with a value of exactly the same
 * byte length, so every xref offset stays valid and nothing else is re-encoded. latin1 maps
 * bytes 1:1 to chars, so the binary font and image streams pass through untouched.
 */
export function makePdfDeterministic(bytes: Uint8Array, fixedDate: string = FIXED_PDF_DATE): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = buffer.toString('latin1');

  text = text.replace(DATE_RE, (_match, key: string, space: string, date: string) =>
    `/${key}${space}(${fitDate(fixedDate, date.length)})`);
  text = renumberNodeIds(text);

  if (text.includes('/ID')) {
    // The ID is derived from everything else, so identical content gets an identical ID.
    const withId = (make: (hex: string) => string) =>
      text.replace(ID_RE, (_m, s1: string, s2: string, a: string, s3: string, b: string, s4: string) =>
        `/ID${s1}[${s2}<${make(a)}>${s3}<${make(b)}>${s4}]`);
    const digest = createHash('sha256').update(withId((hex) => '0'.repeat(hex.length)), 'latin1').digest('hex');
    text = withId((hex) => hexOfLength(digest.toUpperCase(), hex.length));
  }

  const out = Buffer.from(text, 'latin1');
  if (out.length !== buffer.length) throw new Error('makePdfDeterministic changed the PDF length');
  return out;
}

/**
 * A <th> becomes a structure element with `/ID (node%08d)`; the cells it heads list that ID in
 * `/Headers`, and the catalog's /IDTree (a name tree, keys sorted) maps it to the element. The
 * number is Chromium's DOM node ID, a counter of the whole renderer process: it depends on
 * every document the process showed before (a reused page, a swapped-in body), not on this one.
 * So the IDs are renumbered 1, 2, … in their own sorted order, which keeps the name tree sorted,
 * each with as many digits as it had, which keeps the length.
 */
function renumberNodeIds(text: string): string {
  if (!text.includes('(node')) return text;
  // A name tree orders keys by their bytes; the IDs share the prefix "node", so the digits' order.
  const sorted = [...new Set(Array.from(text.matchAll(NODE_ID_RE), (m) => m[1]))].sort();
  const rank = new Map(sorted.map((digits, i) => [digits, i + 1]));
  return text.replace(NODE_ID_RE, (_m, digits: string) => `(node${String(rank.get(digits)).padStart(digits.length, '0')})`);
}

/**
 * `fixed` made exactly `length` bytes: a trailing `Z` is spelled `+00'00'` when that
 * helps (the form Chromium writes), then it is truncated or padded with spaces.
 */
export function fitDate(fixed: string, length: number): string {
  let date = fixed;
  if (date.length < length && date.endsWith('Z')) date = `${date.slice(0, -1)}+00'00'`;
  if (date.length > length) return date.slice(0, length);
  return date.padEnd(length, ' ');
}

function hexOfLength(digest: string, length: number): string {
  return digest.repeat(Math.ceil(length / digest.length) || 1).slice(0, length);
}
