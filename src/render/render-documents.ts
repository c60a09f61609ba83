import { STUDENT_DOCUMENT_KINDS, type DocumentKind, type PdfDocumentKind } from '../config/document-kinds.ts';
import type { ExamConfig } from '../config/exam-schema.ts';
import type { PrintDocument } from '../print/pdf-printer.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { buildAnswerBooklet } from '../solution/build-answer-booklet.ts';
import { buildQuestionPaper } from '../solution/build-question-paper.ts';
import { withCoverAndAnswers } from '../solution/build-paper-cover.ts';
import { buildWorkedSolution } from '../solution/build-worked-solution.ts';
import { buildCohortKey, buildMarkingKey, buildStudentKey, type CohortPart, type StudentKey } from '../solution/build-marking-key.ts';
import { NO_STUDENT, pageCodeText, type PageCodeBase } from '../solution/page-code.ts';
import { withBundledFonts } from './fonts/document-fonts.ts';
import type { TemplateName, TemplateSet } from './template-set.ts';

export type { DocumentKind };
export const DOCUMENT_KINDS: DocumentKind[] = [...STUDENT_DOCUMENT_KINDS];

const TEMPLATE_OF: Record<DocumentKind, TemplateName> = {
  'question-paper': 'questionPaper', 'answer-booklet': 'answerBooklet', 'worked-solution': 'workedSolution', 'marking-key': 'markingKey',
};

function renderDocument(templates: TemplateSet, exam: ExamConfig, name: TemplateName, view: { header: object }, label: string, kind: PdfDocumentKind, pageCode?: PageCodeBase): PrintDocument {
  return withBundledFonts({
    html: templates.render(name, view),
    headerHtml: templates.render('pageHeader', view),
    footerHtml: templates.render('pageFooter', view),
    label,
    tagged: exam.pdf.tagged.includes(kind),
    pageCode: pageCode && ((page, pages) => pageCodeText(pageCode, page, pages)),
  }, { text: templates.css });
}

function studentView(kind: DocumentKind, exam: ExamConfig, draw: StudentDraw, key: StudentKey | undefined): { header: object } {
  switch (kind) {
    case 'question-paper': return withCoverAndAnswers(buildQuestionPaper(exam, draw), exam, draw);
    case 'answer-booklet': return buildAnswerBooklet(exam, draw);
    case 'worked-solution': return buildWorkedSolution(exam, draw);
    // tolerances and common errors cost several solves: only when a key is made
    case 'marking-key': return buildMarkingKey(exam, key ?? buildStudentKey(exam, draw));
  }
}

/** One student's documents as HTML, from one draw: question and answers cannot disagree. Pure. */
export function renderStudentDocuments(templates: TemplateSet, exam: ExamConfig, draw: StudentDraw, key: StudentKey | undefined, kinds: DocumentKind[]): Map<DocumentKind, PrintDocument> {
  const docs = new Map<DocumentKind, PrintDocument>();
  for (const kind of kinds) {
    const pageCode: PageCodeBase = { examId: draw.examId, studentId: draw.student.id, attempt: draw.attempt, kind, key: draw.pageCodeKey };
    docs.set(kind, renderDocument(templates, exam, TEMPLATE_OF[kind], studentView(kind, exam, draw, key), `${draw.student.id} ${kind}`, kind, pageCode));
  }
  return docs;
}

/** The cohort key's pages carry codes of no student, with the document's part number. */
export function renderCohortKey(templates: TemplateSet, exam: ExamConfig, keys: StudentKey[], part?: CohortPart): PrintDocument {
  const first = keys[0]?.draw;
  const pageCode: PageCodeBase | undefined = first === undefined ? undefined
    : { examId: exam.examId, studentId: NO_STUDENT, attempt: first.attempt, kind: 'cohort-marking-key', part: part?.part ?? 1, key: first.pageCodeKey };
  return renderDocument(templates, exam, 'cohortMarkingKey', buildCohortKey(exam, keys, part), 'cohort marking key', 'cohort-marking-key', pageCode);
}
