import { CJK_FONTS, cjkOrder, SANS_FONT, SCRIPT_FONTS, SERIF_FONT, type FontPackage } from './font-catalog.ts';
import { subsetFileBase64, subsetsFor, type FontSubset } from './font-faces.ts';
import { katexCodePoints } from './katex-coverage.ts';

/**
 * The @font-face rules one document needs: only the subsets whose unicode-range holds a
 * character of its text, each inlined as a data: URL (file:// URLs are refused under
 * page.setContent). A Latin-only paper carries a few small Latin subsets; a name in Thai adds
 * the Thai one. No rule takes a locally installed font and no family falls back to a system font.
 *
 * Three families: the serif and sans bodies, and one "fallback" family made of every script
 * font. Where two fallback faces cover a character, the later rule wins in CSS, so the first
 * choice (e.g. Japanese for a text with kana) is written last.
 */
export const FALLBACK_FAMILY = 'rnn-exam fallback';
export const SERIF_STACK = `"rnn-exam serif", "${FALLBACK_FAMILY}"`;
export const SANS_STACK = `"rnn-exam sans", "${FALLBACK_FAMILY}"`;

/** The distinct code points of a text, in code point order. */
export function codePointsOf(text: string): number[] {
  const ascii = new Uint8Array(128);
  const other = new Set<number>();
  collect(text, 0, text.length, ascii, other);
  return sorted(ascii, other);
}

const MATH_OPEN = '<span class="katex';

/**
 * The code points a document's text fonts must draw: every one outside typeset math, and inside
 * it only those KaTeX's fonts lack. A document is ~400 KB, mostly the ASCII of inlined fonts and
 * markup, so ASCII is counted apart in a flat table.
 */
export function documentCodePoints(html: string, known?: KnownText): number[] {
  const ascii = new Uint8Array(128);
  const other = new Set<number>();
  const katex = katexCodePoints();
  const mathAscii = new Uint8Array(128); // ASCII is always in: no need to know it inside math
  const math = new Set<number>();
  let at = 0;
  // Text every document carries (the templates' stylesheet, ~370 KB) is counted once, not read again.
  const skip = known === undefined ? -1 : html.indexOf(known.text);
  if (skip >= 0) {
    at = collectMath(html, 0, skip, ascii, other, mathAscii, math);
    for (const cp of knownCodePoints(known!)) {
      if (cp < 128) ascii[cp] = 1;
      else other.add(cp);
    }
    at = skip + known!.text.length;
  }
  collectMath(html, at, html.length, ascii, other, mathAscii, math);
  for (const cp of math) if (!katex.has(cp)) other.add(cp);
  return sorted(ascii, other);
}

/** A text many documents contain whole, e.g. the templates' stylesheet. */
export interface KnownText { text: string }
let lastKnown: { text: string; codePoints: number[] } | undefined;

function knownCodePoints(known: KnownText): number[] {
  // One template set per batch: the last one's code points are kept (=== on the same string is instant).
  if (lastKnown?.text !== known.text) lastKnown = { text: known.text, codePoints: documentCodePoints(known.text) };
  return lastKnown.codePoints;
}

/** collect() over [from, to), typeset math apart; returns `to`. */
function collectMath(html: string, from: number, to: number, ascii: Uint8Array, other: Set<number>, mathAscii: Uint8Array, math: Set<number>): number {
  let at = from;
  for (;;) {
    const open = html.indexOf(MATH_OPEN, at);
    if (open < 0 || open >= to) break;
    collect(html, at, open, ascii, other);
    const close = Math.min(matchingSpanEnd(html, open), to);
    collect(html, open, close, mathAscii, math);
    at = close;
  }
  collect(html, at, to, ascii, other);
  return to;
}

/** Where the span opened at `open` ends (after its </span>), counting nested spans. */
function matchingSpanEnd(html: string, open: number): number {
  let depth = 0;
  let nextOpen = html.indexOf('<span', open);
  let nextClose = html.indexOf('</span>', open);
  for (;;) {
    if (nextClose < 0) return html.length;
    if (nextOpen >= 0 && nextOpen < nextClose) {
      depth++;
      nextOpen = html.indexOf('<span', nextOpen + 5);
      continue;
    }
    depth--;
    const end = nextClose + 7;
    if (depth === 0) return end;
    nextClose = html.indexOf('</span>', end);
  }
}

