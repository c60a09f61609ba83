import type { ExamConfig } from '../config/exam-schema.ts';
import type { StudentDraw } from '../random/draw-student.ts';

/** What every document shows at its top and in its running header. */
export interface DocumentHeaderView {
  course: string;
  title: string;
  date: string;
  duration: string;
  examId: string;
  documentKind: string;
  staffOnly: boolean;
  student: { id: string; name: string };
  paperCode: string;
  attempt: number;
  instructions: string[];
  /** the cohort key's running header and footer name its students instead of one student ('' on a student's document) */
  cohort: string;
}

export function buildDocumentHeader(exam: ExamConfig, draw: StudentDraw, documentKind: string, staffOnly: boolean): DocumentHeaderView {
  return {
    course: exam.course, title: exam.title, date: exam.date, duration: exam.duration, examId: exam.examId,
    documentKind, staffOnly, student: draw.student, paperCode: draw.paperCode, attempt: draw.attempt,
    instructions: exam.instructions, cohort: '',
  };
}
