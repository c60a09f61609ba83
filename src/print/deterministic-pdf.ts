import { createHash } from 'node:crypto';

/** The default fixed date; Chromium writes `D:YYYYMMDDHHmmSS+00'00'` (23 bytes). */
export const FIXED_PDF_DATE = 'D:20000101000000Z';

const DATE_RE = /\/(CreationDate|ModDate)(\s*)\((D:[^)]*)\)/g;
const ID_RE = /\/ID(\s*)\[(\s*)<([0-9A-Fa-f]*)>(\s*)<([0-9A-Fa-f]*)>(\s*)\]/g;

/**
 * Makes a Chromium PDF byte-identical across runs without re-saving it.
 *
 * Chromium's output differs run to run only in /CreationDate and /ModDate (and an /ID,
 * if one is ever written). Each is overwritten in place with a value of exactly the same
 * byte length, so every xref offset stays valid and nothing else is re-encoded. latin1 maps
 * bytes 1:1 to chars, so the binary font and image streams pass through untouched.
 */
export function makePdfDeterministic(bytes: Uint8Array, fixedDate: string = FIXED_PDF_DATE): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = buffer.toString('latin1');

  text = text.replace(DATE_RE, (_match, key: string, space: string, date: string) =>
    `/${key}${space}(${fitDate(fixedDate, date.length)})`);

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
