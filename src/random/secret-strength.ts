/**
 * A cautious estimate of how many bits of a secret an attacker must guess. A paper code is an
 * HMAC of the secret, so one printed page lets anyone test guesses offline at millions a second:
 * a short, repetitive or word-like secret was recovered that way. Each character counts for the
 * alphabet its classes span, except that repeats, runs (abc, 321) and common words count little.
 */
const COMMON_WORDS = ['password', 'passwd', 'secret', 'qwerty', 'letmein', 'admin', 'welcome', 'exam', 'test', 'demo', 'changeme', 'default', 'abc123', 'monkey', 'dragon', 'iloveyou'];
/** bits a common word is worth: a small dictionary guess */
const WORD_BITS = 8;
/** bits a character that repeats or continues a run is worth */
const PREDICTABLE_BITS = 1;

export const MIN_SECRET_BITS = 60;

function alphabetSize(secret: string): number {
  let size = 0;
  if (/[a-z]/.test(secret)) size += 26;
  if (/[A-Z]/.test(secret)) size += 26;
  if (/[0-9]/.test(secret)) size += 10;
  if (/[^a-zA-Z0-9]/.test(secret)) size += 33;
  return Math.max(size, 2);
}

export function secretStrengthBits(secret: string): number {
  const perChar = Math.log2(alphabetSize(secret));
  const lower = secret.toLowerCase();
  let bits = 0;
  for (let i = 0; i < secret.length;) {
    const word = COMMON_WORDS.find((w) => lower.startsWith(w, i));
    if (word) {
      bits += WORD_BITS;
      i += word.length;
      continue;
    }
    const step = i > 0 ? secret.charCodeAt(i) - secret.charCodeAt(i - 1) : NaN;
    const predictable = Math.abs(step) <= 1 || (i > 1 && step === secret.charCodeAt(i - 1) - secret.charCodeAt(i - 2));
    bits += predictable ? PREDICTABLE_BITS : perChar;
    i++;
  }
  // Few distinct characters (abababab…): no more than their count allows.
  const distinct = new Set(secret).size;
  return Math.min(bits, secret.length * Math.log2(Math.max(distinct, 1)) + Math.log2(Math.max(distinct, 2)) * 2);
}
