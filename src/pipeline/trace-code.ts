/**
 * Finds whose paper a loose page is from. The paper code is an HMAC of exam, student and
 * attempt, so it cannot be decoded, only recomputed for every student and attempt and
 * compared: cheap (one HMAC each), and it needs the secret, like the papers themselves.
 */
import { RnnExamError } from '../errors.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { paperCode } from '../random/seed.ts';

const CROCKFORD = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/;

/**
 * "abcd-efgh", "ABCD EFGH" or "ABCDEFGH" as printed "ABCD-EFGH". Crockford base 32 reads
 * O as 0 and I or L as 1, the usual misreadings of a printed or handwritten code.
 */
export function normalisePaperCode(text: string, where = '--code'): string {
  const plain = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!CROCKFORD.test(plain)) {
    throw new RnnExamError({
      where, what: `${JSON.stringify(text)} is not a paper code`,
      fix: 'copy the 8 characters printed as "paper code" on the page, e.g. 7K3M-Q9TX (digits and letters other than I, L, O, U)',
    });
  }
  return `${plain.slice(0, 4)}-${plain.slice(4)}`;
}

export interface TraceMatch { student: RosterStudent; attempt: number }

/** Every (student, attempt) whose paper code is `code`; normally one, none for a foreign page. */
export function tracePaperCode(secret: string, examId: string, roster: RosterStudent[], code: string, attempts: number[]): TraceMatch[] {
  const matches: TraceMatch[] = [];
  for (const attempt of attempts) {
    for (const student of roster) {
      if (paperCode(secret, { examId, studentId: student.id, attempt }) === code) matches.push({ student, attempt });
    }
  }
  return matches;
}
