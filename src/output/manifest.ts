import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RnnExamError } from '../errors.ts';
import { assertNotLink, fileSystemProblem, writeFileAtomic } from './atomic-write.ts';
import { MANIFEST_FILE, parseManifestValue, serializeManifest, type Manifest } from './manifest-format.ts';
import type { ManifestKeys } from './manifest-seal.ts';

export {
  canonicalJson, checkManifestSeal, compareCodeUnits, entryKey, fileEntry, MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_FORMAT_V1, secretFingerprint,
  serializeManifest, sha256Hex, studentFolder,
  type Manifest, type ManifestBase, type ManifestFile, type ManifestStudent, type SealCheck, type StudentInputs,
} from './manifest-format.ts';
export { keyedFingerprint, manifestKeys, type ManifestKeys } from './manifest-seal.ts';
export { ManifestWriter, type ManifestWriterOptions } from './manifest-writer.ts';
export { hashFile, verifyFilesAgainstManifest, type VerifyResult } from './verify-output.ts';

const REPLACE_FIX = 'delete it or re-run with --force';

/**
 * The manifest of an earlier run in `dir`, or undefined when there is none. A damaged or
 * foreign manifest is an error, because the folder may hold someone else's papers; with
 * `force` it is treated as absent (the run is about to replace it anyway).
 */
export async function readManifest(dir: string, options: { force?: boolean } = {}): Promise<Manifest | undefined> {
  const path = join(dir, MANIFEST_FILE);
  assertNotLink(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (options.force) return undefined;
    throw new RnnExamError({ ...fileSystemProblem(path, error, 'cannot be read'), fix: `fix its permissions, or ${REPLACE_FIX}` }, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (options.force) return undefined;
    throw new RnnExamError({ where: path, what: `is not valid JSON (${(error as Error).message})`, fix: REPLACE_FIX }, { cause: error });
  }
  const parsed = parseManifestValue(value);
  if ('manifest' in parsed) return parsed.manifest;
  if (options.force) return undefined;
  throw new RnnExamError({ where: path, what: parsed.problem, fix: REPLACE_FIX });
}

export async function writeManifest(dir: string, manifest: Manifest, keys?: ManifestKeys): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST_FILE), serializeManifest(manifest, keys));
}

export interface OutputIdentity {
  examId: string;
  secretFingerprint: string;
  examConfigSha256: string;
  /** compared too when given */
  seedScheme?: string;
}

/**
 * Refuses to mix papers of different exams, secrets or configs in one folder: a marking
 * key would no longer match every paper beside it. Fingerprints are never printed.
 */
export function checkOutputCompatible(existing: Manifest | undefined, current: OutputIdentity, dir: string, force: boolean): void {
  if (!existing || force) return;
  const differences: string[] = [];
  if (existing.examId !== current.examId) {
    differences.push(`of exam '${existing.examId}' (this run is exam '${current.examId}')`);
  }
  if (existing.secretFingerprint !== current.secretFingerprint) differences.push('made with a different secret');
  if (existing.examConfigSha256 !== current.examConfigSha256) differences.push('made from a different exam config');
  if (current.seedScheme !== undefined && existing.seedScheme !== current.seedScheme) {
    differences.push(`drawn with seed scheme '${existing.seedScheme}' (this run uses '${current.seedScheme}')`);
  }
  if (differences.length === 0) return;
  throw new RnnExamError({
    where: dir,
    what: `this folder already holds papers ${joinList(differences)}`,
    fix: 'use another --out folder, or pass --force to replace them',
  });
}

function joinList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
