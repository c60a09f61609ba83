import { STUDENT_DOCUMENT_KINDS, type PdfDocumentKind } from '../config/document-kinds.ts';
import { NO_STUDENT, pageCodeIsGenuine, parsePageCode, type PageCode } from '../solution/page-code.ts';
import type { PageScan } from './pdf-page-reader.ts';

/** One printed document found in a scan: which of its pages are there, missing or there twice. */
export interface ScannedDocument {
  kind: PdfDocumentKind;
  attempt: number;
  /** the cohort key's document number */
  part?: number;
  /** pages the document was printed with */
  pages: number;
  /** for each of its pages found, the scan pages that hold it (more than one: duplicated) */
  found: Array<{ page: number; scanPages: number[] }>;
  missing: number[];
  duplicated: number[];
}

export interface ScannedStudent {
  id: string;
  name?: string;
  /** false: the code names a student who is not on the roster */
  onRoster: boolean;
  documents: ScannedDocument[];
  complete: boolean;
}

/** 'blank': no code and no marks (a separator sheet, the back of a single-sided page): listed, but nothing is wrong */
export type RejectedReason = 'blank' | 'unreadable' | 'not-a-page-code' | 'other-exam' | 'not-genuine';
export interface RejectedPage { scanPage: number; reason: RejectedReason; text?: string; message: string }

export interface IdentifyReport {
  scan: string;
  scanPages: number;
  ok: boolean;
  /** students with at least one page in the scan, by ID */
  students: ScannedStudent[];
  /** the cohort marking key's documents, when scanned */
  cohort: ScannedDocument[];
  /** scan pages no code could be read from (blank ones too) or whose code was refused */
  rejected: RejectedPage[];
  /** roster students with no page in the scan */
  absent: string[];
}

/**
 * Sorts a scan's pages by their codes: per student and document, the pages present, missing
 * and duplicated; pages without a readable code, or with a code of another exam or a wrong
 * fingerprint, are set aside. Pure: the pixels have been read already.
 */
export function identifyPages(scans: PageScan[], input: { scan: string; examId: string; key: string; roster: Array<{ id: string; name: string }> }): IdentifyReport {
  const rejected: RejectedPage[] = [];
  const groups = new Map<string, { studentId: string; code: PageCode; byPage: Map<number, number[]> }>();
  for (const { page: scanPage, text, blank } of scans) {
    if (text === undefined) {
      rejected.push(blank
        ? { scanPage, reason: 'blank', message: `scan page ${scanPage}: blank (no page code and no marks: a separator sheet or the back of a page)` }
        : { scanPage, reason: 'unreadable', message: `scan page ${scanPage}: no readable page code (damaged, folded over, or not an rnn-exam page)` });
      continue;
    }
    const code = parsePageCode(text);
    if (!code) rejected.push({ scanPage, reason: 'not-a-page-code', text, message: `scan page ${scanPage}: its QR code is not an rnn-exam page code` });
    else if (code.examId !== input.examId) rejected.push({ scanPage, reason: 'other-exam', text, message: `scan page ${scanPage}: a page of exam '${code.examId}', not '${input.examId}'` });
    else if (!pageCodeIsGenuine(code, input.key)) rejected.push({ scanPage, reason: 'not-genuine', text, message: `scan page ${scanPage}: its code's fingerprint does not match this exam's secret (a page of another batch, or a forged code)` });
    else {
      // A reprint with another page count is another document.
      const key = [code.studentId, code.kind, code.attempt, code.part ?? '', code.pages].join('|');
      const group = groups.get(key) ?? { studentId: code.studentId, code, byPage: new Map<number, number[]>() };
      groups.set(key, group);
      group.byPage.set(code.page, [...(group.byPage.get(code.page) ?? []), scanPage]);
    }
  }

  const names = new Map(input.roster.map((s) => [s.id, s.name]));
  const students = new Map<string, ScannedStudent>();
  const cohort: ScannedDocument[] = [];
  for (const { studentId, code, byPage } of groups.values()) {
    const doc = scannedDocument(code, byPage);
    if (studentId === NO_STUDENT) {
      cohort.push(doc);
      continue;
    }
    const student = students.get(studentId) ?? { id: studentId, name: names.get(studentId), onRoster: names.has(studentId), documents: [], complete: true };
    students.set(studentId, student);
    student.documents.push(doc);
  }
  const kindOrder = (kind: PdfDocumentKind) => (STUDENT_DOCUMENT_KINDS as readonly string[]).indexOf(kind);
  const byDocument = (a: ScannedDocument, b: ScannedDocument) => kindOrder(a.kind) - kindOrder(b.kind) || a.attempt - b.attempt || (a.part ?? 0) - (b.part ?? 0) || a.pages - b.pages;
  const list = [...students.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const s of list) {
    s.documents.sort(byDocument);
    s.complete = s.onRoster && s.documents.every((d) => d.missing.length === 0 && d.duplicated.length === 0);
  }
  cohort.sort(byDocument);
  const absent = input.roster.filter((s) => !students.has(s.id)).map((s) => s.id);
  const ok = rejected.every((p) => p.reason === 'blank') && list.every((s) => s.complete) && cohort.every((d) => d.missing.length === 0 && d.duplicated.length === 0);
  return { scan: input.scan, scanPages: scans.length, ok, students: list, cohort, rejected, absent };
}

