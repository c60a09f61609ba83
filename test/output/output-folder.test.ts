import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolders } from '../../src/output/atomic-write.ts';
import { checkOutputFolder, removeRecordedFiles } from '../../src/output/output-folder.ts';
import { manifest } from './fixtures.ts';
import { rnnError, tempDir } from './helpers.ts';

describe('checkOutputFolder', () => {
  it('accepts an existing folder and a folder yet to be made, and creates nothing', async () => {
    const dir = await tempDir();
    expect(await checkOutputFolder(dir)).toBe(true);
    expect(await checkOutputFolder(join(dir, 'a', 'b', 'c'))).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the file that is in the way', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'f'), 'x');
    expect(await rnnError(() => checkOutputFolder(join(dir, 'f')))).toBe(`${join(dir, 'f')}: is a file, not a folder. Fix: choose another --out folder, or rename that file.`);
    expect(await rnnError(() => checkOutputFolder(join(dir, 'f', 'g', 'h')))).toMatch(new RegExp(`: cannot be created: ${join(dir, 'f')} is a file, not a folder\\. Fix: choose another --out folder, or move that file away\\.$`));
  });

  it('refuses a place that accepts no new files, quickly', async () => {
    expect(await rnnError(() => checkOutputFolder('/proc/rnn-exam-nowhere'))).toMatch(/cannot be created in \/proc \(that folder does not accept new files\)/);
  });
});

describe('makeFolders', () => {
  it('makes missing parents one by one, and fails (without spinning) where mkdir -p would hang', async () => {
    const dir = await tempDir();
    await makeFolders(join(dir, 'a', 'b'));
    await makeFolders(join(dir, 'a', 'b'));
    expect(await readdir(join(dir, 'a'))).toEqual(['b']);
    await expect(makeFolders('/proc/rnn-exam-nowhere/x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('removeRecordedFiles', () => {
  it('deletes exactly the files the manifest lists, and the student folders left empty', async () => {
    const dir = await tempDir();
    const old = manifest(['S1', 'S2']);
    for (const id of ['S1', 'S2']) await mkdir(join(dir, id));
    for (const file of [...old.students.flatMap((s) => s.files), ...old.cohortFiles]) await writeFile(join(dir, file.path), 'x');
    await writeFile(join(dir, 'S2', 'my-notes.txt'), 'not ours');
    await writeFile(join(dir, 'README.txt'), 'not ours');
    await removeRecordedFiles(dir, old);
    expect(existsSync(join(dir, 'S1'))).toBe(false);
    expect(await readdir(join(dir, 'S2'))).toEqual(['my-notes.txt']);
    expect((await readdir(dir)).sort()).toEqual(['README.txt', 'S2']);
  });
});
