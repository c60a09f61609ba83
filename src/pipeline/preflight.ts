/**
 * Checks a generate run makes before it writes anything, so that bad input, an unusable
 * output folder or a missing browser stop the run with one clear message and leave the
 * output folder exactly as it was (and a folder that did not exist, not created).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError } from '../errors.ts';
import { checkOutputCompatible, readManifest, type Manifest, type OutputIdentity } from '../output/manifest.ts';
import { checkOutputFolder, refuseLinks } from '../output/output-folder.ts';
import { findBrowser, INSTALL_BROWSER_HINT } from '../print/find-browser.ts';
import { drawStudent } from '../random/draw-student.ts';
import { renderCohortKey, renderStudentDocuments, type DocumentKind } from '../render/render-documents.ts';
import type { TemplateSet } from '../render/template-set.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { buildStudentKey } from '../solution/build-marking-key.ts';

export interface OutputState {
  /** the manifest of an earlier run in the folder, if any */
  existing?: Manifest;
  /** false: it is another exam's (or secret's, or config's) and --force was given: replace it */
  compatible: boolean;
}

/** The output folder is usable and holds nothing this run must not mix with (unless --force). */
export async function checkOutput(outDir: string, identity: OutputIdentity, force: boolean): Promise<OutputState> {
  await checkOutputFolder(outDir);
  await refuseLinks(outDir);
  const existing = await readManifest(outDir, { force });
  try {
    checkOutputCompatible(existing, identity, outDir, false);
    return { existing, compatible: true };
  } catch (error) {
    if (!force) throw error;
    return { existing, compatible: false };
  }
}

/**
 * Renders one student's documents (and a one-student cohort key) without printing: a
 * misspelt field in a template fails here, once, instead of for every student.
 */
export function checkTemplatesRender(templates: TemplateSet, exam: ExamConfig, secret: string, student: RosterStudent, attempt: number, kinds: DocumentKind[], examPath: string): void {
  const draw = drawStudent(secret, exam, student, attempt, examPath);
  const key = buildStudentKey(exam, draw);
  renderStudentDocuments(templates, exam, draw, key, kinds);
  if (kinds.includes('marking-key')) renderCohortKey(templates, exam, [key]);
}

/** The Chrome/Chromium to print with; a path named in the environment must exist. */
export function printBrowserPath(env: NodeJS.ProcessEnv): string {
  const found = findBrowser(env);
  if (!found) {
    throw new RnnExamError({
      where: 'browser', what: 'no Chrome or Chromium was found to print the PDFs with',
      fix: `${INSTALL_BROWSER_HINT}; or use --format html, which needs no browser`,
    });
  }
  const unusable = found.source === 'environment' ? whyNotRunnable(found.executablePath) : undefined;
  if (unusable) {
    const name = env.RNN_EXAM_BROWSER ? 'RNN_EXAM_BROWSER' : 'PUPPETEER_EXECUTABLE_PATH';
    throw new RnnExamError({
      where: `${name}=${found.executablePath}`, what: `no browser there (${unusable})`,
      fix: `point ${name} at a Chrome/Chromium binary (e.g. /usr/bin/chromium), or unset it to use the one rnn-exam finds itself, or use --format html`,
    });
  }
  return found.executablePath;
}

/**
 * Checked before launching: spawning a folder or a file without execute permission fails
 * inside Puppeteer as an unhandled 'error' event (a raw stack trace), not as a rejection.
 */
function whyNotRunnable(path: string): string | undefined {
  if (!existsSync(path)) return 'the file does not exist';
  const stat = statSync(path);
  if (stat.isDirectory()) return 'it is a folder, not a program';
  if (!stat.isFile()) return 'it is not a regular file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'the file is not executable';
  }
  return undefined;
}
