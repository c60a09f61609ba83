/**
 * A student's final answers as typed up by a tutor: JSON `{"3.4": [..], "3.3": {"L": 2.01}}`
 * or CSV `part,quantity,value`. Parts are named by number ("3.4") or id ("hiddenGradient");
 * quantities by the names of final-answers.ts ("h_0", "L", "dL/dV"). Every problem is
 * collected with its path and the expected shape, so one run shows everything to fix.
 */
import { extname } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { RnnExamError, type Problem } from '../errors.ts';
import { parseJsonText } from '../io/read-json-file.ts';
import type { AnswerPart, PartId, Quantity } from '../solution/final-answers.ts';

import type { AnswerValue, GivenAnswers } from '../marking/answers.ts';

export type { AnswerValue, GivenAnswers } from '../marking/answers.ts';

/** What one quantity should look like, for checks and messages. */
export function shapeOf(value: Quantity['value']): string {
  if (typeof value === 'number') return 'a number';
  if (typeof value[0] === 'number') return `a vector of ${value.length} numbers`;
  const rows = value as number[][];
  return `a ${rows.length}×${rows[0].length} matrix (an array of ${rows.length} rows of ${rows[0].length} numbers)`;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number, or a numeric string as typed from a PDF (U+2212 minus allowed); undefined otherwise. */
function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().replace(/\u2212/g, '-');
  const value = Number(text);
  // "1e999" is a number to the pattern but Infinity to Number(): not an answer anyone wrote.
  return NUMBER_TEXT.test(text) && Number.isFinite(value) ? value : undefined;
}

function toVector(raw: unknown, length: number): number[] | undefined {
  if (!Array.isArray(raw) || raw.length !== length) return undefined;
  // A column vector typed as [[a], [b], [c]] is the same vector.
  const cells = raw.map((x) => (Array.isArray(x) && x.length === 1 ? x[0] : x)).map(toNumber);
  return cells.every((x) => x !== undefined) ? (cells as number[]) : undefined;
}

/** The given value in the shape of `expected`, or undefined when it has another shape. */
export function coerceValue(raw: unknown, expected: Quantity['value']): AnswerValue | undefined {
  if (typeof expected === 'number') return toNumber(Array.isArray(raw) && raw.length === 1 ? raw[0] : raw);
  if (typeof expected[0] === 'number') return toVector(raw, expected.length);
  const rows = expected as number[][];
  // A gradient given the wrong way round (columns × rows) is kept as given: marking names it.
  return toMatrix(raw, rows.length, rows[0].length) ?? toMatrix(raw, rows[0].length, rows.length);
}

function toMatrix(raw: unknown, rows: number, cols: number): number[][] | undefined {
  if (!Array.isArray(raw) || raw.length !== rows) return undefined;
  const matrix = raw.map((row) => toVector(row, cols));
  return matrix.every((row) => row !== undefined) ? (matrix as number[][]) : undefined;
}

/** The part a key names: its number ("3.4") or id ("hiddenGradient", any case). */
function findPart(parts: AnswerPart[], key: string): AnswerPart | undefined {
  const k = key.trim();
  return parts.find((p) => p.number === k || p.id.toLowerCase() === k.toLowerCase());
}

const partList = (parts: AnswerPart[]) => parts.map((p) => `${p.number} (${p.id})`).join(', ');
const quantityList = (part: AnswerPart) => part.quantities.map((q) => q.name).join(', ');

/** Collects given values and problems while reading either format. */
class Collector {
  readonly given: GivenAnswers = new Map();
  readonly problems: Problem[] = [];

  constructor(private readonly parts: AnswerPart[]) {}

  part(key: string, where: string): AnswerPart | undefined {
    const part = findPart(this.parts, key);
    if (!part) this.problems.push({ where, what: `unknown part ${JSON.stringify(key)}`, fix: `use one of ${partList(this.parts)}` });
    return part;
  }

  quantity(part: AnswerPart, name: string, where: string): Quantity | undefined {
    const q = part.quantities.find((x) => x.name === name.trim()) ?? (name.trim() === '' && part.quantities.length === 1 ? part.quantities[0] : undefined);
    if (!q) {
      const what = name.trim() === '' ? `part ${part.number} has several quantities; name one` : `part ${part.number} has no quantity ${JSON.stringify(name)}`;
      this.problems.push({ where, what, fix: `use one of ${quantityList(part)}` });
    }
    return q;
  }

