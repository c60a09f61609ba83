import { LOCK_FILE } from './folder-lock.ts';
import { MANIFEST_FILE } from './manifest-format.ts';

/**
 * The names at the root of an output folder that belong to the batch, not to a student. A
 * student's folder is named by the ID, so an ID equal to one of these would overwrite the
 * batch's own file, or be overwritten by it. Add every new root file here.
 */
export const COHORT_KEY_BASENAME = 'marking-key';
export const COHORT_KEY_CSV = `${COHORT_KEY_BASENAME}.csv`;
export const BATCH_ROOT_FILES: readonly string[] = [MANIFEST_FILE, LOCK_FILE, COHORT_KEY_CSV];
/** `marking-key.pdf`, `marking-key-001.pdf`, … (see cohortDocumentNames) */
const COHORT_KEY_DOCUMENT = new RegExp(`^${COHORT_KEY_BASENAME}(-\\d+)?\\.(pdf|html)$`, 'i');

/** Why `name` (a student ID) would collide with the batch's own files, or undefined. Case-blind: so are many disks. */
export function batchFileClash(name: string): string | undefined {
  const lower = name.toLowerCase();
  const file = BATCH_ROOT_FILES.find((f) => f.toLowerCase() === lower);
  if (file) return `'${name}' is the name of the batch's own ${file} in the output folder`;
  if (COHORT_KEY_DOCUMENT.test(name)) return `'${name}' is the name of a cohort marking key document in the output folder`;
  return undefined;
}
