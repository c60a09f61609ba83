import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestWriter, readManifest, serializeManifest } from '../../src/output/manifest.ts';
import { base, manifest, student } from './fixtures.ts';
import { rnnError, tempDir } from './helpers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ManifestWriter', () => {
  it('ends with every student when records and flushes interleave', async () => {
    const dir = await tempDir();
    const writer = new ManifestWriter(dir, base(), undefined, { minIntervalMs: 1, everyChanges: 7 });
    const flushes: Array<Promise<void>> = [];
    const ids = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    for (const [i, id] of ids.entries()) {
      writer.recordStudent(student(id));
      if (i % 13 === 0) flushes.push(writer.flush());
      if (i % 50 === 0) await sleep(2); // let background writes start mid-batch
    }
    writer.setCohortFiles(manifest([]).cohortFiles);
    await Promise.all([...flushes, writer.flush()]);

    const written = await readManifest(dir);
    expect(written?.students.map((s) => s.id)).toEqual(ids);
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(serializeManifest({ ...manifest([]), students: ids.map((id) => student(id)) }));
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('keeps earlier students, adds a re-sit beside the first attempt, and replaces an attempt recorded again', async () => {
    const dir = await tempDir();
    const writer = new ManifestWriter(dir, base({ examId: 'comp4-2025' }), manifest(['S1', 'S2']));
    writer.recordStudent({ ...student('S2', 2), paperCode: 'NEW0-CODE' });
    writer.recordStudent({ ...student('S1', 1), paperCode: 'REDO-CODE' });
    writer.recordStudent(student('S3'));
    await writer.flush();
    const written = await readManifest(dir);
    expect(written?.students.map((s) => [s.id, s.attempt, s.paperCode])).toEqual([
      ['S1', 1, 'REDO-CODE'], ['S2', 1, 'ABCD-EFGH'], ['S2', 2, 'NEW0-CODE'], ['S3', 1, 'ABCD-EFGH']]);
    expect(written?.cohortFiles).toHaveLength(2);
  });

  it('writes in the background within the interval, without waiting for flush()', async () => {
    const dir = await tempDir();
    const writer = new ManifestWriter(dir, base(), undefined, { minIntervalMs: 20 });
    writer.recordStudent(student('S1'));
    expect(await readManifest(dir)).toBeUndefined();
    await sleep(200);
    expect((await readManifest(dir))?.students.map((s) => s.id)).toEqual(['S1']);
    await writer.flush();
  });

  it('writes once per flush when nothing changed in between, and flush of an empty run still writes', async () => {
    const dir = await tempDir();
    const writer = new ManifestWriter(dir, base());
    await writer.flush();
    expect((await readManifest(dir))?.students).toEqual([]);
    await rm(join(dir, 'manifest.json'));
    await writer.flush(); // nothing new: no write
    expect(await readManifest(dir)).toBeUndefined();
  });

  it('reports a failed write on flush and succeeds once the folder is back', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const writer = new ManifestWriter(out, base(), undefined, { minIntervalMs: 1, everyChanges: 1 });
    writer.recordStudent(student('S1')); // background write fails: the folder is missing
    await sleep(20);
    expect(await rnnError(() => writer.flush())).toMatch(/out\/manifest\.json: cannot be written: the folder does not exist/);
    await mkdir(out);
    await writer.flush();
    expect((await readManifest(out))?.students.map((s) => s.id)).toEqual(['S1']);
  });
});
