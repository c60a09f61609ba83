import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { mkdir, open, readdir, rename, rmdir, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep, win32 } from 'node:path';
import { RnnExamError, type Problem } from '../errors.ts';
import { outputModes } from './output-mode.ts';

const WRITE_FIX = 'choose a folder you may write to with --out, or fix its permissions';

/** `.<base>.<pid>.<random>.tmp`: hidden, recognisable as ours, and tells which process made it. */
const TEMP_NAME = /^\..*\.tmp$/;
const TEMP_PID = /\.(\d+)\.[0-9a-f]+\.tmp$/;

function temporaryName(base: string): string {
  return `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Turns a file-system error into a Problem a teacher can act on. */
export function fileSystemProblem(where: string, error: unknown, verb = 'cannot be written'): Problem {
  const code = errorCode(error);
  switch (code) {
    case 'EACCES': case 'EPERM': return { where, what: `${verb}: permission denied`, fix: WRITE_FIX };
    case 'EROFS': return { where, what: `${verb}: the disk is read-only`, fix: WRITE_FIX };
    case 'ENOSPC': case 'EDQUOT': return { where, what: `${verb}: the disk is full`, fix: 'free disk space' };
    case 'ENOTDIR': return { where, what: `${verb}: part of the path is a file, not a folder`, fix: 'choose another --out folder, or rename that file' };
    case 'ENOENT': return { where, what: `${verb}: the folder does not exist (it may have been removed during the run)`, fix: 'check the --out path and run again' };
    case 'EISDIR': return { where, what: `${verb}: a folder of that name is in the way`, fix: 'remove or rename that folder' };
    default: return { where, what: `${verb} (${code ?? String(error)})`, fix: 'check the --out path and the disk, then run again' };
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Already gone (renamed or never created): nothing to clean up.
  }
}

/** Makes a rename durable. Windows and some file systems cannot fsync a folder; that is fine. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EINVAL', 'EPERM', 'EISDIR', 'ENOTSUP', 'EBADF'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Bytes, text, or pieces written one after another (a large CSV need never be whole in memory). */
export type AtomicData = Uint8Array | string | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

/**
 * Writes `data` to `path` so that readers only ever see the old file or the complete new
 * one: a killed run can leave a stray `.tmp` file, never a half-written PDF or manifest.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const dir = dirname(path);
  const temporary = join(dir, temporaryName(basename(path)));
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', outputModes().file);
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else await writeFile(handle, data); // pieces: the function takes (async) iterables, the method's types do not
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
    await syncDirectory(dir);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await removeQuietly(temporary);
    if (error instanceof RnnExamError) throw error;
    throw new RnnExamError(fileSystemProblem(path, error), { cause: error });
  }
}

/** A process that is still running may be writing its temporary file right now. */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function isStale(name: string): boolean {
  if (!TEMP_NAME.test(name)) return false;
  const pid = TEMP_PID.exec(name)?.[1];
  return pid === undefined || !isRunning(Number(pid));
}

async function removeStaleIn(dir: string, depth: number): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return 0;
    throw new RnnExamError(fileSystemProblem(dir, error, 'cannot be read'), { cause: error });
  }
  let removed = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0) removed += await removeStaleIn(path, depth - 1);
    } else if (entry.isFile() && isStale(entry.name)) {
      await unlink(path).then(() => removed++, () => undefined);
    }
  }
  return removed;
}

/**
 * Removes `.*.tmp` files left by a killed run in `dir` and its immediate subfolders (the
 * student folders). Files named by a process that is still running are left alone, so two
 * runs cannot pull each other's half-written files away. Returns how many were removed.
 */
export async function cleanStaleTemporaryFiles(dir: string): Promise<number> {
  return removeStaleIn(dir, 2); // student folders and their attempt-N folders
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir spins forever where the parent
 * exists but refuses new entries with ENOENT (e.g. under /proc).
 */
export async function makeFolders(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let at = resolve(dir); !(await stat(at).catch(() => undefined)); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  const made: string[] = [];
  const mode = outputModes().folder;
  for (const folder of missing) {
    await mkdir(folder, mode).then(() => made.push(folder), (error: unknown) => { if (errorCode(error) !== 'EEXIST') throw error; });
  }
  return made;
}

/** Removes folders this run made (innermost first), where they are still empty. */
export async function removeEmptyFolders(made: string[]): Promise<void> {
  for (const folder of [...made].reverse()) await rmdir(folder).catch(() => undefined);
}

/**
 * Makes `dir` and runs `work` that writes into it; when the work fails (say the disk is full),
 * the folders made here are removed again if empty, so a failed student leaves no empty folder.
 */
export async function writeInFolder(dir: string, work: () => Promise<void>): Promise<void> {
  const made = await ensureWritableDir(dir);
  try {
    await work();
  } catch (error) {
    await removeEmptyFolders(made);
    throw error;
  }
}

/** Creates `dir` (and parents) and proves it is writable now, rather than failing after many papers. Returns the folders it made. */
export async function ensureWritableDir(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new RnnExamError({ where: dir, what: 'is a file, not a folder', fix: 'choose another --out folder, or rename that file' });
  }
  const probe = join(dir, temporaryName('rnn-exam-write-check'));
  let made: string[] = [];
  try {
    made = await makeFolders(dir);
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
    return made;
  } catch (error) {
    await removeQuietly(probe);
    await removeEmptyFolders(made);
    const problem = fileSystemProblem(dir, error, 'cannot be written to');
    throw new RnnExamError(errorCode(error) === 'EEXIST' ? { ...problem, what: 'is a file, not a folder' } : problem, { cause: error });
  }
}

function partProblem(part: string): string | undefined {
  if (part === '' || part === '.' || part === '..') return `'${part}' is not a file or folder name`;
  if (part.includes('\u0000')) return 'it contains a NUL character';
  if (part.includes('/') || part.includes('\\')) return 'it contains a path separator';
  if (isAbsolute(part) || win32.isAbsolute(part) || /^[A-Za-z]:/.test(part)) return 'it is an absolute path';
  return undefined;
}

/**
 * `join(root, ...parts)`, guaranteed to stay inside `root`. Student IDs are validated when
 * the roster is read; this is a second, independent check before anything is written.
 */
export function safeJoin(root: string, ...parts: string[]): string {
  for (const part of parts) {
    const why = partProblem(part);
    if (why) {
      throw new RnnExamError({ where: root, what: `refusing to use ${JSON.stringify(part)} as a name inside the output folder: ${why}`, fix: 'use plain names (student IDs may contain only letters, digits, ".", "_" and "-")' });
    }
  }
  const joined = join(root, ...parts);
  const inside = relative(resolve(root), resolve(joined));
  if (parts.length > 0 && (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))) {
    throw new RnnExamError({ where: root, what: `'${parts.join('/')}' would point outside the output folder`, fix: 'use plain names inside the output folder' });
  }
  for (let i = 1; i <= parts.length; i++) assertNotLink(join(root, ...parts.slice(0, i)));
  return joined;
}

/**
 * A link inside the output folder (a student folder, a file, the manifest, the lock) is never
 * followed: writing, resuming or --force through it would write or delete outside the folder.
 * The folder itself may be a link (say to a bigger disk): the user chose it.
 */
export function assertNotLink(path: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return; // not there (yet): nothing to follow
  }
  if (isLink) throw linkError(path);
}

export function linkError(path: string): RnnExamError {
  return new RnnExamError({
    where: path,
    what: 'is a symbolic link inside the output folder: rnn-exam never follows one (it could write or delete files outside the folder)',
    fix: 'remove the link (or replace it with a real folder or file) and run again',
  });
}

/** Why a manifest path ('/'-separated, relative) is unsafe, or undefined when it is fine. */
export function relativePathProblem(relativePath: string): string | undefined {
  for (const part of relativePath.split('/')) {
    const why = partProblem(part);
    if (why) return `${JSON.stringify(relativePath)} is not a plain relative path: ${why}`;
  }
  return undefined;
}

/** safeJoin for a relative path with '/' separators, as stored in the manifest. */
export function safeJoinPosix(root: string, relativePath: string): string {
  return safeJoin(root, ...relativePath.split('/'));
}
