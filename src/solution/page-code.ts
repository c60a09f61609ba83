import { createHmac, timingSafeEqual } from 'node:crypto';
import { PAGE_CODE_KIND, type PdfDocumentKind } from '../config/document-kinds.ts';

/**
 * What the QR code on every page says: `RNX1|exam|student|attempt|kind|page/pages|fingerprint`.
 * The fingerprint is an HMAC of the other fields under a key derived from the secret (never
 * the secret itself), so a scanned page can be checked as one of this exam's and a forged or
 * misread page number is caught. Exam and student IDs cannot hold `|` (their allow-lists).
 */
export const PAGE_CODE_VERSION = 'RNX1';
const KEY_LABEL = 'rnn-exam/page-code-key-v1';
const FINGERPRINT_HEX = 12;
/** The cohort key belongs to no student. */
export const NO_STUDENT = '*';

/** A document's page codes, minus the page: everything printing needs to stamp each page. */
export interface PageCodeBase {
  examId: string;
  /** a student ID, or NO_STUDENT */
  studentId: string;
  attempt: number;
  kind: PdfDocumentKind;
  /** the cohort key's document number (marking-key-002.pdf is part 2) */
  part?: number;
  /** hex key from pageCodeKey(secret) */
  key: string;
}

export interface PageCode {
  examId: string;
  studentId: string;
  attempt: number;
  kind: PdfDocumentKind;
  part?: number;
  page: number;
  pages: number;
  fingerprint: string;
}

/** The HMAC key of the page codes: derived from the secret, separately from seeds and paper codes. */
export function pageCodeKey(secret: string): string {
  return createHmac('sha256', secret).update(KEY_LABEL).digest('hex');
}

const KIND_OF_CODE = new Map(Object.entries(PAGE_CODE_KIND).map(([kind, code]) => [code, kind as PdfDocumentKind]));

function kindField(kind: PdfDocumentKind, part?: number): string {
  return part === undefined ? PAGE_CODE_KIND[kind] : `${PAGE_CODE_KIND[kind]}.${part}`;
}

function unsigned(c: Omit<PageCode, 'fingerprint'>): string {
  return [PAGE_CODE_VERSION, c.examId, c.studentId, String(c.attempt), kindField(c.kind, c.part), `${c.page}/${c.pages}`].join('|');
}

function fingerprintOf(key: string, text: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(text).digest('hex').slice(0, FINGERPRINT_HEX);
}

/** The text of page `page` of `pages` (1-based). */
export function pageCodeText(base: PageCodeBase, page: number, pages: number): string {
  const text = unsigned({ examId: base.examId, studentId: base.studentId, attempt: base.attempt, kind: base.kind, part: base.part, page, pages });
  return `${text}|${fingerprintOf(base.key, text)}`;
}

/** Reads a QR code's text back; undefined when it is not an rnn-exam page code. */
export function parsePageCode(text: string): PageCode | undefined {
  const fields = text.trim().split('|');
  if (fields.length !== 7 || fields[0] !== PAGE_CODE_VERSION) return undefined;
  const [, examId, studentId, attemptText, kindText, pageText, fingerprint] = fields;
  const kindMatch = /^([A-Z]{2})(?:\.(\d+))?$/.exec(kindText);
  const pageMatch = /^(\d+)\/(\d+)$/.exec(pageText);
  const kind = kindMatch ? KIND_OF_CODE.get(kindMatch[1]) : undefined;
  if (!kind || !pageMatch || !/^\d+$/.test(attemptText) || !/^[0-9a-f]+$/.test(fingerprint)) return undefined;
  const page = Number(pageMatch[1]);
  const pages = Number(pageMatch[2]);
  if (page < 1 || page > pages) return undefined;
  return {
    examId, studentId, attempt: Number(attemptText), kind, part: kindMatch![2] === undefined ? undefined : Number(kindMatch![2]),
    page, pages, fingerprint,
  };
}

/** Whether a read page code was made with this key (constant-time comparison). */
export function pageCodeIsGenuine(code: PageCode, key: string): boolean {
  const expected = Buffer.from(fingerprintOf(key, unsigned(code)));
  const given = Buffer.from(code.fingerprint);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
