import { ONLY_KINDS, STUDENT_DOCUMENT_KINDS, type DocumentKind, type OnlyKind } from '../config/document-kinds.ts';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError } from '../errors.ts';

export type { OnlyKind };

/**
 * The kinds a generate run makes: every kind, or the one of `--only`. An exam whose answer
 * space is in the question paper (`paper.answerSpace: "paper"`) has no answer booklet.
 */
export function kindsToMake(exam: ExamConfig, only: OnlyKind | undefined, examPath = 'exam config'): DocumentKind[] {
  const hasBooklet = exam.paper.answerSpace === 'booklet';
  if (only === undefined) return STUDENT_DOCUMENT_KINDS.filter((kind) => hasBooklet || kind !== 'answer-booklet');
  if (only === 'booklets' && !hasBooklet) {
    throw new RnnExamError({
      where: `${examPath}: paper.answerSpace`, what: 'is "paper": the answers are written in the question paper, so there is no answer booklet to make',
      fix: 'set "paper": {"answerSpace": "booklet"} in the exam config, or make the question papers (--only papers)',
    });
  }
  return [ONLY_KINDS[only]];
}
