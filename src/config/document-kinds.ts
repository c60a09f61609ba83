/**
 * The kinds of document rnn-exam makes, listed once: generate (and its --only), regenerate,
 * the manifest's file names, page codes and the pdf.tagged option all read them from here.
 */
export const STUDENT_DOCUMENT_KINDS = ['question-paper', 'answer-booklet', 'worked-solution', 'marking-key'] as const;
export type DocumentKind = typeof STUDENT_DOCUMENT_KINDS[number];
export type PdfDocumentKind = DocumentKind | 'cohort-marking-key';
export const PDF_DOCUMENT_KINDS = [...STUDENT_DOCUMENT_KINDS, 'cohort-marking-key'] as const;

/** `generate --only` choices and the one kind each makes. */
export const ONLY_KINDS = {
  papers: 'question-paper',
  booklets: 'answer-booklet',
  solutions: 'worked-solution',
  keys: 'marking-key',
} as const satisfies Record<string, DocumentKind>;
export type OnlyKind = keyof typeof ONLY_KINDS;
export const ONLY_CHOICES = Object.keys(ONLY_KINDS) as OnlyKind[];

export function onlyKindOf(kind: DocumentKind): OnlyKind {
  return ONLY_CHOICES.find((only) => ONLY_KINDS[only] === kind)!;
}

/** A student's file name of a kind, e.g. `answer-booklet.pdf`, read back. */
export function kindOfFileName(name: string): DocumentKind | undefined {
  const match = /^([a-z-]+)\.(pdf|html)$/.exec(name);
  return match && (STUDENT_DOCUMENT_KINDS as readonly string[]).includes(match[1]) ? match[1] as DocumentKind : undefined;
}

/** Short codes printed in a page's QR code (kept short so the code stays small). */
export const PAGE_CODE_KIND: Record<PdfDocumentKind, string> = {
  'question-paper': 'QP', 'answer-booklet': 'AB', 'worked-solution': 'WS', 'marking-key': 'MK', 'cohort-marking-key': 'CK',
};
