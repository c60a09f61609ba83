import { readFile, stat } from 'node:fs/promises';
import { RnnExamError } from '../errors.ts';
import { jsonErrorOffset } from './json-error-position.ts';

/** Reads and parses a JSON file; unreadable files and syntax errors name the file, line and column. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  return parseJsonText(text, path);
}

/**
 * A file's text. `maxBytes` bounds what is read for inputs that are small by nature (an
 * answers file is a few lines): a 50 MB one is refused before it is read, not parsed into
 * millions of problems.
 */
export async function readTextFile(path: string, maxBytes?: number): Promise<string> {
  try {
    if (maxBytes !== undefined) {
      const { size } = await stat(path);
      if (size > maxBytes) {
        throw new RnnExamError({ where: path, what: `the file is ${formatBytes(size)}, far more than this kind of file holds (at most ${formatBytes(maxBytes)})`, fix: 'check that this is the right file' });
      }
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof RnnExamError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' :
      code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new RnnExamError({ where: path, what, fix: 'check the path and that you may read the file' }, { cause: error });
  }
}

const formatBytes = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} kB`);

/** Deeper than any config, params or answers file; keeps every recursive walk of the value (and JSON.stringify) safe. */
const MAX_JSON_DEPTH = 64;

/** Where the nesting first gets deeper than MAX_JSON_DEPTH, found without recursion; undefined when it never does. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (ch === ']' || ch === '}') depth--;
  }
  return undefined;
}

export function parseJsonText(text: string, path: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  const deep = tooDeepAt(body);
  if (deep !== undefined) {
    const before = body.slice(0, deep).split('\n');
    throw new RnnExamError({
      where: `${path} line ${before.length} column ${before[before.length - 1].length + 1}`,
      what: `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep here`,
      fix: 'check that this is the right file: no rnn-exam file nests more than a few levels',
    });
  }
  try {
    return JSON.parse(body);
  } catch {
    const offset = jsonErrorOffset(body) ?? 0;
    const before = body.slice(0, offset).split('\n');
    const found = offset < body.length ? `unexpected ${JSON.stringify(body[offset])}` : 'the text ends too early';
    throw new RnnExamError({
      where: `${path} line ${before.length} column ${before[before.length - 1].length + 1}`,
      what: `invalid JSON: ${found}`,
      fix: 'correct the JSON syntax there (a missing or extra comma, quote or bracket is usual)',
    });
  }
}
