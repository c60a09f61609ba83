import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { RnnExamError } from '../errors.ts';
import { assertNotLink, fileSystemProblem } from './atomic-write.ts';

/**
 * One writing run per output folder. Two runs on one folder would clear each other's temporary
 * files at start and overwrite each other's manifest, so a run takes this lock before it writes
 * anything and removes it when it ends, however it ends short of being killed. A lock left by a
 * killed run names a process that no longer exists on this machine: the next run takes it over.
 */
export const LOCK_FILE = '.rnn-exam.lock';

export interface FolderLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockOwner { pid: number; host: string; started: string }

export async function lockOutputFolder(dir: string, now: () => Date = () => new Date()): Promise<FolderLock> {
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: now().toISOString() };
  assertNotLink(path);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await placeLock(path, `${JSON.stringify(owner)}\n`)) return { path, release: () => unlink(path).catch(() => {}) };
    const holder = await readOwner(path);
    if (attempt === 0 && holder && isGone(holder)) {
      await unlink(path).catch(() => {}); // left by a run that was killed: take it over
      continue;
    }
    throw new RnnExamError({
      where: dir,
      what: holder
        ? `another rnn-exam run (process ${holder.pid} on ${holder.host}, started ${holder.started}) is writing to this folder`
        : `another rnn-exam run appears to be writing to this folder (${LOCK_FILE} is there)`,
      fix: `wait for that run to finish, or stop it; if no run is going on (say the machine restarted), delete ${path} and run again`,
    });
  }
  throw new Error('unreachable');
}

/**
 * Writes the owner to a temporary file and hard-links it into place: the lock appears whole or
 * not at all. (Created in place and then written, a full disk left an empty lock that refused
 * every later run.) False when a lock is already there.
 */
async function placeLock(path: string, text: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RnnExamError(fileSystemProblem(path, error), { cause: error });
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.started === 'string' ? owner as LockOwner : undefined;
  } catch {
    return undefined; // unreadable or half written: held, as far as we can tell
  }
}

/** A lock from this machine whose process has ended. Another machine's (a shared folder) is never assumed gone. */
function isGone(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
