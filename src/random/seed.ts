import { createHmac } from 'node:crypto';
import seedrandom from 'seedrandom';

/**
 * Seeds are HMAC-SHA256(secret, scheme, exam, student, attempt). The scheme string is
 * versioned and recorded in every manifest: changing how draws are made means a new scheme,
 * never a silent change to papers already issued.
 */
export const SEED_SCHEME = 'rnn-exam/seed-v1';
const PAPER_CODE_SCHEME = 'rnn-exam/paper-code-v1';

export interface SeedInput { examId: string; studentId: string; attempt: number }

function hmacHex(secret: string, ...fields: string[]): string {
  // NUL-separated so that ("ab", "c") and ("a", "bc") cannot collide.
  return createHmac('sha256', secret).update(fields.join('\u0000')).digest('hex');
}

export function deriveSeed(secret: string, { examId, studentId, attempt }: SeedInput): string {
  return hmacHex(secret, SEED_SCHEME, examId, studentId, String(attempt));
}

/** An independent random stream per use, so that editing the written-question bank never changes the numbers. */
export function randomStream(seed: string, purpose: 'rnn' | 'written'): () => number {
  return seedrandom(`${seed}:${purpose}`);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short code printed on every page so a loose page can be traced to exam, student and
 * attempt. A separate HMAC: it reveals nothing about the seed.
 */
export function paperCode(secret: string, { examId, studentId, attempt }: SeedInput): string {
  const digest = createHmac('sha256', secret).update([PAPER_CODE_SCHEME, examId, studentId, String(attempt)].join('\u0000')).digest();
  let code = '';
  for (let i = 0; i < 8; i++) code += CROCKFORD[digest[i] & 31];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
