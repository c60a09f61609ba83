import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanStaleTemporaryFiles, ensureWritableDir, safeJoin, writeFileAtomic } from '../../src/output/atomic-write.ts';
import { rnnError, tempDir } from './helpers.ts';

describe('writeFileAtomic', () => {
  it('writes new content and replaces old content, leaving no temporary file', async () => {
    const dir = await tempDir();
    const target = join(dir, 'paper.pdf');
    await writeFileAtomic(target, 'first version');
    expect(await readFile(target, 'utf8')).toBe('first version');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    expect([...await readFile(target)]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['paper.pdf']);
  });

  it('fails with a clear error and no temporary file when the parent is a file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'out'), 'not a folder');
    const message = await rnnError(() => writeFileAtomic(join(dir, 'out', 'paper.pdf'), 'x'));
    expect(message).toContain(join(dir, 'out', 'paper.pdf'));
    expect(message).toMatch(/part of the path is a file, not a folder\. Fix: choose another --out folder/);
    expect(await readdir(dir)).toEqual(['out']);
  });

  it('removes the fully written temporary file when the final rename fails', async () => {
    const dir = await tempDir();
    // A non-empty folder where the file should go: the rename fails after the data was written.
    await mkdir(join(dir, 'paper.pdf'));
    await writeFile(join(dir, 'paper.pdf', 'keep'), 'k');
    const message = await rnnError(() => writeFileAtomic(join(dir, 'paper.pdf'), 'x'.repeat(100_000)));
    expect(message).toMatch(/paper\.pdf: cannot be written/);
    expect(await readdir(dir)).toEqual(['paper.pdf']);
    expect((await stat(join(dir, 'paper.pdf'))).isDirectory()).toBe(true);
  });

  it('fails cleanly when the folder was removed', async () => {
    const dir = await tempDir();
    const message = await rnnError(() => writeFileAtomic(join(dir, 'gone', 'paper.pdf'), 'x'));
    expect(message).toMatch(/the folder does not exist/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('cleanStaleTemporaryFiles', () => {
  it('removes leftovers of dead runs in the folder, its student folders and their attempt folders only', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'S1', 'attempt-2', 'deep'), { recursive: true });
    const deadPid = 99_999_999; // above any Linux pid_max
    const files = {
      [`.paper.pdf.${deadPid}.abc123.tmp`]: 'removed',
      [`S1/.paper.pdf.${deadPid}.0a0b.tmp`]: 'removed',
      'S1/.solution.html.tmp': 'removed (no pid: not ours to wait for)',
      [`.manifest.json.${process.pid}.ff.tmp`]: 'kept: this process is still writing it',
      [`S1/attempt-2/.paper.pdf.${deadPid}.0c.tmp`]: 'removed: a re-sit\'s folder',
      'S1/attempt-2/deep/.x.tmp': 'kept: three levels down',
      'notes.tmp': 'kept: not hidden',
      '.hidden': 'kept: not .tmp',
      'S1/paper.pdf': 'kept',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    expect(await cleanStaleTemporaryFiles(dir)).toBe(4);
    expect((await readdir(dir, { recursive: true })).sort()).toEqual([
      `.hidden`, `.manifest.json.${process.pid}.ff.tmp`, 'S1', 'S1/attempt-2', 'S1/attempt-2/deep', 'S1/attempt-2/deep/.x.tmp', 'S1/paper.pdf', 'notes.tmp',
    ].sort());
  });

  it('returns 0 for a folder that does not exist yet', async () => {
    expect(await cleanStaleTemporaryFiles(join(await tempDir(), 'new'))).toBe(0);
  });
});

describe('ensureWritableDir', () => {
  it('creates nested folders and leaves nothing behind', async () => {
    const dir = join(await tempDir(), 'a', 'b');
    await ensureWritableDir(dir);
    expect(await readdir(dir)).toEqual([]);
    await ensureWritableDir(dir); // already there: fine
  });

  it('says so when the path is a file', async () => {
    const file = join(await tempDir(), 'out');
    await writeFile(file, 'x');
    expect(await rnnError(() => ensureWritableDir(file))).toBe(
      `${file}: is a file, not a folder. Fix: choose another --out folder, or rename that file.`);
  });

  it('says so when a parent is a file', async () => {
    const file = join(await tempDir(), 'out');
    await writeFile(file, 'x');
    expect(await rnnError(() => ensureWritableDir(join(file, 'exam')))).toMatch(/part of the path is a file, not a folder/);
  });
});

describe('safeJoin', () => {
  it('joins plain names', () => {
    expect(safeJoin('/out', 'S1', 'paper.pdf')).toBe('/out/S1/paper.pdf');
    expect(safeJoin('out', 'a..b')).toBe(join('out', 'a..b'));
    expect(resolve(safeJoin('.', 'x'))).toBe(resolve('x'));
  });

  it('rejects anything that could leave the folder', async () => {
    for (const part of ['..', '.', '', '/etc', 'a/b', 'a\\b', 'a\u0000b', 'C:evil', '../x']) {
      expect(await rnnError(() => safeJoin('/out', part)), JSON.stringify(part)).toMatch(/^\/out: refusing to use/);
    }
  });
});
