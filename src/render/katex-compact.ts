/**
 * KaTeX's HTML with the same look and about half the boxes.
 *
 * Chromium's cost per printed page grows with the number of boxes it lays out, and KaTeX's
 * output is box-heavy: `h_{1}` alone is ~19 spans, and a worked solution holds ~250 formulas.
 * Two rewrites keep every glyph where it was (the print tests compare pages as pixels):
 *
 * - a `vlist-t` (an inline-table of rows, cells and a 2px spacer, KaTeX's way to stack
 *   sub/superscripts and fractions) becomes one inline-block, `.vlx`, holding the same
 *   positioned children. A table's baseline is the bottom of its first row, where the children
 *   sit; the inline-block's is the baseline of its children's line, a pstrut (P em) below its
 *   top, so the block is lowered by P em to put the children exactly where the table had them;
 * - spans that only carry classes no CSS rule mentions (mord, mbin, mrel, mtight, …) and no
 *   style are unwrapped, except directly inside a stacked child, where KaTeX's CSS makes each
 *   child an inline-block; the `katex-html` wrapper goes too (it only matters in display mode).
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
  return serialize(compactChildren(parse(html), false).map(plainTextFormula));
}

/**
 * A formula that is one run of KaTeX_Main text (`=`, `+`, `\approx`, `tanh`) needs neither its
 * base (an inline-block around one line of the same text) nor its strut (no taller than that
 * line): `<span class="katex">=</span>` lays out the same.
 */
function plainTextFormula(node: Node): Node {
  if (typeof node === 'string' || node.open !== '<span class="katex">' || node.children.length !== 1) return node;
  const [base] = node.children;
  if (typeof base === 'string' || base.open !== '<span class="katex-base">') return node;
  const [strut, ...text] = base.children;
  if (typeof strut === 'string' || !strut.classes.includes('katex-strut') || text.length === 0 || !text.every((t) => typeof t === 'string')) return node;
  const height = Number(/height:([\d.]+)em/.exec(strut.open)?.[1] ?? Infinity);
  const depth = -Number(/vertical-align:(-?[\d.]+)em/.exec(strut.open)?.[1] ?? 0);
  return height <= 0.75 && depth <= 0.25 ? { ...node, children: text } : node;
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
  return nodes.flatMap((node) => (typeof node === 'string' ? [node] : compactElement(node, insideStackedChild, inScript)));
}

function compactElement(element: Element, insideStackedChild: boolean, inScript: boolean): Node[] {
  // The children of a stacked child (pstrut first) are inline-blocks by KaTeX's CSS: keep them as they are.
  const box = element.classes.includes('vlist-t') ? stackedBox(element, inScript) : undefined;
  if (box) return [box];
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
  return { open: `<span style="vertical-align:${-lowered}em;line-height:0;${rest}">`, classes: [], hasOtherAttributes: true, children: [script] };
}

function serialize(nodes: Node[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : `${n.open}${serialize(n.children)}</span>`)).join('');
}
