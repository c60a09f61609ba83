import { randomBytes } from 'node:crypto';
import { open, readdir, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { RnnExamError } from '../errors.ts';
import { linkError, safeJoinPosix } from './atomic-write.ts';
import { studentFolder, type Manifest, type ManifestFile } from './manifest-format.ts';

const OTHER_FOLDER = 'choose an --out folder on a disk you may write to (e.g. in your home folder)';

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** stat, or undefined where nothing exists (ENOTDIR: a file sits where a folder on the path should be). */
async function statIfPresent(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw new RnnExamError({ where: path, what: `cannot be inspected (${errorCode(error) ?? String(error)})`, fix: OTHER_FOLDER }, { cause: error });
  }
}

function reason(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'ENOSPC': case 'EDQUOT': return 'the disk is full';
    // e.g. /proc and /sys: the folder exists but accepts no new entries
    case 'ENOENT': return 'that folder does not accept new files';
    default: return errorCode(error) ?? String(error);
  }
}

/** Creates and removes one hidden file: the only sure test (root passes every permission check). */
async function probeWritable(folder: string): Promise<void> {
  const probe = join(folder, `.rnn-exam-write-check.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(probe, 'wx');
  } finally {
    await handle?.close().catch(() => undefined);
    if (handle) await unlink(probe).catch(() => undefined);
  }
}

/**
 * Checks that `dir` is a folder we may write to, or could be made inside the nearest folder
 * that exists, without creating anything: a run that stops on bad input leaves no trace.
 * Returns whether `dir` exists already.
 */
export async function checkOutputFolder(dir: string): Promise<boolean> {
  const target = resolve(dir);
  let existing = target;
  let info = await statIfPresent(existing);
  while (!info && dirname(existing) !== existing) {
    existing = dirname(existing);
    info = await statIfPresent(existing);
  }
  const exists = existing === target;
  if (info && !info.isDirectory()) {
    throw new RnnExamError(exists
      ? { where: dir, what: 'is a file, not a folder', fix: 'choose another --out folder, or rename that file' }
      : { where: dir, what: `cannot be created: ${existing} is a file, not a folder`, fix: 'choose another --out folder, or move that file away' });
  }
  try {
    await probeWritable(existing);
  } catch (error) {
    throw new RnnExamError({
      where: dir,
      what: exists ? `cannot be written to (${reason(error)})` : `cannot be created in ${existing} (${reason(error)})`,
      fix: `${OTHER_FOLDER}, or fix the permissions`,
    }, { cause: error });
  }
  return exists;
}

async function removeIfPresent(path: string, remove: (path: string) => Promise<void>): Promise<void> {
  try {
    await remove(path);
  } catch (error) {
    // Gone already, or (rmdir) a folder that still holds someone's own files: leave it.
    if (!['ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR'].includes(errorCode(error) ?? '')) throw error;
  }
}

/** Deletes the given manifest-listed files (paths checked to stay inside `dir`). */
export async function removeFiles(dir: string, files: ManifestFile[]): Promise<void> {
  for (const file of files) await removeIfPresent(safeJoinPosix(dir, file.path), unlink);
}

/**
 * --force over another exam's papers: deletes exactly the files its manifest lists (never
 * anything else) and then the student folders left empty, so no old paper sits beside the new.
 */
export async function removeRecordedFiles(dir: string, manifest: Manifest): Promise<void> {
  await removeFiles(dir, [...manifest.students.flatMap((s) => s.files), ...manifest.cohortFiles]);
  for (const student of manifest.students) {
    await removeIfPresent(safeJoinPosix(dir, studentFolder(student.id, student.attempt)), rmdir);
    await removeIfPresent(safeJoinPosix(dir, student.id), rmdir);
  }
}

/**
 * Every symbolic link in the output folder, its student folders and their attempt folders
 * (three levels): a run refuses to start while there is one, before it writes or deletes anything.
 */
export async function findLinks(dir: string, depth = 3): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // no folder (yet), or not one: checked elsewhere
  }
  const links: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) links.push(path);
    else if (entry.isDirectory() && depth > 1) links.push(...await findLinks(path, depth - 1));
  }
  return links.sort();
}

/** Refuses an output folder with links in it, naming them (at most 10, then a count). */
export async function refuseLinks(dir: string): Promise<void> {
  const links = await findLinks(dir);
  if (links.length === 0) return;
  const shown = links.slice(0, 10).map((path) => linkError(path).problems[0]);
  if (links.length > 10) shown.push({ where: dir, what: `and ${links.length - 10} more symbolic links`, fix: 'remove them too' });
  throw new RnnExamError(shown);
}
