/**
 * Tutors' marks for the written questions: CSV `student_id,Q1,Q2` (one column per written
 * question, numbered as on the paper). Each mark is checked against the question's marks in
 * the exam config; a bad cell is a problem and that student's written marks are not used.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError, type Problem } from '../errors.ts';

export interface WrittenMarks {
  /** student ID → one mark per written question (null: cell left empty) */
  byStudent: Map<string, Array<number | null>>;
  problems: Problem[];
}

const MARK_TEXT = /^\d+(\.\d+)?$/;

export function parseWrittenMarks(text: string, path: string, exam: ExamConfig): WrittenMarks {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const line = error instanceof CsvError ? ` line ${(error as CsvError & { lines?: number }).lines ?? '?'}` : '';
    throw new RnnExamError({ where: `${path}${line}`, what: `is not valid CSV (${(error as Error).message})` });
  }
  const slots = exam.written;
  const expected = ['student_id', ...slots.map((_, i) => `Q${i + 1}`)];
  if (records.length === 0) throw new RnnExamError({ where: path, what: 'is empty', fix: `start with the header ${expected.join(',')}` });
  const header = records[0].record.map((h) => h.trim());
  const idCol = header.findIndex((h) => h.toLowerCase().replace(/[\s-]+/g, '_') === 'student_id');
  const qCols = slots.map((_, i) => header.findIndex((h) => h.toUpperCase() === `Q${i + 1}`));
  const unknown = header.filter((h, i) => i !== idCol && !qCols.includes(i));
  if (idCol < 0 || qCols.some((c) => c < 0) || unknown.length > 0) {
    const what = slots.length === 0 ? 'the exam config has no written questions' : `the header should be ${expected.join(',')}, found ${header.join(',')}`;
    throw new RnnExamError({ where: `${path} line ${records[0].info.lines}`, what, fix: `name one column per written question of the exam (${expected.slice(1).join(', ') || 'none'})` });
  }
  const byStudent = new Map<string, Array<number | null>>();
  const problems: Problem[] = [];
  const firstLine = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const where = `${path} line ${info.lines}`;
    const id = record[idCol] ?? '';
    if (id === '') { problems.push({ where, what: 'no student_id' }); continue; }
    if (firstLine.has(id)) {
      problems.push({ where, what: `student ${id} appears again (first on line ${firstLine.get(id)}); neither row is used`, fix: 'keep one row per student' });
      byStudent.delete(id);
      continue;
    }
    firstLine.set(id, info.lines);
    const marks: Array<number | null> = [];
    let bad = false;
    slots.forEach((slot, i) => {
      const cell = (record[qCols[i]] ?? '').trim();
      if (cell === '') { marks.push(null); return; }
      const mark = Number(cell);
      if (!MARK_TEXT.test(cell) || mark > slot.marks) {
        problems.push({ where, what: `student ${id}: Q${i + 1} = ${JSON.stringify(cell)} is not a mark from 0 to ${slot.marks}`, fix: `enter a number from 0 to ${slot.marks} (Q${i + 1} is worth ${slot.marks})` });
        bad = true;
      }
      marks.push(mark);
    });
    if (!bad) byStudent.set(id, marks);
  }
  return { byStudent, problems };
}
