import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { COMPACT_KATEX_CSS } from './katex-compact.ts';

let cached: string | undefined;
const TEXT_FALLBACK = '"rnn-exam serif","rnn-exam fallback"';

/**
 * KaTeX's stylesheet with every font inlined as one woff2 `data:` URL.
 *
 * Chromium refuses file:// and relative font URLs in a document set with
 * `page.setContent` and silently falls back to a serif font, so the fonts must travel
 * inside the CSS. Only woff2 is kept: Chromium always picks it first, and dropping the
 * woff/ttf alternatives keeps the stylesheet ~3x smaller. Computed once per process.
 */
export function katexStylesheet(): string {
  cached ??= buildStylesheet();
  return cached;
}

function buildStylesheet(): string {
  const cssPath = createRequire(import.meta.url).resolve('katex/dist/katex.min.css');
  const cssDir = dirname(cssPath);
  const css = readFileSync(cssPath, 'utf8');
  const fontCache = new Map<string, string>();

  const inlined = css.replace(/@font-face\s*\{[^}]*\}/g, (block) =>
    block.replace(/src\s*:[^;}]*/, (src) => {
      const woff2 = /url\(\s*(['"]?)([^'")]+\.woff2)\1\s*\)/.exec(src);
      if (!woff2) throw new Error(`KaTeX stylesheet: no woff2 font in ${block.slice(0, 120)}`);
      const file = resolve(cssDir, woff2[2]);
      let data = fontCache.get(file);
      if (!data) {
        data = readFileSync(file).toString('base64');
        fontCache.set(file, data);
      }
      return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
    }),
  );
  // Anything still pointing outside the document would be blocked at print time; fail loudly here instead.
  // KaTeX falls back to system fonts (math, Times New Roman, serif) for what its own fonts lack,
  // and a family without a space glyph takes its line metrics from the first font that has one:
  // both must be the bundled fonts, or layout and bytes would follow the machine's fonts.
  // (Only in style rules: an @font-face's font-family names the one face it defines.)
  const bundled = inlined.split(/(@font-face\s*\{[^}]*\})/).map((part) => (part.startsWith('@font-face') ? part : part
    .replace(/(font:[^;}]*?KaTeX_Main)(?:\s*,\s*(?:math|"?Times New Roman"?|serif))+/g, `$1,${TEXT_FALLBACK}`)
    .replace(/font-family:\s*("?KaTeX_[A-Za-z0-9_-]+"?)\s*(?=[;}])/g, `font-family:$1,${TEXT_FALLBACK}`))).join('');
  if (/Times New Roman|[:,]\s*(?:math|serif|sans-serif|monospace)\s*[;},]/.test(bundled)) throw new Error('KaTeX stylesheet: a system font family is left');
  const leftover = /url\(\s*['"]?(?!data:)[^)]*\)/.exec(bundled);
  if (leftover) throw new Error(`KaTeX stylesheet: non-inlined resource ${leftover[0]}`);
  return `${bundled}\n${COMPACT_KATEX_CSS}`;
}