function scannedDocument(code: PageCode, byPage: Map<number, number[]>): ScannedDocument {
  const found = [...byPage.entries()].sort((a, b) => a[0] - b[0]).map(([page, scanPages]) => ({ page, scanPages }));
  const missing = Array.from({ length: code.pages }, (_, i) => i + 1).filter((p) => !byPage.has(p));
  return {
    kind: code.kind, attempt: code.attempt, part: code.part, pages: code.pages, found, missing,
    duplicated: found.filter((f) => f.scanPages.length > 1).map((f) => f.page),
  };
}

/** The report as lines for a person: per student, what is there and what is not. */
export function formatIdentifyReport(r: IdentifyReport, showAbsent = 20): string {
  const lines: string[] = [];
  const complete = r.students.filter((s) => s.complete).length;
  const blank = r.rejected.filter((p) => p.reason === 'blank');
  const refused = r.rejected.length - blank.length;
  lines.push(`${r.scan}: ${r.scanPages} page${r.scanPages === 1 ? '' : 's'}; ${r.students.length} student${r.students.length === 1 ? '' : 's'} found, ${complete} complete; ${refused} page${refused === 1 ? '' : 's'} without a usable code${blank.length ? `; ${blank.length} blank` : ''}.`);
  for (const s of r.students) {
    lines.push(`${s.complete ? 'complete  ' : 'INCOMPLETE'} ${s.id}${s.name ? ` (${s.name})` : ''}${s.onRoster ? '' : ' — NOT ON THE ROSTER'}`);
    for (const d of s.documents) lines.push(`    ${describeDocument(d)}`);
  }
  for (const d of r.cohort) lines.push(`cohort     ${describeDocument(d)}`);
  for (const p of r.rejected) lines.push(`${p.reason === 'blank' ? 'blank     ' : 'REJECTED  '} ${p.message}`);
  if (r.absent.length > 0) {
    const shown = r.absent.slice(0, showAbsent).join(', ');
    lines.push(`no pages in this scan for ${r.absent.length} roster student${r.absent.length === 1 ? '' : 's'}: ${shown}${r.absent.length > showAbsent ? ', …' : ''}`);
  }
  return lines.join('\n');
}

function describeDocument(d: ScannedDocument): string {
  const name = `${d.kind}${d.part !== undefined ? ` ${d.part}` : ''}${d.attempt !== 1 ? ` (attempt ${d.attempt})` : ''}`;
  const at = d.found.map((f) => `${f.page}→${f.scanPages.join('+')}`).join(' ');
  const problems = [
    d.missing.length ? `MISSING page${d.missing.length === 1 ? '' : 's'} ${d.missing.join(', ')}` : '',
    d.duplicated.length ? `DUPLICATED page${d.duplicated.length === 1 ? '' : 's'} ${d.duplicated.join(', ')}` : '',
  ].filter(Boolean);
  return `${name}: ${d.found.length} of ${d.pages} pages${problems.length ? `; ${problems.join('; ')}` : ''} (page→scan page: ${at})`;
}
