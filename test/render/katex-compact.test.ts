import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { compactKatexHtml, INERT_CLASSES, sizingFactor } from '../../src/render/katex-compact.ts';

const EXPRESSIONS = [
  '=', 'h_{1}', '\\bar{h}_{2}', '\\hat{y}_t[k]', 'h_{t}^\\top', '\\dfrac{\\partial L}{\\partial \\bar{h}_{1}}',
  '\\sum_{t=0}^{2} \\dfrac{\\partial L}{\\partial z_t} h_t^\\top', '\\operatorname{softmax}(z_{0}) = \\frac{1}{3.49}',
  '\\Big( x \\Big) =', '\\mathbf{e}_{y_t}', '\\qquad\\text{full value}', 'x^{2^{3}}_{i_{j}}',
];
const render = (tex: string, displayMode = false) => katex.renderToString(tex, { output: 'html', displayMode, strict: 'ignore' });
const spans = (html: string) => (html.match(/<span\b/g) ?? []).length;
const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/\u200b/g, '');

describe('compactKatexHtml', () => {
  it('the classes it unwraps are selected by no rule of KaTeX\'s stylesheet', () => {
    const css = readFileSync(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'), 'utf8').replace(/@font-face\{[^}]*\}/g, '');
    const selectors = css.replace(/\{[^}]*\}/g, ',');
    for (const name of INERT_CLASSES) expect(selectors, name).not.toMatch(new RegExp(`\\.${name}(?![\\w-])`));
  });

  it('keeps every glyph, in order, with far fewer boxes and no tables', () => {
    let before = 0, after = 0;
    for (const tex of EXPRESSIONS) {
      const raw = render(tex);
      const compact = compactKatexHtml(raw);
      expect(text(compact), tex).toBe(text(raw));
      expect(compact, tex).not.toMatch(/vlist-t|vlist-r|vlist-s|katex-html/);
      expect(compact, tex).toMatch(/^<span class="katex"[ >]/);
      expect((compact.match(/<span\b/g) ?? []).length).toBe((compact.match(/<\/span>/g) ?? []).length);
      before += spans(raw);
      after += spans(compact);
    }
    expect(after).toBeLessThan(before * 0.7);
  });

  it('lowers a stacked box by its pstrut, keeping the children as KaTeX placed them', () => {
    const compact = compactKatexHtml(render('h_{1}^{2}'));
    expect(compact).toMatch(/<span class="vlx" style="vertical-align:-2\.7em"><span style="top:-2\.4519em;[^"]*"><span class="pstrut" style="height:2\.7em;"><\/span>/);
  });

  it('sets a lone sub- or superscript inline, lowered or raised as KaTeX placed it, and a formula of plain text as text', () => {
    // the script's own sizing span (0.7 em) takes the shift and margins, converted to its em
    expect(compactKatexHtml(render('h_{1}'))).toBe('<span class="katex" style="white-space:nowrap"><span class="mord mathnormal">h</span>'
      + '<span class="katex-sizing reset-size6 size3 mtight" style="vertical-align:-0.214286em;line-height:0;margin-left:0em;margin-right:0.071429em">1</span></span>');
    expect(compactKatexHtml(render('h^{2}'))).toMatch(/<span class="katex-sizing reset-size6 size3 mtight" style="vertical-align:0\.518571em;line-height:0;margin-right:0\.071429em">2<\/span>/);
    expect(sizingFactor(['katex-sizing', 'reset-size6', 'size3', 'mtight'])).toBe(0.7);
    expect(sizingFactor(['katex-sizing', 'reset-size3', 'size1'])).toBeCloseTo(0.5 / 0.7, 9);
    // a script's own script stays stacked
    expect(compactKatexHtml(render('\\mathbf{e}_{y_t}'))).toMatch(/<span class="msupsub"><span class="vlx"/);
    expect(compactKatexHtml(render('='))).toBe('<span class="katex">=</span>');
    expect(compactKatexHtml(render('\\approx'))).toBe('<span class="katex">\u2248</span>');
    expect(compactKatexHtml(render('\\Big) ='))).toContain('katex-strut'); // taller than a line: keeps its strut
    expect(compactKatexHtml(render('\\tanh'))).toBe('<span class="katex" style="white-space:nowrap">tanh</span>');
    // within the line: (1 reaches 0.75 em up and 0.25 em down, its strut goes
    expect(compactKatexHtml(render('(1'))).toBe('<span class="katex" style="white-space:nowrap">(1</span>');
  });

  it('puts the spaces around an operator on the operator as margins', () => {
    const compact = compactKatexHtml(render('a + b'));
    expect(compact).toContain('<span style="margin-left:0.2222em;margin-right:0.2222em">+</span>');
    expect(compact).not.toContain('mspace');
    const fraction = compactKatexHtml(render('\\frac{1}{3}'));
    expect(fraction).toContain('<span class="mfrac" style="margin:0 0.12em">');
    expect(fraction).not.toContain('nulldelimiter');
  });

  it('leaves display-mode output alone', () => {
    const raw = render('x_1', true);
    expect(compactKatexHtml(raw)).toBe(raw);
  });
});
