import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileEntry, hashFile, sha256Hex, verifyFilesAgainstManifest, writeManifest, type Manifest } from '../../src/output/manifest.ts';
import { base, student } from './fixtures.ts';
import { rnnError, tempDir } from './helpers.ts';

async function writeOutput(dir: string, files: Record<string, string>): Promise<Manifest> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const entry = (path: string) => fileEntry(dir, path, files[path]);
  const m: Manifest = {
    ...base(),
    students: ['S1', 'S2'].map((id) => ({ ...student(id), files: [entry(`${id}/paper.pdf`), entry(`${id}/solution.pdf`)] })),
    cohortFiles: [entry('marking-key.csv')],
  };
  await writeManifest(dir, m);
  return m;
}

describe('verifyFilesAgainstManifest', () => {
  it('finds a changed byte, a missing file and foreign files', async () => {
    const dir = await tempDir();
    const m = await writeOutput(dir, {
      'S1/paper.pdf': 'paper one', 'S1/solution.pdf': 'solution one',
      'S2/paper.pdf': 'paper two', 'S2/solution.pdf': 'solution two', 'marking-key.csv': 'id,total\r\n',
    });
    expect(await verifyFilesAgainstManifest(dir, m)).toEqual({
      missing: [], changed: [], foreign: [], links: [],
      ok: ['S1/paper.pdf', 'S1/solution.pdf', 'S2/paper.pdf', 'S2/solution.pdf', 'marking-key.csv'],
    });

    await writeFile(join(dir, 'S1/paper.pdf'), 'paper onE');
    await rm(join(dir, 'S2/solution.pdf'));
    await writeFile(join(dir, 'S2/notes.txt'), 'mine');
    await writeFile(join(dir, '.manifest.json.99999999.ab.tmp'), 'stray');
    expect(await verifyFilesAgainstManifest(dir, m)).toEqual({
      missing: ['S2/solution.pdf'],
      changed: ['S1/paper.pdf'],
      foreign: ['.manifest.json.99999999.ab.tmp', 'S2/notes.txt'],
      links: [],
      ok: ['S1/solution.pdf', 'S2/paper.pdf', 'marking-key.csv'],
    });
  });

  it('treats a missing folder as all files missing', async () => {
    const m = { ...base(), students: [student('S1')], cohortFiles: [] };
    const result = await verifyFilesAgainstManifest(join(await tempDir(), 'none'), m);
    expect(result.missing).toEqual(['S1/paper.pdf', 'S1/solution.pdf']);
    expect(result.foreign).toEqual([]);
  });

  it('refuses a manifest path that leaves the folder', async () => {
    const dir = await tempDir();
    const m = { ...base(), students: [], cohortFiles: [{ path: '../secret.txt', sha256: 'a'.repeat(64), bytes: 1 }] };
    expect(await rnnError(() => verifyFilesAgainstManifest(dir, m))).toMatch(/manifest\.json: lists "\.\.\/secret\.txt" is not a plain relative path/);
  });

  it('hashes files by streaming, in agreement with sha256Hex', async () => {
    const path = join(await tempDir(), 'big.bin');
    const data = new Uint8Array(3_000_000).map((_, i) => i % 251);
    await writeFile(path, data);
    expect(await hashFile(path)).toEqual({ sha256: sha256Hex(data), bytes: data.length });
  });
});
