/**
 * The typed-up answers of a whole cohort: one CSV `student_id,part,quantity,value[,paper_code]`
 * or a folder of per-student files named by student ID (JSON or CSV, as `check` reads them).
 * Nothing here is fatal but an unreadable file: every bad row is a Problem with file and line,
 * and the rest of the cohort is still marked.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { RnnExamError, type Problem } from '../errors.ts';
import { readTextFile } from '../io/read-json-file.ts';
import { coerceValue, parseAnswersText, shapeOf, type GivenAnswers } from '../pipeline/parse-answers.ts';
import type { AnswerPart } from '../solution/final-answers.ts';

/** One typed row, kept small (a cohort holds tens of thousands): the file is its source's. */
export interface AnswerRow { part: string; quantity: string; value: string; line: number }

/** One student's answers, not yet parsed: they are parsed against that student's own paper. */
export type StudentAnswerSource =
  | { kind: 'rows'; where: string; path: string; rows: AnswerRow[]; paperCode?: string }
  | { kind: 'file'; where: string; path: string };

export interface CohortAnswers {
  byStudent: Map<string, StudentAnswerSource>;
  problems: Problem[];
  /** files read, for the manifest */
  files: string[];
  /** answers came as a folder of per-student files */
  folder: boolean;
}

const REQUIRED = ['student_id', 'part', 'quantity', 'value'];
const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Calls `onRecord` per CSV record as it is parsed, never holding the parsed file. */
function eachCsvRecord(text: string, path: string, onRecord: (record: string[], line: number) => void): void {
  try {
    parse(text, {
      bom: true, skip_empty_lines: true, trim: true, relax_column_count: true,
      on_record: (record: string[], context) => { onRecord(record, context.lines); return null; },
    });
  } catch (error) {
    if (error instanceof RnnExamError) throw error;
    const line = error instanceof CsvError ? ` line ${(error as CsvError & { lines?: number }).lines ?? '?'}` : '';
    throw new RnnExamError({ where: `${path}${line}`, what: `is not valid CSV (${(error as Error).message})`, fix: 'quote values that contain commas, e.g. "[[1,2],[3,4]]"' });
  }
}

/** The one-file form: rows grouped by student, in the order students first appear. */
export function readCohortCsv(text: string, path: string): CohortAnswers {
  const problems: Problem[] = [];
  const byStudent = new Map<string, StudentAnswerSource>();
  let header: string[] | undefined;
  let cols: number[] = [];
  eachCsvRecord(text, path, (record, line) => {
    if (!header) {
      header = record.map(normalise);
      const missing = REQUIRED.filter((h) => !header!.includes(h));
      if (missing.length > 0) {
        throw new RnnExamError({ where: `${path} line ${line}`, what: `the header lacks ${missing.join(', ')} (found ${record.join(',')})`, fix: `start the file with ${REQUIRED.join(',')}[,paper_code]` });
      }
      cols = [...REQUIRED, 'paper_code'].map((h) => header!.indexOf(h));
      return;
    }
    const [id, part, quantity, value, code] = cols;
    const where = () => `${path} line ${line}`;
    if (record.length !== header.length) {
      problems.push({ where: where(), what: `expected ${header.length} columns, found ${record.length}`, fix: 'quote a vector or matrix value: "[1.5,-2]"' });
      return;
    }
    const studentId = record[id];
    if (studentId === '') { problems.push({ where: where(), what: 'no student_id' }); return; }
    let source = byStudent.get(studentId) as Extract<StudentAnswerSource, { kind: 'rows' }> | undefined;
    if (!source) byStudent.set(studentId, source = { kind: 'rows', where: where(), path, rows: [] });
    const paperCode = code >= 0 ? record[code].toUpperCase() : '';
    if (paperCode !== '') {
      if (source.paperCode !== undefined && source.paperCode !== paperCode) {
        problems.push({ where: where(), what: `student ${studentId}: paper code ${paperCode} differs from ${source.paperCode} on an earlier row`, fix: 'one student answers one paper; check the code copied from the paper' });
      }
      source.paperCode ??= paperCode;
    }
    source.rows.push({ part: record[part], quantity: record[quantity], value: record[value], line });
  });
  if (!header) throw new RnnExamError({ where: path, what: 'is empty', fix: `start with the header ${REQUIRED.join(',')}[,paper_code]` });
  return { byStudent, problems, files: [path], folder: false };
}

