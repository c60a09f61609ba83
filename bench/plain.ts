import type { PrintDocument } from '../src/print/pdf-printer.ts';

/**
 * The "plain limit" document: the pipeline's own document with every typeset formula replaced
 * by plain text of the same symbols and numbers. KaTeX spans become their text, a matrix
 * becomes its rows as lines of text (so pages keep about their size), and the @font-face rules
 * only math needs are dropped. The text keeps its own faces: the bundled body fonts ("rnn-exam
 * …") and KaTeX_Main, which matrices use. What is left is what Chromium needs for pages of this
 * much text, in these fonts, at all.
 */
export function plainDocument(doc: PrintDocument): PrintDocument {
  return { ...doc, html: plainHtml(doc.html) };
}

/** Matrix rows stacked as lines of text: no brackets, no columns, no math font. */
const PLAIN_CSS = '.plain-rows{display:inline-block;vertical-align:middle;white-space:nowrap}';

/** Faces the text itself uses, kept (before, the bundled body fonts were dropped with the math's, and the text fell back to whatever the browser had). */
const TEXT_FACE = /font-family:\s*"?(KaTeX_Main|rnn-exam [a-z]+)"?\s*;/;

export function plainHtml(html: string): string {
  const bodyAt = html.indexOf('<body');
  const head = html.slice(0, bodyAt).replace(/@font-face\s*\{[^}]*\}/g, (face) => (TEXT_FACE.test(face) ? face : ''));
  return head.replace('</style>', `${PLAIN_CSS}</style>`) + replaceElements(html.slice(bodyAt), /<span class="(katex|mx)[ "]/g, (element, kind) => (kind === 'katex' ? katexText(element) : matrixText(element)));
}

/** Replaces each <span> element whose opening tag matches `opening` (a /g regex) with `replace(element, group 1)`. */
function replaceElements(html: string, opening: RegExp, replace: (element: string, kind: string) => string): string {
  let out = '';
  let from = 0;
  for (let match = opening.exec(html); match; match = opening.exec(html)) {
    const end = elementEnd(html, match.index);
    out += html.slice(from, match.index) + replace(html.slice(match.index, end), match[1]);
    from = end;
    opening.lastIndex = end;
  }
  return out + html.slice(from);
}

/** Index just past the </span> that closes the <span> at `start` (spans nest). */
function elementEnd(html: string, start: number): number {
  const tags = /<span\b|<\/span>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
    depth += tag[0] === '</span>' ? -1 : 1;
    if (depth === 0) return tags.lastIndex;
  }
  throw new Error('plainHtml: unbalanced <span> in the document');
}

function katexText(element: string): string {
  return element.replace(/<[^>]*>/g, '').replace(/\u200b/g, '');
}

/** A matrix as plain lines of text, one per row ("1 0 −1"), so the page keeps its size. */
function matrixText(element: string): string {
  const columns = element.split('<span class="mx-c">').slice(1).map((column) => column.slice(0, column.indexOf('</span>')).split('<br>'));
  const rows = Array.from({ length: Math.max(0, ...columns.map((c) => c.length)) }, (_, i) => columns.map((c) => c[i] ?? '').join(' '));
  return rows.length === 1 ? rows[0] : `<span class="plain-rows">${rows.join('<br>')}</span>`;
}
