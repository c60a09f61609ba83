import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { RnnExamError } from '../errors.ts';
import { ensureWritableDir, safeJoinPosix, writeFileAtomic } from '../output/atomic-write.ts';
import { lockOutputFolder } from '../output/folder-lock.ts';
import {
  canonicalJson, checkManifestSeal, checkOutputCompatible, MANIFEST_FILE, manifestKeys, readManifest, secretFingerprint, verifyFilesAgainstManifest, writeManifest,
  type Manifest, type ManifestFile, type ManifestKeys, type ManifestStudent,
} from '../output/manifest.ts';
import { readSecret } from '../random/read-secret.ts';
import { readRoster } from '../roster/read-roster.ts';
import { shardLabel, shardOf } from './shard.ts';

type Problem = RnnExamError['problems'][number];

export interface MergeOptions {
  /** the folder that gets the merged manifest.json (and, with copy, every file) */
  outDir: string;
  /** one output folder per shard, as written by `generate --shard K/N` */
  shardDirs: string[];
  /** the full roster: the shards must cover it exactly once */
  rosterPath: string;
  /** copy each shard's files into outDir (checked against their hashes) */
  copy?: boolean;
  /** the secret (else RNN_EXAM_SECRET): every shard's seal is checked with it, and the merged manifest sealed */
  secretFile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface MergeSummary { outDir: string; shards: number; students: number; files: number; copied: number }

interface ShardRun { dir: string; manifest: Manifest }

/** Fields every shard must share: together they say "same exam, same secret, same tool, same browser". */
const SAME: Array<[string, (m: Manifest) => string | undefined, string]> = [
  ['examId', (m) => m.examId, 'another exam'],
  ['examConfigSha256', (m) => m.examConfigSha256, 'another exam config'],
  ['secretFingerprint', (m) => m.secretFingerprint, 'another secret'],
  ['seedScheme', (m) => m.seedScheme, 'another seed scheme'],
  ['tool.version', (m) => m.tool.version, 'another rnn-exam version'],
  ['browser', (m) => m.browser, 'another browser'],
  ['options', (m) => canonicalJson(m.options), 'other options (format or attempt)'],
];

/**
 * Checks that the shards of one exam agree and cover the roster exactly once, then writes the
 * manifest of the whole run into outDir. File paths stay relative to the output folder, so the
 * shards' student folders must end up in outDir: copied by `copy`, or beforehand (rsync, cp -r).
 */
export async function mergeManifests(options: MergeOptions): Promise<MergeSummary> {
  const shards = await readShards(options.shardDirs);
  const roster = await readRoster(options.rosterPath);
  const secret = await readSecret({ secretFile: options.secretFile, env: options.env });
  const keys = manifestKeys(secret);
  const problems = [
    ...checkSeals(shards, secretFingerprint(secret), keys),
    ...checkShardSet(shards), ...checkAgreement(shards), ...checkStudents(shards, roster.map((s) => s.id), options.rosterPath),
  ];
  const cohort = mergeCohortFiles(shards, problems);
  if (problems.length > 0) throw new RnnExamError(problems);

  const first = shards[0].manifest;
  const merged: Manifest = { ...first, shard: undefined, students: shards.flatMap((s) => s.manifest.students), cohortFiles: cohort };
  await checkOutFolder(options.outDir, shards);
  await ensureWritableDir(options.outDir);
  const lock = await lockOutputFolder(options.outDir);
  let copied: number;
  try {
    copied = options.copy ? await copyShardFiles(shards, options.outDir) : 0;
    await checkFilesPresent(options.outDir, merged, options.copy ?? false);
    await writeManifest(options.outDir, merged, keys);
  } finally {
    await lock.release();
  }
  return { outDir: options.outDir, shards: shards.length, students: merged.students.length, files: countFiles(merged), copied };
}

/** Every shard made with this secret and its manifest untouched since: the merged seal vouches for them. */
function checkSeals(shards: ShardRun[], fingerprint: string, keys: ManifestKeys): Problem[] {
  const problems: Problem[] = [];
  for (const { dir, manifest } of shards) {
    const where = join(dir, MANIFEST_FILE);
    if (manifest.secretFingerprint !== fingerprint) {
      problems.push({ where, what: 'was made with another secret than the one given', fix: 'pass the secret the shards were made with (--secret-file or RNN_EXAM_SECRET)' });
      continue;
    }
    const seal = checkManifestSeal(manifest, keys);
    if (!seal.sealed) problems.push({ where, what: 'carries no seal (made by an older rnn-exam, or the seal was removed)', fix: 'make that shard again with this rnn-exam' });
    for (const altered of seal.altered) problems.push({ where, what: altered.message, fix: 'make that shard again (its files may have been tampered with)' });
  }
  return problems;
}

async function readShards(dirs: string[]): Promise<ShardRun[]> {
  const problems: Problem[] = [];
  const shards: ShardRun[] = [];
  for (const dir of dirs) {
    const manifest = await readManifest(dir);
    if (!manifest) problems.push({ where: dir, what: `has no ${MANIFEST_FILE}`, fix: 'name the folders that `generate --shard K/N --out …` wrote' });
    else if (!manifest.shard) problems.push({ where: join(dir, MANIFEST_FILE), what: 'is not a shard\'s manifest (it was made without --shard)', fix: 'name only folders written with --shard K/N' });
    else shards.push({ dir, manifest });
  }
  if (dirs.length === 0) problems.push({ where: 'merge-manifests', what: 'no shard folders given', fix: 'name every shard\'s output folder after --out DIR' });
  if (problems.length > 0) throw new RnnExamError(problems);
  return shards.sort((a, b) => a.manifest.shard!.index - b.manifest.shard!.index);
}

/** Shards 1..N of one N, each once. */
function checkShardSet(shards: ShardRun[]): Problem[] {
  const problems: Problem[] = [];
  const count = shards[0].manifest.shard!.count;
  for (const s of shards) {
    if (s.manifest.shard!.count !== count) {
      problems.push({ where: s.dir, what: `is shard ${shardLabel(s.manifest.shard!)}, the others are of ${count}`, fix: 'run every shard with the same N' });
    }
  }
  for (let index = 1; index <= count; index++) {
    const dirs = shards.filter((s) => s.manifest.shard!.index === index).map((s) => s.dir);
    if (dirs.length === 0) problems.push({ where: 'merge-manifests', what: `shard ${index}/${count} is missing`, fix: `run \`generate --shard ${index}/${count}\` and name its folder too` });
    if (dirs.length > 1) problems.push({ where: dirs.join(', '), what: `all hold shard ${index}/${count}`, fix: 'name each shard\'s folder once' });
  }
  return problems;
}

function checkAgreement(shards: ShardRun[]): Problem[] {
  const first = shards[0];
  const problems: Problem[] = [];
  for (const s of shards.slice(1)) {
    for (const [field, value, meaning] of SAME) {
      if (value(s.manifest) !== value(first.manifest)) {
        problems.push({ where: join(s.dir, MANIFEST_FILE), what: `was made with ${meaning} than ${first.dir} (${field} differs)`, fix: 'make every shard from the same exam config, secret, roster, rnn-exam and browser' });
      }
    }
  }
  return problems;
}

/** Each roster student in exactly one shard, the one their ID hashes to; nobody else. */
function checkStudents(shards: ShardRun[], rosterIds: string[], rosterPath: string): Problem[] {
  const problems: Problem[] = [];
  const where = new Map<string, string[]>();
  for (const s of shards) {
    for (const student of s.manifest.students) {
      // A re-sit is a second entry of the same student in the same shard: one place, not two.
      if (!where.get(student.id)?.includes(s.dir)) where.set(student.id, [...(where.get(student.id) ?? []), s.dir]);
      const home = shardOf(student.id, s.manifest.shard!.count);
      if (home !== s.manifest.shard!.index) {
        problems.push({ where: s.dir, what: `holds student ${student.id}, who belongs to shard ${home}/${s.manifest.shard!.count}`, fix: 'remake that shard into an empty folder' });
      }
    }
  }
  for (const [id, dirs] of where) {
    if (dirs.length > 1) problems.push({ where: dirs.join(', '), what: `student ${id} is in more than one shard`, fix: 'remove the extra copy; each student belongs to exactly one shard' });
  }
  const onRoster = new Set(rosterIds);
  const missing = rosterIds.filter((id) => !where.has(id));
  const extra = [...where.keys()].filter((id) => !onRoster.has(id));
  if (missing.length > 0) problems.push({ where: rosterPath, what: `${missing.length} student(s) on the roster are in no shard: ${sample(missing)}`, fix: 'run (or resume) the shards they belong to, then merge again' });
  if (extra.length > 0) problems.push({ where: rosterPath, what: `${extra.length} student(s) in the shards are not on this roster: ${sample(extra)}`, fix: 'merge with the roster the shards were made from' });
  return problems;
}

/** The cohort key is written by shard 1 only; if several shards hold a cohort file, it must be the same. */
function mergeCohortFiles(shards: ShardRun[], problems: Problem[]): ManifestFile[] {
  const files = new Map<string, ManifestFile>();
  for (const s of shards) {
    for (const file of s.manifest.cohortFiles) {
      const other = files.get(file.path);
      if (other && other.sha256 !== file.sha256) problems.push({ where: s.dir, what: `holds another ${file.path} than the other shards`, fix: 'remake the shards from the same inputs' });
      files.set(file.path, file);
    }
  }
  return [...files.values()];
}

/** outDir may be new, a shard's own folder, or an earlier merge of the same exam: never another exam's papers. */
async function checkOutFolder(outDir: string, shards: ShardRun[]): Promise<void> {
  if (shards.some((s) => resolve(s.dir) === resolve(outDir))) return;
  checkOutputCompatible(await readManifest(outDir), shards[0].manifest, outDir, false);
}

/** Copies every listed file of every shard into outDir (a shard folder that is outDir itself is left alone). */
async function copyShardFiles(shards: ShardRun[], outDir: string): Promise<number> {
  let copied = 0;
  for (const s of shards) {
    if (resolve(s.dir) === resolve(outDir)) continue;
    for (const file of [...s.manifest.students.flatMap((st: ManifestStudent) => st.files), ...s.manifest.cohortFiles]) {
      const target = safeJoinPosix(outDir, file.path);
      await ensureWritableDir(dirname(target));
      await writeFileAtomic(target, await readFile(safeJoinPosix(s.dir, file.path)));
      copied++;
    }
  }
  return copied;
}

/** The merged manifest must describe files that are really in outDir, byte for byte. */
async function checkFilesPresent(outDir: string, merged: Manifest, copied: boolean): Promise<void> {
  const result = await verifyFilesAgainstManifest(outDir, merged);
  const bad = [...result.missing.map((p) => `${p} (missing)`), ...result.changed.map((p) => `${p} (other bytes)`)];
  if (bad.length === 0) return;
  throw new RnnExamError({
    where: outDir,
    what: `${bad.length} file(s) of the shards are not here as recorded: ${sample(bad)}`,
    fix: copied ? 'the shard folders changed since they were made: remake those students' : 'copy the shard folders\' contents into it first (e.g. rsync -a shard-*/ DIR/), or pass --copy',
  });
}

function countFiles(m: Manifest): number {
  return m.students.reduce((n, s) => n + s.files.length, 0) + m.cohortFiles.length;
}

function sample(items: string[], shown = 5): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
