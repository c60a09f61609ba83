import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RnnExamError } from '../errors.ts';
import { LOCK_FILE } from './folder-lock.ts';
import { fileSystemProblem, relativePathProblem, safeJoinPosix } from './atomic-write.ts';
import { compareCodeUnits, MANIFEST_FILE, type Manifest, type ManifestFile } from './manifest-format.ts';

export interface VerifyResult {
  /** listed in the manifest, not on disk */
  missing: string[];
  /** on disk with other bytes than the manifest records */
  changed: string[];
  /** on disk, not in the manifest (stray .tmp files included) */
  foreign: string[];
  /** present and identical */
  ok: string[];
  /** symbolic links in the folder: never followed (what they point to is not the issued file) */
  links: string[];
}

/** How many files are hashed at once: enough to keep the disk busy, few enough file handles. */
const PARALLEL_HASHES = 8;

/** sha256 and size of a file, streamed so a large PDF is never held in memory whole. */
export function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path)
      .on('data', (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      })
      .on('error', reject)
      .on('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
  });
}

/** Every file under `dir`, as '/'-separated paths relative to it; links are listed apart and not followed. */
async function listFiles(dir: string, links: string[], prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isSymbolicLink()) links.push(path);
    else if (entry.isDirectory()) files.push(...await listFiles(dir, links, path));
    else files.push(path);
  }
  return files;
}

async function mapInPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type Status = 'ok' | 'missing' | 'changed';

async function checkFile(dir: string, file: ManifestFile): Promise<Status> {
  let path: string;
  try {
    path = safeJoinPosix(dir, file.path);
  } catch {
    return 'changed'; // reached through a link: not the issued file, whatever it points to
  }
  try {
    const actual = await hashFile(path);
    return actual.sha256 === file.sha256 && actual.bytes === file.bytes ? 'ok' : 'changed';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'EISDIR') return 'changed';
    throw new RnnExamError(fileSystemProblem(path, error, 'cannot be read'), { cause: error });
  }
}

/**
 * Compares the output folder with its manifest: which listed files are missing or
 * changed, which are intact, and which files nobody listed (manifest.json itself aside).
 */
export async function verifyFilesAgainstManifest(dir: string, manifest: Manifest): Promise<VerifyResult> {
  const listed = new Map<string, ManifestFile>();
  for (const file of [...manifest.students.flatMap((s) => s.files), ...manifest.cohortFiles]) {
    const why = relativePathProblem(file.path);
    if (why) throw new RnnExamError({ where: join(dir, MANIFEST_FILE), what: `lists ${why}`, fix: 'delete it or re-run with --force' });
    listed.set(file.path, file);
  }
  const files = [...listed.values()];
  const statuses = await mapInPool(files, PARALLEL_HASHES, (file) => checkFile(dir, file));
  const result: VerifyResult = { missing: [], changed: [], foreign: [], ok: [], links: [] };
  files.forEach((file, i) => result[statuses[i]].push(file.path));

  let present: string[];
  try {
    present = await listFiles(dir, result.links);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new RnnExamError(fileSystemProblem(dir, error, 'cannot be read'), { cause: error });
    }
    present = []; // no folder at all: everything listed is missing, nothing is foreign
  }
  result.foreign = present.filter((path) => path !== MANIFEST_FILE && path !== LOCK_FILE && !listed.has(path));
  for (const list of Object.values(result)) list.sort(compareCodeUnits);
  return result;
}
