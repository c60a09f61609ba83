import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Keys derived from the secret for the manifest: one seals it (a MAC per student entry, the
 * header, the cohort files and the list of entries), one keys every per-student fingerprint.
 * HKDF with distinct labels: neither key, nor anything made with it, tells anything about the
 * secret or about the other key, and without the secret no one can forge a seal or test a guess
 * of a student's numbers against a fingerprint.
 */
export const SEAL_SCHEME = 'rnn-exam/manifest-seal-v1' as const;
const SEAL_LABEL = 'rnn-exam/manifest-seal-key-v1';
const FINGERPRINT_LABEL = 'rnn-exam/student-fingerprint-key-v1';

export interface ManifestKeys {
  readonly seal: Buffer;
  readonly fingerprint: Buffer;
}

function derive(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('rnn-exam'), Buffer.from(label), 32));
}

export function manifestKeys(secret: string): ManifestKeys {
  return { seal: derive(secret, SEAL_LABEL), fingerprint: derive(secret, FINGERPRINT_LABEL) };
}

/** A keyed fingerprint (32 hex digits) of `text` for one `purpose`: equal inputs give equal fingerprints. */
export function keyedFingerprint(keys: ManifestKeys, purpose: string, text: string): string {
  return createHmac('sha256', keys.fingerprint).update(`${purpose}\u0000${text}`).digest('hex').slice(0, 32);
}

/** The MAC of one part of the manifest (64 hex digits). */
export function sealOf(keys: ManifestKeys, part: string, text: string): string {
  return createHmac('sha256', keys.seal).update(`${SEAL_SCHEME}\u0000${part}\u0000${text}`).digest('hex');
}

export function sameMac(a: string | undefined, b: string): boolean {
  if (a === undefined || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
