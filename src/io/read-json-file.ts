import { readFile } from 'node:fs/promises';
import { RnnExamError } from '../errors.ts';
import { jsonErrorOffset } from './json-error-position.ts';

/** Reads and parses a JSON file; unreadable files and syntax errors name the file, line and column. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  return parseJsonText(text, path);
}

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' :
      code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new RnnExamError({ where: path, what, fix: 'check the path and that you may read the file' }, { cause: error });
  }
}

export function parseJsonText(text: string, path: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
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
