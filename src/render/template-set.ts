import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { RnnExamError } from '../errors.ts';
import { katexStylesheet } from './katex-css.ts';
import { escapeHtml, mathLinesHtml, mathRowHtml, richTextHtml, tokensHtml } from './math-html.ts';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const DOCUMENTS = {
  questionPaper: 'question-paper.hbs',
  answerBooklet: 'answer-booklet.hbs',
  workedSolution: 'worked-solution.hbs',
  markingKey: 'marking-key.hbs',
  cohortMarkingKey: 'cohort-marking-key.hbs',
  pageHeader: 'page-header.hbs',
  pageFooter: 'page-footer.hbs',
} as const;
export type TemplateName = keyof typeof DOCUMENTS;

export interface TemplateSet {
  render(name: TemplateName, view: object): string;
  /** KaTeX's stylesheet (fonts inlined) followed by templates/styles/*.css */
  css: string;
  dir: string;
  /** sha256 of every template, partial and style file read (names and contents): a resume remakes papers when it changes */
  sourceSha256: string;
}

/** Display-only helpers: they turn view-model values into HTML, never compute answers. */
const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  math: (lines) => new Handlebars.SafeString(mathLinesHtml(lines ?? [])),
  mathRow: (lines) => new Handlebars.SafeString(mathRowHtml(lines ?? [])),
  tokens: (tokens) => new Handlebars.SafeString(tokensHtml(Array.isArray(tokens) ? tokens : [tokens])),
  rich: (text) => new Handlebars.SafeString(richTextHtml(String(text ?? ''))),
  plural: (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`,
  eq: (a, b) => a === b,
};
const BUILT_IN = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'blockHelperMissing', 'helperMissing']);

/**
 * Loads and compiles every template once per batch. Syntax errors and unknown helpers are
 * found here, with file and line, rather than halfway through a roster.
 */
export async function loadTemplates(dir = DEFAULT_TEMPLATES_DIR): Promise<TemplateSet> {
  const hbs = Handlebars.create();
  hbs.registerHelper(HELPERS);
  const problems: RnnExamError['problems'] = [];
  const sources = createHash('sha256');
  const read = async (file: string) => {
    try {
      const source = await readFile(join(dir, file), 'utf8');
      sources.update(`${file}\u0000${source.length}\u0000${source}`);
      return source;
    } catch {
      problems.push({ where: join(dir, file), what: 'template missing or unreadable', fix: `restore it from the rnn-exam package's templates/ folder` });
      return '';
    }
  };
  const check = (file: string, source: string) => {
    try {
      findUnknownHelpers(hbs.parse(source), hbs, join(dir, file), problems);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      const lineNumber = /line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber;
      problems.push({ where: `${join(dir, file)}${lineNumber ? ` line ${lineNumber}` : ''}`, what: `Handlebars syntax error: ${message.split('\n')[0]}`, fix: 'correct the template syntax there' });
      return false;
    }
  };

  const partialFiles = (await readdir(join(dir, 'partials')).catch(() => [])).filter((f) => f.endsWith('.hbs')).sort();
  for (const file of partialFiles) {
    const source = await read(join('partials', file));
    if (check(join('partials', file), source)) hbs.registerPartial(basename(file, '.hbs'), blamedOn(hbs.compile(source, COMPILE_OPTIONS), join(dir, 'partials', file)));
  }
  const compiled = {} as Record<TemplateName, Handlebars.TemplateDelegate>;
  for (const [name, file] of Object.entries(DOCUMENTS) as Array<[TemplateName, string]>) {
    const source = await read(file);
    if (check(file, source)) compiled[name] = hbs.compile(source, COMPILE_OPTIONS);
  }
  const styleFiles = (await readdir(join(dir, 'styles')).catch(() => [])).filter((f) => f.endsWith('.css')).sort();
  const styles: string[] = [];
  for (const f of styleFiles) styles.push(await read(join('styles', f))); // in order: the hash must not depend on timing
  if (problems.length > 0) throw new RnnExamError(problems);

  const css = `${katexStylesheet()}\n${styles.join('\n')}`;
  return {
    css,
    dir,
    sourceSha256: sources.digest('hex'),
    render(name, view) {
      try {
        return compiled[name](view, { data: { css } });
      } catch (error) {
        throw templateError(error, join(dir, DOCUMENTS[name]));
      }
    },
  };
}

const COMPILE_OPTIONS = { strict: true, preventIndent: true };

/** A failure while rendering, blamed on the file it happened in (a partial, not the document that used it). */
function templateError(error: unknown, file: string): RnnExamError {
  if (error instanceof RnnExamError) return error;
  const message = (error as Error).message;
  const at = / - (\d+):\d+$/.exec(message);
  return new RnnExamError({ where: `${file}${at ? ` line ${at[1]}` : ''}`, what: `template failed: ${message.replace(/ - \d+:\d+$/, '').replace(/ in (\[object Object\]|undefined)$/, '')}`, fix: 'check the names used in the template against the view model (see the README\'s templates section)' });
}

/** A compiled partial whose errors name its own file; the document's catch passes them on unchanged. */
function blamedOn(partial: Handlebars.TemplateDelegate, file: string): Handlebars.TemplateDelegate {
  return (context, options) => {
    try {
      return partial(context, options);
    } catch (error) {
      throw templateError(error, file);
    }
  };
}

type Node = { type: string; path?: { original?: string }; params?: Node[]; hash?: { pairs: Array<{ value: Node }> }; program?: { body: Node[] }; inverse?: { body: Node[] }; loc?: { start: { line: number } }; body?: Node[] };

function findUnknownHelpers(node: Node, hbs: typeof Handlebars, file: string, problems: RnnExamError['problems']): void {
  const isCall = (node.type === 'MustacheStatement' || node.type === 'SubExpression' || node.type === 'BlockStatement') &&
    ((node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'BlockStatement');
  const name = node.path?.original;
  if (isCall && name && !name.includes('.') && !name.startsWith('@') && !BUILT_IN.has(name) && !(name in hbs.helpers)) {
    if (node.type !== 'BlockStatement' || (node.params?.length ?? 0) > 0) {
      problems.push({ where: `${file} line ${node.loc?.start.line ?? '?'}`, what: `unknown helper '${escapeHtml(name)}'`, fix: `use one of ${[...Object.keys(HELPERS), ...BUILT_IN].filter((h) => !h.endsWith('Missing')).join(', ')}` });
    }
  }
  for (const child of [...(node.body ?? []), ...(node.params ?? []), ...(node.hash?.pairs.map((p) => p.value) ?? []), ...(node.program?.body ?? []), ...(node.inverse?.body ?? [])]) {
    findUnknownHelpers(child, hbs, file, problems);
  }
}
