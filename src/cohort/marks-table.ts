/**
 * marks.csv and the Moodle grade import, one row per student built from an outcome. Cells go
 * through the project's CSV writer (formula injection neutralised, BOM, CRLF).
 */
import type { ExamConfig } from '../config/exam-schema.ts';
import { PART_IDS } from '../solution/final-answers.ts';
import { rnnQuestionNumber } from '../solution/build-question-paper.ts';
import type { CsvRow } from '../output/marking-key-csv.ts';
import type { StudentOutcome } from './mark-cohort.ts';
import type { PartMarks } from './mark-one-student.ts';

/** Marks are sums of config marks: print them without floating-point noise. */
export const formatMark = (x: number): string => String(Math.round(x * 1000) / 1000);

export function marksCsvHeader(exam: ExamConfig): string[] {
  const q = rnnQuestionNumber(exam);
  const parts = PART_IDS.map((_, i) => `${q}.${i + 1}`);
  return [
    'student_id', 'name', 'paper_code', 'attempt', 'status',
    ...exam.written.map((_, i) => `Q${i + 1}`), `Q${q}`,
    ...parts.flatMap((p) => [p, `${p} verdict`]),
    'total', 'max_total', 'named_errors', 'notes',
  ];
}

/** A part's verdict as a tutor reads it: marks given by error carried forward are said so. */
function verdictLabel(p: PartMarks): string {
  return `${p.verdict}${p.errorId ? ` (${p.errorId})` : ''}${p.ecf ? ' (error carried forward)' : ''}`;
}

export function marksCsvRow(o: StudentOutcome, exam: ExamConfig): CsvRow {
  const head = [o.student.id, o.student.name, o.paperCode, o.attempt, o.status];
  const blanks = (n: number) => new Array<string>(n).fill('');
  const notes = o.problems.map((p) => `${p.where}: ${p.what}`);
  if (o.status !== 'marked') {
    const why = o.status === 'absent' ? 'no answers' : o.reason;
    return [...head, ...blanks(exam.written.length + 1 + 2 * PART_IDS.length + 3), [why, ...notes].join('; ')];
  }
  const parts = o.marks.parts.flatMap((p) => [formatMark(p.marks), verdictLabel(p)]);
  const errors = o.marks.parts.filter((p) => p.errorId).map((p) => `${p.part} ${p.errorId}`);
  return [
    ...head, ...o.written.map((m) => (m === null ? '' : formatMark(m))), formatMark(o.marks.total),
    ...parts, formatMark(o.total), formatMark(o.maxTotal), errors.join('; '), notes.join('; '),
  ];
}

/**
 * Moodle's gradebook import: "ID number" to map the user by, then the grade item and its
 * feedback side by side (importing feedback alone would wipe that item's grades), then one
 * column per question for courses that keep a grade item per question. Only marked students
 * are listed: an absent or flagged student's grade is left as it is in Moodle.
 */
export function moodleHeader(exam: ExamConfig, item: string): string[] {
  const q = rnnQuestionNumber(exam);
  return ['ID number', 'Full name', item, `${item} feedback`, ...exam.written.map((_, i) => `Q${i + 1}`), `Q${q}`];
}

export function moodleFeedback(o: Extract<StudentOutcome, { status: 'marked' }>, exam: ExamConfig): string {
  const q = rnnQuestionNumber(exam);
  const written = o.written.map((m, i) => `Q${i + 1} ${m === null ? '-' : formatMark(m)}/${formatMark(exam.written[i].marks)}`);
  const parts = o.marks.parts.map((p) => `${p.part} ${formatMark(p.marks)}/${formatMark(p.maxMarks)}${p.errorId ? ` (${p.errorId})` : ''}${p.ecf ? ' (error carried forward)' : ''}`);
  return `${[...written, `Q${q} ${formatMark(o.marks.total)}/${formatMark(o.marks.maxTotal)}: ${parts.join(', ')}`].join('; ')}. Total ${formatMark(o.total)}/${formatMark(o.maxTotal)}. Paper ${o.paperCode}; full feedback in your feedback file.`;
}

export function moodleRow(o: Extract<StudentOutcome, { status: 'marked' }>, exam: ExamConfig): CsvRow {
  return [o.student.id, o.student.name, formatMark(o.total), moodleFeedback(o, exam), ...o.written.map((m) => (m === null ? '' : formatMark(m))), formatMark(o.marks.total)];
}
