import type { PrintDocument } from '../../print/pdf-printer.ts';
import { fontFaceCss, type KnownText } from './font-css.ts';

/**
 * A rendered document with the bundled fonts it uses inlined: in the page's head, and in the
 * running header and footer, which Chromium draws in a context of their own where the page's
 * fonts do not apply (an @font-face inside the template does). Pure: the same document always
 * gets the same rules, whatever else is printed in the batch.
 */
export function withBundledFonts(doc: PrintDocument, known?: KnownText): PrintDocument {
  const margins = doc.headerHtml + doc.footerHtml;
  const headEnd = doc.html.indexOf('</head>');
  const marginBold = /<(b|strong|h\d)\b|font-weight/i.test(margins);
  const pageFonts = `<style>${fontFaceCss(doc.html, { sans: false }, known)}\n${fontFaceCss(margins, { serif: false, italic: false, bold: marginBold })}</style>`;
  const marginText = margins.replace(/<style>[\s\S]*?<\/style>/g, '');
  const warm = `<div aria-hidden="true" style="position:absolute;top:0;left:0;width:0;height:0;overflow:hidden;visibility:hidden;white-space:nowrap;font-family:'rnn-exam sans','rnn-exam fallback'">${marginText}<b>${marginText}</b></div>`;
  // One concatenation: the document is ~0.5 MB, and every intermediate string would be copied again.
  const html = doc.html;
  const fontsAt = headEnd < 0 ? 0 : headEnd;
  const bodyEnd = html.lastIndexOf('</body>');
  const warmAt = bodyEnd < fontsAt ? html.length : bodyEnd;
  return {
    ...doc,
    html: html.slice(0, fontsAt) + pageFonts + html.slice(fontsAt, warmAt) + warm + html.slice(warmAt),
    headerHtml: withTemplateFonts(doc.headerHtml),
    footerHtml: withTemplateFonts(doc.footerHtml),
  };
}

function withTemplateFonts(template: string): string {
  if (!template.trim()) return template;
  // Chromium draws the header and footer anew on every page, decoding their fonts each time: only the faces used.
  const bold = /<(b|strong|h\d)\b|font-weight/i.test(template);
  return `<style>${fontFaceCss(template, { serif: false, italic: false, bold })}</style>${template}`;
}
