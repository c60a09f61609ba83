import type { Matrix, Vector } from '../engine/index.ts';
import { solutionToJson } from '../engine/index.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { formatSolveSummary } from './solve-summary.ts';

/**
 * The `show --json` object. `paramsFingerprint` is the keyed fingerprint the manifest records
 * (see student-record.ts), so the two can be compared; an unkeyed hash of the numbers is never printed.
 */
export function drawToJson(d: StudentDraw, paramsFingerprint: string) {
  const { U, W, V, b, c, x, y, lossReduction } = d.params;
  return {
    student: d.student,
    examId: d.examId,
    attempt: d.attempt,
    seedScheme: d.seedScheme,
    paperCode: d.paperCode,
    paramsFingerprint,
    params: { U, W, V, b, c, x, y, lossReduction },
    answers: solutionToJson(d.solution),
    written: d.written,
  };
}

/** A staff member's view of one student's draw. */
export function formatDraw(d: StudentDraw, digits: number): string {
  const vec = (v: Vector) => `[${v.join(', ')}]`;
  const mat = (M: Matrix) => `[${M.map(vec).join(', ')}]`;
  const p = d.params;
  return [
    `${d.student.name || '(no name)'}  ID ${d.student.id}  exam ${d.examId}  attempt ${d.attempt}  paper code ${d.paperCode}`,
    `seed scheme ${d.seedScheme}; accepted on draw ${d.attempts}`,
    '',
    'Written questions:',
    ...d.written.map((q) => `  Q${q.number} (${q.marks} marks) [${q.id}] ${q.text}`),
    '',
    'Parameters:',
    `  U = ${mat(p.U)}`, `  W = ${mat(p.W)}`, `  V = ${mat(p.V)}`,
    `  b = ${vec(p.b)}  c = ${vec(p.c)}`,
    `  x = ${mat(p.x)}  y = ${vec(p.y)}`,
    '',
    formatSolveSummary(p, d.solution, digits),
  ].join('\n');
}
