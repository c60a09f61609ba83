import type { Manifest, ManifestBase, ManifestStudent } from '../../src/output/manifest.ts';

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export function base(overrides: Partial<ManifestBase> = {}): ManifestBase {
  return {
    format: 'rnn-exam/manifest-v2',
    tool: { name: 'rnn-exam', version: '0.1.0' },
    examId: 'comp4-2025',
    examConfigSha256: 'c'.repeat(64),
    secretFingerprint: '0123456789abcdef',
    seedScheme: 'rnn-exam/seed-v1',
    options: { format: 'pdf', only: ['S2', 'S1'] },
    ...overrides,
  };
}

export function student(id: string, attempt = 1): ManifestStudent {
  return {
    id,
    attempt,
    paperCode: 'ABCD-EFGH',
    paramsFingerprint: HASH_B.slice(0, 32),
    seedScheme: 'rnn-exam/seed-v1',
    files: [
      { path: `${id}/solution.pdf`, sha256: HASH_A, bytes: 20 },
      { path: `${id}/paper.pdf`, sha256: HASH_A, bytes: 10 },
    ],
  };
}

export function manifest(ids: string[], overrides: Partial<ManifestBase> = {}): Manifest {
  return {
    ...base(overrides),
    students: ids.map((id) => student(id)),
    cohortFiles: [
      { path: 'marking-key.pdf', sha256: HASH_A, bytes: 3 },
      { path: 'marking-key.csv', sha256: HASH_B, bytes: 4 },
    ],
  };
}
