/**
 * `rnn-exam verify`: is an output folder still exactly what was issued? Files are checked
 * against manifest.json (missing, changed, foreign); with the exam, roster and secret, every
 * student's numbers and paper code are recomputed from the seed and compared too.
 */
import { join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError } from '../errors.ts';
import {
  canonicalJson, checkManifestSeal, MANIFEST_FILE, manifestKeys, readManifest, secretFingerprint, sha256Hex, verifyFilesAgainstManifest,
  type Manifest, type VerifyResult,
} from '../output/manifest.ts';
import { paramsFingerprint } from './student-record.ts';
import { drawStudent } from '../random/draw-student.ts';
import { SEED_SCHEME } from '../random/seed.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';

export type FindingKind =
  | 'missing-file' | 'changed-file' | 'foreign-file' | 'symlink' | 'manifest-altered' | 'manifest-unsealed'
  | 'other-exam' | 'other-secret' | 'other-config' | 'other-seed-scheme'
  | 'params-differ' | 'paper-code-differs' | 'unknown-student' | 'not-in-manifest';

export interface Finding {
  kind: FindingKind;
  /** a file (relative to the folder) or a student ID, when the finding has one */
  subject?: string;
  message: string;
}

export interface VerifyReport {
  outDir: string;
  ok: boolean;
  files: VerifyResult;
  /** students in the manifest; `attempts` counts their issued attempts (a re-sit is a second one) */
  students: number;
  attempts: number;
  /** whether parameters were recomputed from the seed (needs exam, secret) */
  seedsChecked: boolean;
  /**
   * whether the manifest's seal was checked (needs the secret): without it the files are only
   * shown consistent with the manifest, and an edited manifest cannot be told from a true one
   */
  integrityChecked: boolean;
  /** why they were not, or a caveat */
  notes: string[];
  findings: Finding[];
}

export interface SeedInputs { exam: ExamConfig; secret: string; roster?: RosterStudent[]; rosterPath?: string }

export async function verifyOutput(outDir: string, seeds: SeedInputs | undefined): Promise<VerifyReport> {
  const manifest = await readManifest(outDir);
  if (!manifest) {
    throw new RnnExamError({ where: join(outDir, MANIFEST_FILE), what: 'not found: there is nothing to verify against', fix: 'pass the --out folder that `rnn-exam generate` wrote' });
  }
  const files = await verifyFilesAgainstManifest(outDir, manifest);
  const findings = fileFindings(files, manifest);
  const notes: string[] = [];
  let integrityChecked = false;
  if (seeds) {
    const identity = identityFindings(manifest, seeds);
    if (identity.length === 0) {
      findings.push(...sealFindings(manifest, seeds.secret));
      integrityChecked = true;
    }
    findings.push(...seedFindings(manifest, seeds, identity, notes));
  } else {
    notes.push('Integrity was NOT checked: without the secret only the files\' consistency with manifest.json is checked, and someone who altered a file and its sha256 in the manifest would not be noticed. Pass the secret (--secret-file or RNN_EXAM_SECRET) to check the manifest\'s seal.');
    notes.push('Parameters were not recomputed from the seed: pass --exam and the secret for that, and --roster to compare the students with the roster.');
  }
  const students = new Set(manifest.students.map((s) => s.id)).size;
  return { outDir, ok: findings.length === 0, files, students, attempts: manifest.students.length, seedsChecked: seeds !== undefined, integrityChecked, notes, findings };
}

/** The manifest's keyed seal: which entries were altered since rnn-exam wrote them. */
function sealFindings(manifest: Manifest, secret: string): Finding[] {
  const seal = checkManifestSeal(manifest, manifestKeys(secret));
  if (!seal.sealed) {
    return [{ kind: 'manifest-unsealed', message: `${MANIFEST_FILE} carries no seal (written by an rnn-exam before manifest v2, or the seal was removed): its integrity cannot be checked; regenerate the batch to seal it` }];
  }
  return seal.altered.map((a) => ({ kind: 'manifest-altered' as const, subject: a.subject, message: `${MANIFEST_FILE}: ${a.message}` }));
}

/** Missing, changed and foreign files; a foreign file in a folder no student owns is called out. */
function fileFindings(files: VerifyResult, manifest: Manifest): Finding[] {
  const known = new Set(manifest.students.map((s) => s.id));
  const owner = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined);
  return [
    ...files.links.map((path) => ({ kind: 'symlink' as const, subject: path, message: `${path} is a symbolic link: an output folder holds real files only, and rnn-exam does not follow it` })),
    ...files.missing.map((path) => ({ kind: 'missing-file' as const, subject: path, message: `${path} is listed in the manifest but missing` })),
    ...files.changed.map((path) => ({ kind: 'changed-file' as const, subject: path, message: `${path} has changed since it was issued (its sha256 differs from the manifest's)` })),
    ...files.foreign.map((path) => {
      const id = owner(path);
      const whose = id !== undefined && !known.has(id) ? ` — a file for an unknown student '${id}' (not in the manifest)` : '';
      return { kind: 'foreign-file' as const, subject: path, message: `${path} is not in the manifest${whose}` };
    }),
  ];
}

