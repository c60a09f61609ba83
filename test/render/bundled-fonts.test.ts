import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { characterLabel, uncoveredCharacters } from '../../src/render/fonts/coverage.ts';
import { ALL_FONT_PACKAGES } from '../../src/render/fonts/font-catalog.ts';
import { documentCodePoints, fontFaceCss } from '../../src/render/fonts/font-css.ts';
import { cmapCodePoints, katexCodePoints } from '../../src/render/fonts/katex-coverage.ts';
import { katexStylesheet } from '../../src/render/katex-css.ts';
import { withBundledFonts } from '../../src/render/fonts/document-fonts.ts';
import { NAMES_BY_SCRIPT } from '../helpers/international-names.ts';

/** The faces a CSS text defines: "family|subset-file" for each rule. */
function faces(css: string): string[] {
  return [...css.matchAll(/font-family:"([^"]+)";font-style:(\w+);font-weight:(\d+)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

describe('the fonts a document carries', () => {
  it('a Latin-only text gets the Latin subsets of the serif and sans, and nothing else', () => {
    const css = fontFaceCss('<p>Ada Lovelace, question 1</p>');
    const rules = css.split('\n');
    expect(rules).toHaveLength(8); // serif: regular, bold, italic, bold italic; sans: the same
    for (const rule of rules) {
      expect(rule).toMatch(/^@font-face\{font-family:"rnn-exam (serif|sans)";.*src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{1000,}\) format\("woff2"\);unicode-range:U\+0000-00FF,/);
      expect(rule).not.toMatch(/local\(|url\((?!data:)/);
    }
  });

  it('adds the subset of a script only when the text has it, from its own font', () => {
    const latin = faces(fontFaceCss('Ada'));
    const thai = fontFaceCss('Ada สมชาย');
    expect(faces(thai).length).toBe(latin.length + 2); // Thai regular and bold
    expect(thai).toMatch(/font-family:"rnn-exam fallback";font-style:normal;font-weight:400;.*unicode-range:U\+02D7,U\+0303,U\+0331,U\+0E01-0E5B/);
  });

  it('takes Han from the Japanese font for a text with kana, from the Chinese one otherwise', () => {
    const base64Of = (css: string) => /rnn-exam fallback";font-style:normal;font-weight:400;[^}]*base64,([A-Za-z0-9+/=]{40})/.exec(css)?.[1];
    const chinese = fontFaceCss('山田');
    const japanese = fontFaceCss('山田 さくら');
    expect(base64Of(chinese)).toBeDefined();
    const lastFallback = (css: string) => css.split('\n').filter((r) => r.includes('rnn-exam fallback')).at(-1)!;
    // The first choice is written last (later rules win where faces overlap).
    expect(lastFallback(japanese)).not.toBe(lastFallback(chinese));
  });

  it('the same text always gives the same rules (whatever order its characters come in)', () => {
    expect(fontFaceCss('Zoë Ωμέγα 王')).toBe(fontFaceCss('王 Ωμέγα Zoë'));
  });

  it('characters inside typeset math count only where KaTeX has no glyph', () => {
    const html = '<p>x</p><span class="katex"><span class="mord">∂</span><span>→ 王</span></span><p>y</p>';
    const cps = documentCodePoints(html);
    expect(cps).not.toContain('∂'.codePointAt(0));
    expect(cps).toContain('王'.codePointAt(0));
    expect(documentCodePoints('<p>∂</p>')).toContain('∂'.codePointAt(0));
  });

  it('puts the fonts into the page head and into the running header and footer', () => {
    const doc = withBundledFonts({
      html: '<!doctype html><html><head><title>t</title></head><body><p>王小明</p></body></html>',
      headerHtml: '<div style="font-family:\'rnn-exam sans\'">王小明</div>', footerHtml: '<div>page</div>',
    });
    expect(doc.html.indexOf('@font-face')).toBeLessThan(doc.html.indexOf('</head>'));
    expect(doc.headerHtml).toMatch(/^<style>@font-face\{font-family:"rnn-exam fallback"/);
    expect(doc.headerHtml).not.toContain('rnn-exam serif');
    expect(doc.footerHtml).toMatch(/^<style>@font-face\{font-family:"rnn-exam sans"/);
  });
});

describe('no system font can be picked', () => {
  const systemFamily = /(?:^|[,:]\s*)(?:serif|sans-serif|monospace|math|system-ui|cursive|fantasy|"?(?:Times New Roman|Arial|Liberation[^",;]*|DejaVu[^",;]*|Noto Serif CJK[^",;]*|Noto Sans CJK[^",;]*)"?)\s*(?=[;,}"]|$)/m;

  it('the templates and the KaTeX stylesheet name only bundled families', () => {
    const dir = 'templates';
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.hbs')).map((f) => join(dir, f)), ...readdirSync(join(dir, 'styles')).map((f) => join(dir, 'styles', f))];
    for (const file of files) {
      for (const [, families] of readFileSync(file, 'utf8').matchAll(/font-family\s*:\s*([^;}"]*(?:"[^"]*"[^;}"]*)*)/g)) {
        for (const family of families.split(',').map((f) => f.trim().replace(/^['"]|['"]$/g, ''))) {
          expect(family, `${file}: ${families}`).toMatch(/^(rnn-exam (serif|sans|fallback)|KaTeX_\w+)$/);
        }
      }
    }
    expect(katexStylesheet()).not.toMatch(systemFamily);
    expect(katexStylesheet()).toMatch(/font-family:KaTeX_Math,"rnn-exam serif","rnn-exam fallback"/);
  });

  it('no @font-face has a local() source', () => {
    const css = fontFaceCss(Object.values(NAMES_BY_SCRIPT).join(' '));
    expect(css).not.toContain('local(');
    expect(katexStylesheet()).not.toContain('local(');
  });
});

describe('coverage', () => {
  it('every supported script is covered', () => {
    for (const [script, name] of Object.entries(NAMES_BY_SCRIPT)) expect(uncoveredCharacters(name), script).toEqual([]);
  });

  it('refuses emoji, and scripts no bundled font has, naming each character', () => {
    expect(uncoveredCharacters('Ana 😀').map((c) => [c.label, c.reason])).toEqual([['U+1F600 😀', 'emoji']]);
    expect(uncoveredCharacters('👩‍💻').map((c) => c.label)).toEqual(['U+1F469 👩', 'U+200D', 'U+1F4BB 💻']);
    expect(uncoveredCharacters('ნინო').map((c) => [c.label, c.reason])).toEqual([['U+10DC ნ', 'no-font'], ['U+10D8 ი', 'no-font'], ['U+10DD ო', 'no-font']]);
    expect(uncoveredCharacters('ሰላም')[0].label).toBe('U+1230 ሰ');
    expect(uncoveredCharacters('a\u0007b').map((c) => c.label)).toEqual(['U+0007']);
  });

  it('joiners used by Indic and Persian spelling are not taken for emoji', () => {
    expect(uncoveredCharacters('क्\u200Dष')).toEqual([]);
    expect(uncoveredCharacters('می\u200Cخواهم')).toEqual([]);
  });

  it('labels a mark or a control by its code alone', () => {
    expect(characterLabel(0x0300)).toBe('U+0300');
    expect(characterLabel(0x5c0f)).toBe('U+5C0F 小');
  });
});

describe('the font packages', () => {
  const require = createRequire(import.meta.url);
  it('every package is installed with its licence (SIL Open Font License)', () => {
    for (const font of ALL_FONT_PACKAGES) {
      const dir = dirname(require.resolve(`${font.pkg}/package.json`));
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).license, font.pkg).toBe('OFL-1.1');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), font.pkg).toMatch(/SIL OPEN FONT LICENSE/i);
    }
  });

  it('KaTeX coverage is read from its TrueType cmaps', () => {
    const katex = katexCodePoints();
    for (const ch of 'Az0∂∑→≈') expect(katex.has(ch.codePointAt(0)!), ch).toBe(true);
    expect(katex.has('王'.codePointAt(0)!)).toBe(false);
    const main = readFileSync(join(dirname(require.resolve('katex/dist/katex.min.css')), 'fonts', 'KaTeX_Main-Regular.ttf'));
    expect(cmapCodePoints(main)).toContain(0x41);
  });
});

describe('documentCodePoints with a known stylesheet', () => {
  const css = '.meta span + span::before { content: " · "; } .x::after { content: "→" }';
  const html = `<!DOCTYPE html><html><head><title>Paper — 王小明</title><style>${css}</style></head><body><p>Adébáyọ̀ <span class="katex">∑ x</span> ok</p></body></html>`;

  it('gives the same code points as reading the whole document, once the stylesheet is known', () => {
    const known = { text: css };
    expect(documentCodePoints(html, known)).toEqual(documentCodePoints(html));
    expect(documentCodePoints(html, known)).toEqual(documentCodePoints(html, known)); // from the kept stylesheet
    expect(documentCodePoints(html, known)).toEqual(expect.arrayContaining(['·'.codePointAt(0)!, '→'.codePointAt(0)!, '王'.codePointAt(0)!]));
  });

  it('reads the document whole when the known text is not in it', () => {
    expect(documentCodePoints(html, { text: '.other { content: "☃" }' })).toEqual(documentCodePoints(html));
  });
});
