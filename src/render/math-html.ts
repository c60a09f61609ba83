import katex from 'katex';
import { RnnExamError } from '../errors.ts';
import type { MathLine, MathToken } from '../solution/math-tokens.ts';
import { compactKatexHtml } from './katex-compact.ts';
import { matrixToSpeech, texToSpeech } from './math-speech.ts';

const texCache = new Map<string, string>();

/**
 * TeX to HTML with KaTeX, on the Node side, compacted (see katex-compact.ts). The symbolic
 * pieces repeat across students (the same equations with other numbers), so each distinct
 * string is typeset once.
 */
export function texToHtml(source: string, displayMode = false): string {
  const key = `${displayMode ? 'D' : 'I'}${source}`;
  let html = texCache.get(key);
  if (html === undefined) {
    try {
      html = withAltText(compactKatexHtml(katex.renderToString(source, { displayMode, throwOnError: true, output: 'html', strict: 'ignore' })), texToSpeech(source));
    } catch (error) {
      throw new RnnExamError({ where: 'math', what: `cannot typeset ${JSON.stringify(source)}: ${(error as Error).message}`, fix: 'correct the TeX between the $ signs' });
    }
    texCache.set(key, html);
  }
  return html;
}

/**
 * The formula as one image with alternative text: a tagged PDF makes it a Figure with that /Alt
 * and a screen reader reads the words, not KaTeX's glyph fragments (no extra box: the formula's own).
 */
function withAltText(html: string, speech: string): string {
  return html.replace(/^<span class="(katex[^"]*)"/, `<span class="$1" role="img" aria-label="${escapeHtml(speech)}"`);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Numbers typeset like KaTeX's (true minus signs, same font), but laid out by CSS: far cheaper to print. */
function numberHtml(text: string): string {
  // every minus of a number, also the second one of a range "−1.03 … −1.01"
  return escapeHtml(text.replace(/-(?=[\d.])/g, '\u2212'));
}

/**
 * A matrix as columns of numbers between CSS brackets: one box per column, its numbers lines
 * of text, right-aligned. Chromium's cost per printed page grows with its boxes (a worked solution
 * holds ~130 matrices), so no box per number, and straight brackets (a rounded border is drawn
 * as a curved path, which cost ~40 ms per solution).
 */
export function matrixHtml(rows: string[][], style?: string): string {
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const columns = Array.from({ length: cols }, (_, j) =>
    `<span class="mx-c">${rows.map((r) => numberHtml(r[j] ?? '') || '&nbsp;').join('<br>')}</span>`);
  const cls = `mx${style ? style.split(' ').map((s) => ` mx-${s}`).join('') : ''}${cols >= 6 ? ' mx-wide' : ''}`;
  // Read row by row (the boxes are columns, so without this a screen reader reads the transpose).
  const speech = matrixToSpeech(rows);
  return `<span class="${cls}" role="img" aria-label="${escapeHtml(speech)}">${columns.join('')}</span>`;
}

export function tokenHtml(token: MathToken): string {
  // The formula's own box carries the class: one box fewer per formula than a wrapper would be.
  if (token.kind === 'tex') return texToHtml(token.tex).replace(/^<span class="katex"/, '<span class="katex tx"');
  // A group is one nowrap box; parentheses are its own ::before/::after, stretched to its height.
  if (token.kind === 'group') return `<span class="grp grp-${token.style}">${tokensHtml(token.tokens)}</span>`;
  return matrixHtml(token.rows, token.style);
}

export function tokensHtml(tokens: MathToken[]): string {
  return tokens.map(tokenHtml).join('');
}

/** Aligned display lines: a three-column grid (left side, relation, right side). */
export function mathLinesHtml(lines: MathLine[]): string {
  const rows = lines.map((l) =>
    `<span class="eq-l">${tokensHtml(l.lhs)}</span><span class="eq-r">${l.rel ? texToHtml(l.rel) : ''}</span><span class="eq-x">${tokensHtml(l.rhs)}</span>`);
  return `<div class="eq">${rows.join('')}</div>`;
}

/** Text with $...$ inline math: the text is escaped, the math typeset. `\$` is a literal dollar. */
export function richTextHtml(text: string): string {
  const parts = text.split(/(?<!\\)\$/);
  if (parts.length % 2 === 0) {
    throw new RnnExamError({ where: 'text', what: `unbalanced $ in ${JSON.stringify(text.slice(0, 80))}`, fix: 'close the inline math with a second $, or write \\$ for a dollar sign' });
  }
  // A short formula is glued to the word before it (no-break space), so it never starts a line
  // on its own with only its punctuation ("k)." under "… of class").
  const glued = (text: string, i: number) => (i + 1 < parts.length && parts[i + 1].length <= 12 ? text.replace(/ $/, '\u00a0') : text);
  return parts.map((part, i) => (i % 2 ? texToHtml(part) : escapeHtml(glued(part.replace(/\\\$/g, '$'), i)))).join('');
}

/** Short equations side by side ("U = (...)  W = (...)"), wrapping as the page needs. */
export function mathRowHtml(lines: MathLine[]): string {
  return `<div class="eq-row">${lines.map((l) => `<span class="eq-item">${tokensHtml(l.lhs)}${texToHtml(l.rel)}${tokensHtml(l.rhs)}</span>`).join('')}</div>`;
}