  value(part: AnswerPart, q: Quantity, raw: unknown, where: string): void {
    const value = coerceValue(raw, q.value);
    if (value === undefined) {
      this.problems.push({ where, what: `expected ${shapeOf(q.value)} for ${q.name}, found ${JSON.stringify(raw)?.slice(0, 80)}` });
      return;
    }
    const values = this.given.get(part.id) ?? new Map<string, AnswerValue>();
    if (values.has(q.name)) {
      this.problems.push({ where, what: `${q.name} of part ${part.number} is given twice`, fix: 'keep one of them' });
      return;
    }
    values.set(q.name, value);
    this.given.set(part.id, values);
  }

  result(): GivenAnswers {
    if (this.problems.length > 0) throw new RnnExamError(this.problems);
    return this.given;
  }
}

/** `{"3.1": {"h_0": [..]}, "3.4": [..]}`: a single-quantity part may be given directly. */
export function parseAnswersJson(value: unknown, path: string, parts: AnswerPart[]): GivenAnswers {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RnnExamError({ where: path, what: 'expected a JSON object of parts, e.g. {"3.4": [-0.919, -1.05, -0.116]}', fix: `use the parts ${partList(parts)} as keys` });
  }
  const c = new Collector(parts);
  for (const [key, body] of Object.entries(value)) {
    const where = `${path}: ${JSON.stringify(key)}`;
    const part = c.part(key, where);
    if (!part) continue;
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    if (!isObject) {
      if (part.quantities.length === 1) c.value(part, part.quantities[0], body, where);
      else c.problems.push({ where, what: `part ${part.number} has several quantities; give an object`, fix: `write {${part.quantities.map((q) => `"${q.name}": …`).join(', ')}}` });
      continue;
    }
    for (const [name, raw] of Object.entries(body)) {
      const q = c.quantity(part, name, `${where}.${JSON.stringify(name)}`);
      if (q) c.value(part, q, raw, `${where}.${JSON.stringify(name)}`);
    }
  }
  return c.result();
}

const CSV_HEADER = ['part', 'quantity', 'value'];

/** CSV `part,quantity,value`, one row per quantity; a vector or matrix value is a quoted JSON array. */
export function parseAnswersCsv(text: string, path: string, parts: AnswerPart[]): GivenAnswers {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const line = error instanceof CsvError ? ` line ${(error as CsvError & { lines?: number }).lines ?? '?'}` : '';
    throw new RnnExamError({ where: `${path}${line}`, what: `is not valid CSV (${(error as Error).message})`, fix: 'quote values that contain commas, e.g. "[[1,2],[3,4]]"' });
  }
  const c = new Collector(parts);
  records.forEach(({ record, info }, i) => {
    const where = `${path} line ${info.lines}`;
    if (i === 0 && record.map((x) => x.toLowerCase()).join(',') === CSV_HEADER.join(',')) return;
    if (record.length !== 3) {
      c.problems.push({ where, what: `expected 3 columns (${CSV_HEADER.join(',')}), found ${record.length}`, fix: 'quote a vector or matrix value: "[1.5,-2]"' });
      return;
    }
    const [partKey, name, valueText] = record;
    const part = c.part(partKey, where);
    const q = part && c.quantity(part, name, where);
    if (!part || !q) return;
    let raw: unknown = valueText;
    if (valueText.startsWith('[')) {
      try {
        raw = JSON.parse(valueText.replace(/\u2212/g, '-'));
      } catch {
        c.problems.push({ where, what: `the value ${JSON.stringify(valueText)} is not a JSON array`, fix: 'write it like [1.5,-2] or [[1,2],[3,4]]' });
        return;
      }
    }
    c.value(part, q, raw, where);
  });
  return c.result();
}

/** By extension (.csv / .json), else by the first character: `{` is JSON. */
export function parseAnswersText(text: string, path: string, parts: AnswerPart[]): GivenAnswers {
  const body = text.replace(/^\uFEFF/, '');
  const ext = extname(path).toLowerCase();
  const isJson = ext === '.json' || (ext !== '.csv' && body.trimStart().startsWith('{'));
  if (!isJson) return parseAnswersCsv(body, path, parts);
  return parseAnswersJson(parseJsonText(body, path), path, parts);
}