/** The folder form: `<student id>.json` or `.csv`; other files are listed and skipped. */
export async function readAnswersFolder(dir: string, entries: string[]): Promise<CohortAnswers> {
  const problems: Problem[] = [];
  const byStudent = new Map<string, StudentAnswerSource>();
  const files: string[] = [];
  for (const name of [...entries].sort()) {
    if (name.startsWith('.')) continue;
    const ext = extname(name).toLowerCase();
    const path = join(dir, name);
    if (ext !== '.json' && ext !== '.csv') {
      problems.push({ where: path, what: 'is not a .json or .csv answers file; skipped', fix: 'name each file <student id>.json or <student id>.csv' });
      continue;
    }
    const studentId = name.slice(0, -ext.length);
    const earlier = byStudent.get(studentId);
    if (earlier) {
      problems.push({ where: path, what: `a second answers file for student ${studentId} (the first is ${earlier.where}); neither is marked`, fix: 'keep one file per student' });
      byStudent.set(studentId, { kind: 'rows', where: `${earlier.where} and ${path}`, path, rows: [], paperCode: 'DUPLICATE' });
      continue;
    }
    files.push(path);
    byStudent.set(studentId, { kind: 'file', where: path, path });
  }
  return { byStudent, problems, files, folder: true };
}

export async function readCohortAnswers(path: string): Promise<CohortAnswers> {
  const entries = await readdir(path).catch(() => undefined);
  if (entries) return readAnswersFolder(path, entries);
  return readCohortCsv(await readTextFile(path), path);
}

function findPart(parts: AnswerPart[], key: string): AnswerPart | undefined {
  const k = key.trim();
  return parts.find((p) => p.number === k || p.id.toLowerCase() === k.toLowerCase());
}

/** Rows of one student against their own paper's parts; each bad row is a problem and is skipped. */
export function parseStudentRows(path: string, rows: AnswerRow[], parts: AnswerPart[]): { given: GivenAnswers; problems: Problem[] } {
  const given: GivenAnswers = new Map();
  const problems: Problem[] = [];
  for (const { line, ...row } of rows) {
    const where = `${path} line ${line}`;
    const part = findPart(parts, row.part);
    if (!part) { problems.push({ where: where, what: `unknown part ${JSON.stringify(row.part)}`, fix: `use one of ${parts.map((p) => p.number).join(', ')}` }); continue; }
    const q = part.quantities.find((x) => x.name === row.quantity.trim()) ?? (row.quantity.trim() === '' && part.quantities.length === 1 ? part.quantities[0] : undefined);
    if (!q) { problems.push({ where: where, what: `part ${part.number} has no quantity ${JSON.stringify(row.quantity)}`, fix: `use one of ${part.quantities.map((x) => x.name).join(', ')}` }); continue; }
    let raw: unknown = row.value;
    if (row.value.startsWith('[')) {
      try { raw = JSON.parse(row.value.replace(/\u2212/g, '-')); } catch { raw = undefined; }
    }
    const value = raw === undefined ? undefined : coerceValue(raw, q.value);
    if (value === undefined) { problems.push({ where: where, what: `expected ${shapeOf(q.value)} for ${q.name}, found ${JSON.stringify(row.value).slice(0, 80)}` }); continue; }
    const values = given.get(part.id) ?? new Map();
    if (values.has(q.name)) { problems.push({ where: where, what: `${q.name} of part ${part.number} is given twice; the first is marked`, fix: 'keep one of them' }); continue; }
    values.set(q.name, value);
    given.set(part.id, values);
  }
  return { given, problems };
}

/** A per-student file; a JSON file may carry "paper_code" beside the parts. */
export async function parseStudentFile(path: string, parts: AnswerPart[]): Promise<{ given: GivenAnswers; paperCode?: string; problems: Problem[] }> {
  let text: string;
  try { text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, ''); } catch (error) {
    return { given: new Map(), problems: [{ where: path, what: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }] };
  }
  let paperCode: string | undefined;
  if (extname(path).toLowerCase() === '.json') {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const code = value.paper_code ?? value.paperCode;
        if (typeof code === 'string') paperCode = code.trim().toUpperCase();
        delete value.paper_code; delete value.paperCode;
        text = JSON.stringify(value);
      }
    } catch { /* parseAnswersText reports the syntax error with its line */ }
  }
  try {
    return { given: parseAnswersText(text, path, parts), paperCode, problems: [] };
  } catch (error) {
    if (error instanceof RnnExamError) return { given: new Map(), paperCode, problems: error.problems };
    throw error;
  }
}
