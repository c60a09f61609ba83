import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src/output/atomic-write.ts';
import { rnnError, tempDir } from './helpers.ts';

/** When set, the next temporary file gets half its data and then the disk is "full". */
const failure = vi.hoisted(() => ({ code: undefined as string | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (...args) => {
    const handle = await fs.open(...args);
    const code = failure.code;
    if (code === undefined) return handle;
    failure.code = undefined;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'writeFile') {
          return async (data: string) => {
            await target.write(data.slice(0, data.length / 2));
            throw Object.assign(new Error(`${code}: simulated`), { code });
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...fs, open, default: { ...fs, open } };
});

describe('writeFileAtomic when the disk fails part-way', () => {
  it('keeps the old file whole, removes the partial temporary file, and says what to do', async () => {
    const dir = await tempDir();
    const target = join(dir, 'marking-key.csv');
    await writeFile(target, 'old complete content');
    failure.code = 'ENOSPC';
    const message = await rnnError(() => writeFileAtomic(target, 'new content that will not fit'));
    expect(message).toBe(`${target}: cannot be written: the disk is full. Fix: free disk space.`);
    expect(await readFile(target, 'utf8')).toBe('old complete content');
    expect(await readdir(dir)).toEqual(['marking-key.csv']);
  });

  it('gives the permissions fix for EACCES', async () => {
    const dir = await tempDir();
    failure.code = 'EACCES';
    const message = await rnnError(() => writeFileAtomic(join(dir, 'a.pdf'), 'data'));
    expect(message).toMatch(/permission denied\. Fix: choose a folder you may write to with --out, or fix its permissions\.$/);
    expect(await readdir(dir)).toEqual([]);
  });
});
