import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * KaTeX's HTML with the same look and about half the boxes.
 *
 * Chromium's cost per printed page grows with the number of boxes it lays out and prints, and
 * KaTeX's output is box-heavy: `h_{1}` is 19 spans, and a worked solution holds ~250 formulas.
 * These rewrites keep every glyph where it was (a print test compares pixels formula by formula):
 *
 * - a `vlist-t` (an inline-table of rows, cells and a 2px spacer, KaTeX's way to stack
 *   sub/superscripts, fractions and accents) becomes one inline-block, `.vlx`, holding the same
 *   positioned children. A table's baseline is the bottom of its first row, where the children
 *   sit; the inline-block's is the baseline of its children's line, a pstrut (P em) below its
 *   top, so the block is lowered by P em to put the children exactly where the table had them
 *   (a one-cell grid of the children alone has fewer boxes but prints ~8% slower);
 * - a lone sub- or superscript is set inline, lowered or raised by the same amount;
 * - spans that only carry classes no CSS rule mentions (mord, mbin, mrel, mtight, …) and no
 *   style are unwrapped, except directly inside a stacked child, where KaTeX's CSS makes each
 *   child an inline-block; the `katex-html` wrapper goes too (it only matters in display mode);
 * - the spaces around an operator and a fraction's null delimiters become margins;
 * - a strut that fits inside its line goes, and so does the base of a one-base formula without one.
 *
 * Runs once per distinct TeX string (the result is cached with the typeset HTML).
 */
export const COMPACT_KATEX_CSS = '.katex .vlx{display:inline-block}' +
  '.katex .vlx>span{display:block;height:0;position:relative}' +
  '.katex .vlx>span>span{display:inline-block}' +
  '.katex .vlx>span>.pstrut{overflow:hidden;width:0}' +
  '.katex .katex-accent>.vlx,.katex .op-limits>.vlx,.katex .mtable .col-align-c>.vlx{text-align:center}' +
  '.katex .mtable .col-align-l>.vlx{text-align:left}' +
  '.katex .mtable .col-align-r>.vlx{text-align:right}';

/** Classes of KaTeX 0.19's output that no rule of katex.css selects (checked by a test against the stylesheet). */
export const INERT_CLASSES = new Set(['mord', 'mrel', 'mbin', 'mopen', 'mclose', 'mpunct', 'minner', 'mop', 'mtight', 'text']);

interface Element { open: string; classes: string[]; hasOtherAttributes: boolean; children: Node[] }
type Node = Element | string;

export function compactKatexHtml(html: string): string {
  // Display mode styles .katex-display>.katex>.katex-html: leave such output as it is.
  if (html.startsWith('<span class="katex-display"')) return html;
  return serialize(compactChildren(parse(html), false).map(unwrapBase));
}

/**
 * A base's strut (an empty inline-block, KaTeX's way to give every line of math its full height
 * and depth) changes nothing when it fits inside the base's own line: with KaTeX_Main at line
 * height 1.2, that line reaches 0.909 em above the baseline and 0.291 em below (measured in
 * Chromium), whatever else the line holds. Most bases without a fraction or a tall delimiter.
 */
const LINE_ASCENT_EM = 0.9;
const LINE_DESCENT_EM = 0.28;

function strutWithinLine(strut: Element): boolean {
  const height = Number(/height:([\d.]+)em/.exec(strut.open)?.[1] ?? Infinity);
  const depth = -Number(/vertical-align:(-?[\d.]+)em/.exec(strut.open)?.[1] ?? 0);
  // its box: `height` tall in all, lowered by `depth`, so it reaches height - depth above the baseline
  return strut.children.length === 0 && height - depth <= LINE_ASCENT_EM && depth <= LINE_DESCENT_EM;
}

/**
 * A formula of one base without a strut needs no base: that inline-block holds one line whose
 * boxes reach no further than the formula's own inline box. Its content goes straight into the
 * formula's span, kept from wrapping as the base kept it (`tanh`, `h_{1}`); one character
 * (`=`, `+`) cannot wrap anyway.
 */
