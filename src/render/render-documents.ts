import type { ExamConfig } from '../config/exam-schema.ts';
import type { PrintDocument } from '../print/pdf-printer.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { buildQuestionPaper } from '../solution/build-question-paper.ts';
import { buildWorkedSolution } from '../solution/build-worked-solution.ts';
import { buildCohortKey, buildMarkingKey, buildStudentKey, type CohortPart, type StudentKey } from '../solution/build-marking-key.ts';
import { withBundledFonts } from './fonts/document-fonts.ts';
import type { TemplateName, TemplateSet } from './template-set.ts';

export type DocumentKind = 'question-paper' | 'worked-solution' | 'marking-key';
export const DOCUMENT_KINDS: DocumentKind[] = ['question-paper', 'worked-solution', 'marking-key'];

const TEMPLATE_OF: Record<DocumentKind, TemplateName> = {
  'question-paper': 'questionPaper', 'worked-solution': 'workedSolution', 'marking-key': 'markingKey',
};

function renderDocument(templates: TemplateSet, exam: ExamConfig, name: TemplateName, view: { header: object }, label: string, kind: DocumentKind | 'cohort-marking-key'): PrintDocument {
  return withBundledFonts({
    html: templates.render(name, view),
    headerHtml: templates.render('pageHeader', view),
    footerHtml: templates.render('pageFooter', view),
    label,
    tagged: exam.pdf.tagged.includes(kind),
  });
}

/** One student's documents as HTML, from one draw: question and answers cannot disagree. Pure. */
export function renderStudentDocuments(templates: TemplateSet, exam: ExamConfig, draw: StudentDraw, key: StudentKey | undefined, kinds: DocumentKind[]): Map<DocumentKind, PrintDocument> {
  const docs = new Map<DocumentKind, PrintDocument>();
  for (const kind of kinds) {
    const view = kind === 'question-paper' ? buildQuestionPaper(exam, draw)
      : kind === 'worked-solution' ? buildWorkedSolution(exam, draw)
        : buildMarkingKey(exam, key ?? buildStudentKey(exam, draw)); // tolerances and common errors cost several solves: only when a key is made
    docs.set(kind, renderDocument(templates, exam, TEMPLATE_OF[kind], view, `${draw.student.id} ${kind}`, kind));
  }
  return docs;
}

export function renderCohortKey(templates: TemplateSet, exam: ExamConfig, keys: StudentKey[], part?: CohortPart): PrintDocument {
  return renderDocument(templates, exam, 'cohortMarkingKey', buildCohortKey(exam, keys, part), 'cohort marking key', 'cohort-marking-key');
}