function collect(text: string, from: number, to: number, ascii: Uint8Array, other: Set<number>): void {
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    // An inlined font (url(data:…)) is base64: ASCII, and most of a document's length.
    if (unit === 0x28 /* ( */ && text.startsWith('data:', i + 1)) {
      const end = text.indexOf(')', i);
      if (end > 0 && end < to) i = end;
      ascii[unit] = 1;
      continue;
    }
    if (unit < 128) { ascii[unit] = 1; continue; }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    other.add(cp);
  }
}

function sorted(ascii: Uint8Array, other: Set<number>): number[] {
  const out: number[] = [];
  ascii.forEach((seen, cp) => { if (seen) out.push(cp); });
  return [...out, ...[...other].sort((a, b) => a - b)];
}

/** The fallback fonts in the order a text (its code points) should try them, first choice first. */
export function fallbackOrder(codePoints: number[]): FontPackage[] {
  return [...SCRIPT_FONTS, ...cjkOrder(codePoints).map((region) => CJK_FONTS[region])];
}

/**
 * The @font-face rules for a text (a whole document: its markup and CSS are ASCII, which every
 * document uses anyway). `serif`/`sans` false leaves that family out (a footer needs no serif).
 */
export function fontFaceCss(text: string, options: FaceOptions = {}, known?: KnownText): string {
  const codePoints = documentCodePoints(text, known);
  // Most documents of a batch use the same characters' subsets: build their rules once.
  const key = `${options.serif}|${options.sans}|${options.italic}|${options.bold}|${codePoints.join(',')}`;
  let css = recent.get(key);
  if (css === undefined) {
    css = buildFontFaceCss(codePoints, options);
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value!);
    recent.set(key, css);
  }
  return css;
}

interface FaceOptions { sans?: boolean; serif?: boolean; italic?: boolean; bold?: boolean }
const RECENT_LIMIT = 64;
const recent = new Map<string, string>();

function buildFontFaceCss(codePoints: number[], options: FaceOptions): string {
  const bodies: Array<[string, FontPackage]> = [];
  if (options.serif !== false) bodies.push(['rnn-exam serif', SERIF_FONT]);
  if (options.sans !== false) bodies.push(['rnn-exam sans', SANS_FONT]);

  // Each character the body fonts lack comes from the first fallback that has it.
  const order = fallbackOrder(codePoints);
  const fallback = new Map<FontPackage, Map<string, FontSubset>>();
  for (const cp of codePoints) {
    if (bodies.every(([, font]) => subsetsFor(font, cp).length > 0)) continue;
    for (const font of order) {
      const found = subsetsFor(font, cp);
      if (found.length === 0) continue;
      const used = fallback.get(font) ?? new Map<string, FontSubset>();
      for (const subset of found) used.set(subset.name, subset);
      fallback.set(font, used);
      break;
    }
  }
  const rules: string[] = [];
  // Later rules win where faces overlap: the first choice goes last.
  for (const font of [...order].reverse()) {
    const used = fallback.get(font);
    if (used) rules.push(...faceRules(FALLBACK_FAMILY, font, [...used.values()], options));
  }
  for (const [family, font] of bodies) {
    const used = new Map<string, FontSubset>();
    for (const cp of codePoints) for (const subset of subsetsFor(font, cp)) used.set(subset.name, subset);
    rules.push(...faceRules(family, font, [...used.values()], options));
  }
  return rules.join('\n');
}

function faceRules(family: string, font: FontPackage, subsets: FontSubset[], options: FaceOptions): string[] {
  const faces = font.faces.filter((face) => (options.italic !== false || face.style === 'normal') && (options.bold !== false || face.weight === 400));
  // In name order, so the rules (and so the PDF bytes) never depend on the text's order.
  const sorted = [...subsets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.flatMap((subset) => faces.map((face) =>
    `@font-face{font-family:"${family}";font-style:${face.style};font-weight:${face.weight};font-display:block;` +
    `src:url(data:font/woff2;base64,${subsetFileBase64(subset, face.weight, face.style)}) format("woff2");unicode-range:${subset.range}}`));
}
