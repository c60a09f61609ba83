import type { Page } from 'puppeteer-core';

/**
 * Loading a document into a reused page by swapping its body, not by page.setContent.
 *
 * Every exam document carries the same ~370 KB head (KaTeX's stylesheet with its fonts
 * inlined). Parsing that stylesheet and decoding its fonts again for every document was about
 * a sixth of Chromium's work per PDF. So a page is loaded once with the head and an empty body
 * (the "shell"); each document then only replaces the title, the body's attributes and the
 * body's content. The PDF bytes are the same as after setContent of the whole document (the
 * print tests compare them). A document that cannot be split safely is loaded whole.
 */
export interface SplitDocument {
  /** the head with an empty body: what the page is loaded with once */
  shell: string;
  /** the head without the title's text: documents with equal keys share a shell */
  shellKey: string;
  /** the title's raw (still entity-encoded) text, or undefined without a <title> */
  title?: string;
  bodyAttributes: Array<[string, string]>;
  body: string;
}

const BODY_OPEN = /^\s*<body((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"&<>]*")?)*)\s*>/i;
const DOCUMENT_END = /<\/body>\s*<\/html>\s*$/i;
const ATTRIBUTE = /([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"]*)")?/g;
/** Markup whose meaning in a full parse differs from a body fragment's (it would touch html/head). */
const NOT_IN_FRAGMENT = /<\/?(?:html|head|body|frameset)\b|<!doctype/i;

/**
 * Splits a complete HTML document into shell and body, or undefined when that could change its
 * meaning. indexOf, not one big regex: the head is ~370 KB of CSS, and this runs per document.
 */
export function splitDocument(html: string): SplitDocument | undefined {
  const headEnd = html.indexOf('</head>');
  const bodyOpen = headEnd < 0 ? null : BODY_OPEN.exec(html.slice(headEnd + 7, headEnd + 7 + 500));
  const tail = Math.max(0, html.length - 100);
  const end = DOCUMENT_END.exec(html.slice(tail));
  if (!bodyOpen || !end) return undefined;
  const bodyStart = headEnd + 7 + bodyOpen.index + bodyOpen[0].length;
  if (tail + end.index < bodyStart) return undefined;
  const head = html.slice(0, bodyStart - bodyOpen[0].trimStart().length);
  const body = html.slice(bodyStart, tail + end.index);
  if (NOT_IN_FRAGMENT.test(body)) return undefined;
  const titleStart = head.indexOf('<title>');
  const titleEnd = head.indexOf('</title>', titleStart);
  if (titleStart >= 0 && (titleEnd < 0 || head.indexOf('<title>', titleEnd) >= 0)) return undefined;
  return {
    shell: `${head}<body></body></html>`,
    shellKey: titleStart < 0 ? head : head.slice(0, titleStart + 7) + head.slice(titleEnd),
    title: titleStart < 0 ? undefined : head.slice(titleStart + 7, titleEnd),
    bodyAttributes: [...bodyOpen[1].matchAll(ATTRIBUTE)].map((m) => [m[1], m[2] ?? '']),
    body,
  };
}

/**
 * The DevTools expression that swaps the document in. Setting a <title>'s innerHTML parses
 * it as RCDATA, exactly as the full document's parser does (entities decoded, no tags).
 * It resolves once the fonts the new body needs are loaded.
 */
export function swapExpression(doc: SplitDocument): string {
  return `(() => {
    const title = document.querySelector('title');
    if (title) title.innerHTML = ${JSON.stringify(doc.title ?? '')};
    const body = document.body;
    for (const name of body.getAttributeNames()) body.removeAttribute(name);
    for (const [name, value] of ${JSON.stringify(doc.bodyAttributes)}) body.setAttribute(name, value);
    body.innerHTML = ${JSON.stringify(doc.body)};
    return document.fonts.ready.then(() => true);
  })()`;
}

const shells = new WeakMap<Page, string>();

/**
 * Bundled faces (ours and KaTeX's, always data: URLs) that failed to load. With no system fonts
 * at all (an empty fontconfig), Chromium now and then fails to load a page's first web font, and
 * its text is then not drawn at all; loading the document again loads it. A document's own
 * outside fonts are blocked on purpose and not counted.
 */
const FAILED_FONTS = `document.fonts.ready.then(() => [...document.fonts].filter((f) => f.status === 'error' && /^(rnn-exam |KaTeX_)/.test(f.family.replace(/^["']/, ''))).map((f) => f.family + ' ' + f.weight + ' ' + f.style))`;
const FONT_LOAD_ATTEMPTS = 4;

/** Puts `html` into `page`, reusing the page's shell when the head is the same; fonts are ready after. */
export async function loadDocument(page: Page, html: string, timeout: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await loadOnce(page, html, timeout);
    const failed = await page.evaluate(FAILED_FONTS) as string[];
    if (failed.length === 0) return;
    shells.delete(page); // the next attempt loads the whole head again
    if (attempt === FONT_LOAD_ATTEMPTS) throw new Error(`fonts failed to load (${failed.join(', ')})`);
  }
}

async function loadOnce(page: Page, html: string, timeout: number): Promise<void> {
  const doc = splitDocument(html);
  if (!doc) {
    shells.delete(page);
    await page.setContent(html, { waitUntil: 'load', timeout });
    return;
  }
  if (shells.get(page) !== doc.shellKey) {
    shells.delete(page); // until the shell is in, a failure must not leave a stale key
    await page.setContent(doc.shell, { waitUntil: 'load', timeout });
    shells.set(page, doc.shellKey);
  }
  await page.evaluate(swapExpression(doc));
}
