import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockOutputFolder } from '../../src/output/folder-lock.ts';
import { rnnError, tempDir } from './helpers.ts';

/** The pid of a process that has ended (it ran and exited). */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('the output folder lock', () => {
  it('one holder at a time; the second is told who holds it and what to do', async () => {
    const dir = await tempDir();
    const lock = await lockOutputFolder(dir, () => new Date('2026-11-28T10:00:00Z'));
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual({ pid: process.pid, host: hostname(), started: '2026-11-28T10:00:00.000Z' });
    const message = await rnnError(() => lockOutputFolder(dir));
    expect(message).toContain(`another rnn-exam run (process ${process.pid} on ${hostname()}, started 2026-11-28T10:00:00.000Z) is writing to this folder`);
    expect(message).toMatch(/Fix: wait for that run to finish, or stop it; if no run is going on .* delete .*\.rnn-exam\.lock and run again/);
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await (await lockOutputFolder(dir)).release();
  });

  it('takes over the lock of a run that was killed on this machine', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: endedPid(), host: hostname(), started: '2026-11-28T09:00:00.000Z' }));
    const lock = await lockOutputFolder(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('never assumes another machine\'s run (a shared folder) or an unreadable lock is gone', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: endedPid(), host: 'some-other-host', started: '2026-11-28T09:00:00.000Z' }));
    expect(await rnnError(() => lockOutputFolder(dir))).toContain('on some-other-host');
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    expect(await rnnError(() => lockOutputFolder(dir))).toContain('another rnn-exam run appears to be writing to this folder (.rnn-exam.lock is there)');
  });
});
