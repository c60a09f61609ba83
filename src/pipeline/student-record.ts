/**
 * A student's manifest entry and the resume decision: the entry records, keyed, everything the
 * files were made from (roster entry, exam config, templates) and, plainly, the tool, browser and
 * format. A resume remakes a student when any of it changed, and says which.
 */
import { join } from 'node:path';
import { canonicalJson, hashFile, keyedFingerprint, type ManifestFile, type ManifestKeys, type ManifestStudent, type StudentInputs } from '../output/manifest.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';

/** What every student of a run shares: computed once per run. */
export interface RunInputs {
  keys: ManifestKeys;
  config: string;
  templates: string;
  tool: string;
  browser?: string;
  format: string;
}

export function runInputs(keys: ManifestKeys, examConfigSha256: string, templatesSha256: string, tool: string, browser: string | undefined, format: string): RunInputs {
  return {
    keys, tool, browser, format,
    config: keyedFingerprint(keys, 'exam-config', examConfigSha256),
    templates: keyedFingerprint(keys, 'templates', templatesSha256),
  };
}

/** Every roster field that is printed on a paper: today the ID and the name. */
function studentFields(student: RosterStudent): unknown {
  return { id: student.id, name: student.name };
}

export function studentInputs(run: RunInputs, student: RosterStudent): StudentInputs {
  return {
    student: keyedFingerprint(run.keys, 'roster-entry', canonicalJson(studentFields(student))),
    config: run.config, templates: run.templates, tool: run.tool, browser: run.browser, format: run.format,
  };
}

/** Keyed: equal numbers give equal fingerprints, but the numbers cannot be guessed and checked against it. */
export function paramsFingerprint(keys: ManifestKeys, draw: StudentDraw): string {
  return keyedFingerprint(keys, 'params', draw.paramsHash);
}

export function studentEntry(run: RunInputs, draw: StudentDraw, student: RosterStudent, files: ManifestFile[]): ManifestStudent {
  return {
    id: draw.student.id, attempt: draw.attempt, paperCode: draw.paperCode, seedScheme: draw.seedScheme,
    paramsFingerprint: paramsFingerprint(run.keys, draw), inputs: studentInputs(run, student), files,
  };
}

/**
 * Why a student's recorded files must be remade, or [] when they are up to date: the same draw,
 * made from the same inputs, and every wanted file on disk with its recorded bytes.
 */
export async function reasonsToRemake(outDir: string, entry: ManifestStudent, draw: StudentDraw, now: StudentInputs, keys: ManifestKeys, wanted: string[]): Promise<string[]> {
  const reasons: string[] = [];
  const before = entry.inputs;
  if (!before || entry.paramsFingerprint === undefined) return ['made by an older rnn-exam that did not record its inputs'];
  if (entry.paramsFingerprint !== paramsFingerprint(keys, draw) || entry.paperCode !== draw.paperCode) reasons.push('numbers changed');
  if (before.student !== now.student) reasons.push('name changed');
  if (before.config !== now.config) reasons.push('exam config changed');
  if (before.templates !== now.templates) reasons.push('template changed');
  if (before.tool !== now.tool) reasons.push(`rnn-exam version changed (${before.tool} → ${now.tool})`);
  if (before.browser !== now.browser) reasons.push(`browser changed (${before.browser ?? 'none'} → ${now.browser ?? 'none'})`);
  if (before.format !== now.format) reasons.push(`format changed (${before.format} → ${now.format})`);
  for (const path of wanted) {
    const recorded = entry.files.find((f) => f.path === path);
    if (!recorded) {
      reasons.push(`${path.slice(path.lastIndexOf('/') + 1)} not made yet`);
      continue;
    }
    const actual = await hashFile(join(outDir, path)).catch(() => undefined);
    if (!actual) reasons.push(`${path} missing`);
    else if (actual.sha256 !== recorded.sha256) reasons.push(`${path} changed on disk`);
  }
  return reasons;
}

/** Files of other kinds (an earlier --only run) that may stay beside new ones: only when made from the very same inputs. */
export function keptFiles(entry: ManifestStudent | undefined, made: ManifestStudent, newFiles: ManifestFile[]): ManifestFile[] {
  if (!entry?.inputs || entry.paramsFingerprint !== made.paramsFingerprint || canonicalJson(entry.inputs) !== canonicalJson(made.inputs)) return [];
  return entry.files.filter((f) => !newFiles.some((n) => n.path === f.path));
}

/**
 * The cohort key's (student, attempt) entries in roster order: every attempt the manifest
 * records for a student, plus this run's attempt for the students it makes. A one-student
 * re-sit thus adds that student's new attempt and leaves everyone else's rows as they were.
 */
export function cohortEntries<S extends { id: string }>(roster: S[], recorded: ManifestStudent[], selected: Set<string> | undefined, attempt: number): Array<{ student: S; attempt: number }> {
  const attempts = new Map<string, Set<number>>();
  for (const entry of recorded) (attempts.get(entry.id) ?? attempts.set(entry.id, new Set()).get(entry.id)!).add(entry.attempt);
  return roster.flatMap((student) => {
    const set = new Set(attempts.get(student.id));
    if (!selected || selected.has(student.id)) set.add(attempt);
    return [...set].sort((a, b) => a - b).map((n) => ({ student, attempt: n }));
  });
}