function unwrapBase(node: Node): Node {
  if (typeof node === 'string' || node.open !== '<span class="katex">' || node.children.length !== 1) return node;
  const [base] = node.children;
  if (typeof base === 'string' || base.open !== '<span class="katex-base">' || base.children.length === 0) return node;
  if (base.children.some((c) => typeof c !== 'string' && c.classes.includes('katex-strut'))) return node;
  const oneCharacter = base.children.every((c) => typeof c === 'string') && [...base.children.join('')].length === 1;
  return { ...node, open: oneCharacter ? node.open : '<span class="katex" style="white-space:nowrap">', children: base.children };
}

function parse(html: string): Node[] {
  const root: Element = { open: '', classes: [], hasOtherAttributes: true, children: [] };
  const stack = [root];
  for (const [token] of html.matchAll(/<span\b[^>]*>|<\/span>|<svg\b[\s\S]*?<\/svg>|[^<]+|<[^>]*>/g)) {
    const top = stack[stack.length - 1];
    if (token.startsWith('<span')) {
      const classes = /\sclass="([^"]*)"/.exec(token)?.[1].split(' ').filter(Boolean) ?? [];
      const element: Element = { open: token, classes, hasOtherAttributes: /\s(?!class=)[a-z-]+=/.test(token), children: [] };
      top.children.push(element);
      stack.push(element);
    } else if (token === '</span>') {
      if (stack.length === 1) throw new Error('compactKatexHtml: unbalanced </span>');
      stack.pop();
    } else top.children.push(token); // text, or markup kept whole (svg)
  }
  if (stack.length !== 1) throw new Error('compactKatexHtml: unclosed <span>');
  return root.children;
}

/** `inScript`: below a sub/superscript, where scripts stay stacked (flattened, a script's own scripts moved by subpixels). */
function compactChildren(nodes: Node[], insideStackedChild: boolean, inScript = false): Node[] {
  const compacted = nodes.flatMap((node) => (typeof node === 'string' ? [node] : compactElement(node, insideStackedChild, inScript)));
  return insideStackedChild ? compacted : spacedText(compacted);
}

/** KaTeX's space around an operator: an empty inline-block whose only effect is its right margin. */
function spaceWidth(node: Node | undefined): string | undefined {
  if (node === undefined || typeof node === 'string' || node.children.length > 0) return undefined;
  return /^<span class="mspace" style="margin-right:(-?[\d.]+em);">$/.exec(node.open)?.[1];
}

/**
 * space, text, space (a binary operator or relation: `+`, `=`, `⊙`) becomes the text in one span
 * with those margins, and a fraction's empty null delimiters become its margins: the same
 * advance on either side, fewer boxes.
 */
function spacedText(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const [before, middle, after] = [nodes[i], nodes[i + 1], nodes[i + 2]];
    if (spaceWidth(before) !== undefined && spaceWidth(after) !== undefined && typeof middle === 'string') {
      out.push({ open: `<span style="margin-left:${spaceWidth(before)};margin-right:${spaceWidth(after)}">`, classes: [], hasOtherAttributes: true, children: [middle] });
      i += 2;
    } else if (isEmpty(before, '<span class="mopen nulldelimiter">') && isEmpty(after, '<span class="mclose nulldelimiter">') && typeof middle !== 'string' && middle?.open === '<span class="mfrac">') {
      // a fraction's null delimiters: empty inline-blocks .12em wide on either side
      out.push({ ...middle, open: '<span class="mfrac" style="margin:0 0.12em">' });
      i += 2;
    } else out.push(nodes[i]);
  }
  return out;
}

function isEmpty(node: Node | undefined, open: string): boolean {
  return node !== undefined && typeof node !== 'string' && node.open === open && node.children.length === 0;
}

function compactElement(element: Element, insideStackedChild: boolean, inScript: boolean): Node[] {
  // The children of a stacked child (pstrut first) are inline-blocks by KaTeX's CSS: keep them as they are.
  const box = element.classes.includes('vlist-t') ? stackedBox(element, inScript) : undefined;
  if (box) return [box];
  if (element.classes.includes('katex-strut') && strutWithinLine(element)) return [];
  const script = !insideStackedChild && !inScript && element.classes.length === 1 && element.classes[0] === 'msupsub' && !element.hasOtherAttributes ? singleScript(element) : undefined;
  if (script) return [script];
  const stackedChild = element.children.some((c) => typeof c !== 'string' && c.classes.includes('pstrut'));
  const children = compactChildren(element.children, stackedChild, inScript || element.classes.includes('msupsub'));
  const inert = !element.hasOtherAttributes && element.classes.every((c) => INERT_CLASSES.has(c));
  if (!insideStackedChild && (inert || (element.classes.length === 1 && element.classes[0] === 'katex-html'))) return children;
  return [{ ...element, children }];
}

