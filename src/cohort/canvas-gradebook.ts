/**
 * The lecturer's Canvas gradebook export, written back with marks in one assignment column.
 * Only those cells change: every other byte (quoting, line ends, BOM, columns Canvas computes)
 * is copied as it was, so the upload changes nothing the lecturer did not ask for. The file is
 * handled as latin1 text, one character per byte, so even bytes that are not UTF-8 survive.
 */
import { RnnExamError, type Problem } from '../errors.ts';

interface Field { start: number; end: number; value: string }
interface RawRecord { fields: Field[]; line: number }

/** RFC 4180 records with each field's raw span; quotes may hold commas and line breaks. */
export function tokenizeCsv(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let i = text.startsWith('\u00EF\u00BB\u00BF') ? 3 : 0;
  let line = 1;
  while (i < text.length) {
    const record: RawRecord = { fields: [], line };
    for (;;) {
      const start = i;
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error(`line ${record.line}: a quoted field is not closed`);
          if (text[i] === '"') {
            if (text[i + 1] === '"') { value += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          value += text[i++];
        }
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      }
      record.fields.push({ start, end: i, value: Buffer.from(value, 'latin1').toString('utf8') });
      if (text[i] === ',') { i++; continue; }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    records.push(record);
  }
  return records;
}

export interface CanvasMark { studentId: string; mark: string }

export interface CanvasResult {
  /** the new file, latin1-encoded text (one char per byte) */
  bytes: Buffer;
  column: string;
  filled: number;
  problems: Problem[];
}

/** "Exam 1 (12345)" is found by "Exam 1", "12345" or the whole header. */
function findColumn(header: string[], wanted: string, path: string): number {
  const w = wanted.trim();
  const hits = header.flatMap((h, i) => {
    const m = /^(.*) \((\d+)\)$/.exec(h.trim());
    return h.trim() === w || (m && (m[1] === w || m[2] === w)) ? [i] : [];
  });
  if (hits.length === 1) return hits[0];
  const assignments = header.filter((h) => /\(\d+\)$/.test(h.trim()));
  throw new RnnExamError({
    where: `${path} line 1`,
    what: hits.length === 0 ? `no column ${JSON.stringify(w)}` : `${hits.length} columns match ${JSON.stringify(w)}`,
    fix: `pass --canvas-column with one of ${assignments.map((a) => JSON.stringify(a)).join(', ') || 'the assignment columns (none found: is this a Canvas gradebook export?)'}`,
  });
}

export function fillCanvasGradebook(file: Buffer, path: string, columnName: string, marks: CanvasMark[], maxTotal: number): CanvasResult {
  const text = file.toString('latin1');
  let records: RawRecord[];
  try { records = tokenizeCsv(text); } catch (error) {
    throw new RnnExamError({ where: path, what: `is not valid CSV (${(error as Error).message})`, fix: 'use the gradebook as Canvas exported it' });
  }
  const header = records[0]?.fields.map((f) => f.value.trim()) ?? [];
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const [student, sisUser, sisLogin, canvasId] = ['Student', 'SIS User ID', 'SIS Login ID', 'ID'].map(col);
  if (student < 0 || (sisUser < 0 && sisLogin < 0)) {
    throw new RnnExamError({ where: `${path} line 1`, what: 'is not a Canvas gradebook export (no Student and SIS User ID columns)', fix: 'in Canvas: Grades → Export → Export Entire Gradebook, and pass that file' });
  }
  const target = findColumn(header, columnName, path);
  const byId = new Map(marks.map((m) => [m.studentId, m]));
  const problems: Problem[] = [];
  const edits: Array<{ field: Field; text: string }> = [];
  const found = new Set<string>();
  for (const record of records.slice(1)) {
    const cell = (i: number) => (i >= 0 ? record.fields[i]?.value.trim() ?? '' : '');
    if (cell(student) === 'Points Possible') {
      const points = Number(cell(target));
      if (cell(target) !== '' && Math.abs(points - maxTotal) > 1e-9) {
        problems.push({ where: `${path} line ${record.line}`, what: `${header[target]} is out of ${cell(target)} points in Canvas but the exam is out of ${maxTotal}`, fix: 'set the assignment\'s points in Canvas to the exam total, or check the column' });
      }
      continue;
    }
    const mark = [sisUser, sisLogin, canvasId].map(cell).map((id) => (id ? byId.get(id) : undefined)).find(Boolean);
    if (!mark) continue;
    if (found.has(mark.studentId)) { problems.push({ where: `${path} line ${record.line}`, what: `student ${mark.studentId} appears twice; filled in both rows` }); }
    found.add(mark.studentId);
    const field = record.fields[target];
    if (!field) { problems.push({ where: `${path} line ${record.line}`, what: `the row has no ${header[target]} cell; left as it is` }); continue; }
    edits.push({ field, text: mark.mark });
  }
  for (const m of marks) {
    if (!found.has(m.studentId)) problems.push({ where: path, what: `student ${m.studentId} is not in the Canvas gradebook (SIS User ID / SIS Login ID); their mark is not filled in`, fix: 'check the student is enrolled in the Canvas course' });
  }
  const pieces: string[] = [];
  let at = 0;
  for (const e of edits) {
    pieces.push(text.slice(at, e.field.start), e.text);
    at = e.field.end;
  }
  pieces.push(text.slice(at));
  return { bytes: Buffer.from(pieces.join(''), 'latin1'), column: header[target], filled: edits.length, problems };
}
