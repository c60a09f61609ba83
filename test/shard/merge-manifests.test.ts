import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/pipeline/generate.ts';
import { mergeManifests } from '../../src/pipeline/merge-manifests.ts';
import { shardOf } from '../../src/pipeline/shard.ts';
import { runCli } from '../helpers/run-cli.ts';

/** Three shards and one whole run of the same roster, as HTML (no browser needed). */
const env = { RNN_EXAM_SECRET: 'shard-test-secret-0000000001' };
const examPath = 'examples/exam.json';
const root = mkdtempSync(join(tmpdir(), 'rnn-exam-shard-'));
const roster = join(root, 'roster.csv');
const ids = Array.from({ length: 12 }, (_, i) => `S${String(i * 37 + 5).padStart(5, '0')}`);
writeFileSync(roster, `Student ID,Full name\n${ids.map((id) => `${id},Student ${id}`).join('\n')}\n`);
const shardDir = (k: number) => join(root, `shard-${k}`);
const whole = join(root, 'whole');
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const studentIds = (dir: string) => manifestOf(dir).students.map((s: { id: string }) => s.id);
const run = (outDir: string, shard?: { index: number; count: number }) =>
  generate({ examPath, rosterPath: roster, outDir, format: 'html', env, shard });

/** A copy of the three shard folders whose manifests can be edited. */
function copyShards(): string[] {
  const dir = mkdtempSync(join(root, 'copy-'));
  return [1, 2, 3].map((k) => {
    cpSync(shardDir(k), join(dir, `shard-${k}`), { recursive: true });
    return join(dir, `shard-${k}`);
  });
}
function editManifest(dir: string, edit: (m: { students: Array<{ id: string }>; [k: string]: unknown }) => void): void {
  const m = manifestOf(dir);
  edit(m);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
}

describe('generate --shard and merge-manifests', () => {
  beforeAll(async () => {
    await run(whole);
    for (const k of [1, 2, 3]) await run(shardDir(k), { index: k, count: 3 });
  }, 120_000);

  it('each shard makes exactly its students, and only shard 1 the cohort key', () => {
    for (const k of [1, 2, 3]) {
      const m = manifestOf(shardDir(k));
      expect(m.shard).toEqual({ index: k, count: 3 });
      expect(m.students.map((s: { id: string }) => s.id)).toEqual(ids.filter((id) => shardOf(id, 3) === k).sort());
      expect(m.cohortFiles.length > 0).toBe(k === 1);
    }
  });

  it('the union of the three shards is the whole run\'s students, each once', () => {
    const union = [1, 2, 3].flatMap((k) => studentIds(shardDir(k)));
    expect(new Set(union).size).toBe(union.length);
    expect(union.sort()).toEqual(studentIds(whole));
  });

  it('merging with --copy gives the whole run\'s manifest and files, byte for byte', async () => {
    const out = join(root, 'merged');
    const summary = await mergeManifests({ outDir: out, shardDirs: [3, 1, 2].map(shardDir), rosterPath: roster, copy: true, env });
    expect(summary).toMatchObject({ shards: 3, students: ids.length });
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(readFileSync(join(whole, 'manifest.json'), 'utf8'));
    const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length));
    expect(files(out).sort()).toEqual(files(whole).sort());
    for (const f of files(whole)) expect(readFileSync(join(out, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
  });

  it('finds a student missing from every shard', async () => {
    const dirs = copyShards();
    let dropped = '';
    editManifest(dirs[1], (m) => { dropped = m.students.pop()!.id; });
    await expect(mergeManifests({ outDir: join(root, 'm-missing'), shardDirs: dirs, rosterPath: roster, copy: true, env }))
      .rejects.toThrow(new RegExp(`1 student\\(s\\) on the roster are in no shard: ${dropped}`));
  });

  it('finds a student in two shards', async () => {
    const dirs = copyShards();
    const stray = manifestOf(dirs[0]).students[0];
    editManifest(dirs[2], (m) => { m.students.push(stray); });
    const error = await mergeManifests({ outDir: join(root, 'm-dup'), shardDirs: dirs, rosterPath: roster, copy: true, env }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(new RegExp(`student ${stray.id} is in more than one shard`));
    expect((error as Error).message).toMatch(new RegExp(`shard-3: holds student ${stray.id}, who belongs to shard 1/3`));
  });

  it('finds a missing shard, a shard named twice and shards that disagree', async () => {
    const dirs = copyShards();
    await expect(mergeManifests({ outDir: join(root, 'm-x'), shardDirs: [dirs[0], dirs[2], dirs[2]], rosterPath: roster, env }))
      .rejects.toThrow(/shard 2\/3 is missing[\s\S]*all hold shard 3\/3/);
    editManifest(dirs[1], (m) => { m.secretFingerprint = '0000000000000000'; m.browser = 'Chrome/1.0'; });
    await expect(mergeManifests({ outDir: join(root, 'm-y'), shardDirs: dirs, rosterPath: roster, env }))
      .rejects.toThrow(/was made with another secret than .*\(secretFingerprint differs\)[\s\S]*another browser/);
  });

  it('checks every shard\'s seal with the secret: an altered entry is named, another secret refused', async () => {
    const dirs = copyShards();
    const victim = manifestOf(dirs[1]).students[0].id;
    editManifest(dirs[1], (m) => { Object.assign(m.students[0], { paperCode: 'ZZZZ-ZZZZ' }); });
    await expect(mergeManifests({ outDir: join(root, 'm-sealed'), shardDirs: dirs, rosterPath: roster, copy: true, env }))
      .rejects.toThrow(new RegExp(`shard-2/manifest\\.json: the manifest entry of student '${victim}' \\(attempt 1\\) was altered after it was written`));
    await expect(mergeManifests({ outDir: join(root, 'm-other'), shardDirs: [1, 2, 3].map(shardDir), rosterPath: roster, copy: true, env: { RNN_EXAM_SECRET: 'another-secret-entirely-0001' } }))
      .rejects.toThrow(/shard-1\/manifest\.json: was made with another secret than the one given/);
  });

  it('without --copy the files must already be in --out', async () => {
    await expect(mergeManifests({ outDir: join(root, 'empty'), shardDirs: [1, 2, 3].map(shardDir), rosterPath: roster, env }))
      .rejects.toThrow(/file\(s\) of the shards are not here as recorded.*Fix: copy the shard folders' contents into it first/);
  });

  it('a shard refuses a folder that holds another shard; the CLI takes --shard K/N', () => {
    const other = runCli(['generate', '--exam', examPath, '--roster', roster, '--format', 'html', '--shard', '2/3', '--out', shardDir(1)], { env });
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/this folder holds shard 1\/3, and this run is shard 2\/3/);
    const again = runCli(['generate', '--exam', examPath, '--roster', roster, '--format', 'html', '--shard', '1/3', '--out', shardDir(1), '--json'], { env });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: studentIds(shardDir(1)).length, written: 0 });
    const bad = runCli(['generate', '--exam', examPath, '--roster', roster, '--format', 'html', '--shard', '4/3'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--shard: "4\/3" is not a shard K\/N/);
  });
});