/** vlist-t > vlist-r > vlist > children  →  vlx > children, lowered by the pstrut height. */
function stackedBox(table: Element, inScript: boolean): Element | undefined {
  const row = table.children[0];
  const cell = typeof row === 'string' ? undefined : row.children[0];
  if (!cell || typeof cell === 'string' || !cell.classes.includes('vlist')) return undefined;
  const stacked = cell.children.filter((c): c is Element => typeof c !== 'string');
  const strut = stacked.flatMap((c) => c.children).find((c): c is Element => typeof c !== 'string' && c.classes.includes('pstrut'));
  const height = strut ? /height:(-?[\d.]+)em/.exec(strut.open)?.[1] : '0';
  if (height === undefined || stacked.length !== cell.children.length) return undefined;
  return { open: `<span class="vlx" style="vertical-align:-${height}em">`, classes: ['vlx'], hasOtherAttributes: true, children: compactChildren(stacked, false, inScript) };
}

/**
 * A lone subscript or superscript, msupsub > vlist (one child: pstrut + script), becomes one
 * inline span lowered by the same amount. A stacked child's baseline lies its pstrut's height P
 * below its top, and KaTeX sets top = -P + shift, so the script sits `shift` em below the
 * baseline. Line height 0, like the stacked box it replaces, so it never makes a line taller.
 */
function singleScript(msupsub: Element): Element | undefined {
  const [box] = compactChildren(msupsub.children, false, true);
  if (msupsub.children.length !== 1 || typeof box === 'string' || !box.classes.includes('vlx') || box.children.length !== 1) return undefined;
  const child = box.children[0];
  if (typeof child === 'string' || child.classes.length > 0 || child.children.length !== 2) return undefined;
  const [strut, script] = child.children;
  if (typeof strut === 'string' || !strut.classes.includes('pstrut') || typeof script === 'string') return undefined;
  const height = /height:(-?[\d.]+)em/.exec(strut.open)?.[1];
  const style = /\sstyle="([^"]*)"/.exec(child.open)?.[1] ?? '';
  const top = /^top:(-?[\d.]+)em;?/.exec(style);
  if (height === undefined || !top) return undefined;
  const lowered = Number((Number(height) + Number(top[1])).toFixed(4));
  const rest = style.slice(top[0].length);
  const factor = script.hasOtherAttributes ? undefined : sizingFactor(script.classes);
  const margins = [...rest.matchAll(/(margin-(?:left|right)):(-?[\d.]+)em;/g)];
  if (factor !== undefined && margins.map((m) => m[0]).join('') === rest) {
    // The script's own sizing span takes the shift and margins, in its own (smaller) em: one span.
    const own = (em: number) => `${Number((em / factor).toFixed(6))}em`;
    const style = [`vertical-align:${own(-lowered)}`, 'line-height:0', ...margins.map((m) => `${m[1]}:${own(Number(m[2]))}`)].join(';');
    return { ...script, open: `<span class="${script.classes.join(' ')}" style="${style}">`, hasOtherAttributes: true };
  }
  return { open: `<span style="vertical-align:${-lowered}em;line-height:0;${rest}">`, classes: [], hasOtherAttributes: true, children: [script] };
}

let sizingFactors: Map<string, number> | undefined;

/** The font-size factor KaTeX's stylesheet gives a `katex-sizing reset-sizeN sizeM` span. */
export function sizingFactor(classes: string[]): number | undefined {
  const reset = classes.find((c) => /^reset-size\d+$/.test(c));
  const size = classes.find((c) => /^size\d+$/.test(c));
  if (!classes.includes('katex-sizing') || !reset || !size) return undefined;
  sizingFactors ??= new Map([...readFileSync(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'), 'utf8')
    .matchAll(/\.katex \.katex-sizing\.(reset-size\d+)\.(size\d+)\{font-size:([\d.]+)em\}/g)].map((m) => [`${m[1]} ${m[2]}`, Number(m[3])]));
  return sizingFactors.get(`${reset} ${size}`);
}

function serialize(nodes: Node[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : `${n.open}${serialize(n.children)}</span>`)).join('');
}