/** Identity first: with another exam or secret every comparison below would fail for the same reason. */
function identityFindings(manifest: Manifest, { exam, secret }: SeedInputs): Finding[] {
  const findings: Finding[] = [];
  if (manifest.examId !== exam.examId) findings.push({ kind: 'other-exam', message: `the manifest is for exam '${manifest.examId}', the exam config for '${exam.examId}'` });
  if (manifest.secretFingerprint !== secretFingerprint(secret)) findings.push({ kind: 'other-secret', message: 'the papers were made with a different secret than the one given' });
  if (manifest.seedScheme !== SEED_SCHEME) findings.push({ kind: 'other-seed-scheme', message: `the papers were drawn with seed scheme '${manifest.seedScheme}'; this rnn-exam draws with '${SEED_SCHEME}'` });
  return findings;
}

function seedFindings(manifest: Manifest, seeds: SeedInputs, identity: Finding[], notes: string[]): Finding[] {
  const findings = [...identity];
  if (findings.length > 0) {
    notes.push('Parameters were not compared student by student: the exam, secret or seed scheme differs (above).');
    return findings;
  }
  if (manifest.examConfigSha256 !== sha256Hex(canonicalJson(seeds.exam))) {
    findings.push({ kind: 'other-config', message: 'the exam config differs from the one the papers were made from (its sha256 differs): questions, marks or text may differ' });
  }
  const onRoster = seeds.roster ? new Map(seeds.roster.map((s) => [s.id, s])) : undefined;
  const keys = manifestKeys(seeds.secret);
  let unfingerprinted = 0;
  for (const entry of manifest.students) {
    const student = onRoster?.get(entry.id);
    if (onRoster && !student) findings.push({ kind: 'unknown-student', subject: entry.id, message: `student '${entry.id}' has papers in the manifest but is not on ${seeds.rosterPath} — files for an unknown student` });
    const draw = drawStudent(seeds.secret, seeds.exam, student ?? { id: entry.id, name: '' }, entry.attempt);
    if (entry.paramsFingerprint === undefined) unfingerprinted++;
    else if (entry.paramsFingerprint !== paramsFingerprint(keys, draw)) findings.push({ kind: 'params-differ', subject: entry.id, message: `student '${entry.id}' (attempt ${entry.attempt}): the numbers drawn from the seed differ from the manifest's (its keyed fingerprint)` });
    if (draw.paperCode !== entry.paperCode) findings.push({ kind: 'paper-code-differs', subject: entry.id, message: `student '${entry.id}' (attempt ${entry.attempt}): paper code ${draw.paperCode} from the seed, ${entry.paperCode} in the manifest` });
  }
  if (unfingerprinted > 0) notes.push(`${unfingerprinted} student entries carry no fingerprint of their numbers (recorded by manifest v1): only their paper codes were compared.`);
  if (seeds.roster) findings.push(...missingStudents(manifest, seeds, notes));
  else notes.push('Students were not compared with a roster: pass --roster for that.');
  return findings;
}

/** Roster students without papers; in one shard of a sharded batch that is expected. */
function missingStudents(manifest: Manifest, seeds: SeedInputs, notes: string[]): Finding[] {
  const inManifest = new Set(manifest.students.map((s) => s.id));
  const missing = seeds.roster!.filter((s) => !inManifest.has(s.id));
  if (manifest.shard) {
    if (missing.length > 0) notes.push(`${missing.length} roster students are not in this folder; expected, as it holds one shard of ${manifest.shard.count} (index ${manifest.shard.index}).`);
    return [];
  }
  return missing.map((s) => ({ kind: 'not-in-manifest' as const, subject: s.id, message: `student '${s.id}' is on ${seeds.rosterPath} but has no papers in the manifest` }));
}

export function formatVerifyReport(r: VerifyReport): string {
  const resits = r.attempts > r.students ? ` (${r.attempts} issued attempts)` : '';
  const checked = `${r.files.ok.length + r.files.changed.length + r.files.missing.length} files and ${r.students} students${resits} in ${r.outDir}`;
  const head = r.ok
    ? r.integrityChecked
      ? `OK: ${checked} match the manifest, its seal is intact${r.seedsChecked ? ', and every student\'s numbers and paper code match the seed' : ''}.`
      : `OK (consistency only, integrity NOT checked): ${checked} match the manifest.`
    : `${r.findings.length} problem${r.findings.length === 1 ? '' : 's'} in ${checked}:`;
  return [head, ...r.findings.map((f) => `  ${f.message}`), ...r.notes].join('\n');
}
