import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest, verifyFilesAgainstManifest } from '../../src/output/manifest.ts';
import { EXAMPLE_EXAM, manifestStudents, rosterText, runCliAsync, snapshot, startCli, tempDir, waitFor, writeText } from './helpers.ts';

/**
 * A run killed mid-batch (SIGKILL: no chance to clean up; SIGTERM: the polite stop) leaves
 * only whole files, and re-running the same command finishes the job: the result is byte for
 * byte what an uninterrupted run makes. HTML keeps it fast; the file handling is the same as for PDFs.
 */
const SECRET = 'interrupt-secret-0123456789';
const STUDENTS = 40;
const dir = tempDir('interrupt');
const roster = writeText(dir, 'roster.csv', rosterText(STUDENTS));
const env = { RNN_EXAM_SECRET: SECRET };
const args = (out: string) => ['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--format', 'html', '--concurrency', '1', '--json'];
const reference = join(dir, 'uninterrupted');

/** Starts a run, waits until `ready(out)`, sends `signal`, and returns how the run ended. */
async function interrupt(out: string, signal: NodeJS.Signals, ready: (out: string) => boolean) {
  const { child, done } = startCli(args(out), env);
  let exited = false;
  void done.then(() => { exited = true; });
  const caught = await waitFor(() => ready(out), () => exited);
  if (caught) child.kill(signal);
  const result = await done;
  expect(caught, `the run finished before it could be interrupted:\n${result.stderr}`).toBe(true);
  return result;
}

async function resumeAndCompare(out: string) {
  const resumed = await runCliAsync(args(out), { env });
  expect(resumed.stderr).toBe('');
  expect(resumed.status).toBe(0);
  const summary = JSON.parse(resumed.stdout);
  expect(summary.skipped).toBeGreaterThanOrEqual(1);
  expect(summary.written + summary.skipped).toBe(STUDENTS);
  expect(summary.failed).toEqual([]);
  // Every file, manifest.json included, equals the uninterrupted run's; nothing more, nothing less.
  expect(snapshot(out)).toEqual(snapshot(reference));
  return summary;
}

describe('an interrupted generate run', () => {
  beforeAll(async () => {
    const result = await runCliAsync(args(reference), { env });
    expect(result.status, result.stderr).toBe(0);
  }, 120_000);

  it('SIGKILL mid-batch: whole files only, and a re-run resumes to the uninterrupted result', async () => {
    const out = join(dir, 'killed');
    const killed = await interrupt(out, 'SIGKILL', (o) => manifestStudents(o) >= 2);
    expect(killed.signal).toBe('SIGKILL');
    // What the killed run recorded is on disk, whole: the manifest never lists a half-written file.
    const manifest = (await readManifest(out))!;
    expect(manifest.students.length).toBeGreaterThanOrEqual(2);
    expect(manifest.students.length).toBeLessThan(STUDENTS);
    const check = await verifyFilesAgainstManifest(out, manifest);
    expect(check.missing).toEqual([]);
    expect(check.changed).toEqual([]);
    // A temporary file as a kill can leave it; the next run must clear it away.
    const studentDir = join(out, manifest.students[0].id);
    writeFileSync(join(studentDir, '.question-paper.html.999999999.0a1b2c.tmp'), 'half a paper');
    const summary = await resumeAndCompare(out);
    expect(summary.skipped).toBeGreaterThanOrEqual(manifest.students.length);
  });

  it('SIGTERM (as Ctrl-C): finishes the students in flight, exits 130, and a re-run completes the batch', async () => {
    const out = join(dir, 'terminated');
    const studentFolders = (o: string) => (existsSync(o) ? readdirSync(o).filter((n) => n.startsWith('S')).length : 0);
    const stopped = await interrupt(out, 'SIGTERM', (o) => studentFolders(o) >= 2);
    expect(stopped.code).toBe(130);
    const summary = JSON.parse(stopped.stdout);
    expect(summary).toMatchObject({ interrupted: true, failed: [] });
    expect(summary.written).toBeLessThan(STUDENTS);
    expect(stopped.stderr).toMatch(/run the same command again to resume/);
    // The polite stop records every finished student; the cohort key, made alongside them, is
    // recorded only if it was already whole, and never left half made.
    const manifest = (await readManifest(out))!;
    expect(manifest.students).toHaveLength(summary.written);
    expect(manifest.cohortFiles.map((f) => f.path).sort()).toEqual(manifest.cohortFiles.length ? ['marking-key.csv', 'marking-key.html'] : []);
    if (manifest.cohortFiles.length === 0) expect(readdirSync(out).filter((n) => n.startsWith('marking-key'))).toEqual([]);
    const check = await verifyFilesAgainstManifest(out, manifest);
    expect([...check.missing, ...check.changed]).toEqual([]);
    await resumeAndCompare(out);
  });
});
