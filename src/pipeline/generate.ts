import { join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { cleanStaleTemporaryFiles, ensureWritableDir, removeEmptyFolders, safeJoin, writeFileAtomic, writeInFolder } from '../output/atomic-write.ts';
import { lockOutputFolder } from '../output/folder-lock.ts';
import {
  canonicalJson, entryKey, fileEntry, manifestKeys, ManifestWriter, MANIFEST_FORMAT, secretFingerprint, sha256Hex, studentFolder,
  type Manifest, type ManifestFile, type ManifestKeys, type ManifestStudent, type OutputIdentity,
} from '../output/manifest.ts';
import { removeRecordedFiles } from '../output/output-folder.ts';
import { browserVersion } from '../print/launch-browser.ts';
import { PdfPrinter, type PdfPrinterOptions } from '../print/pdf-printer.ts';
import { SEED_SCHEME } from '../random/seed.ts';
import { renderStudentDocuments, type DocumentKind } from '../render/render-documents.ts';
import { kindsToMake, type OnlyKind } from './document-kinds-to-make.ts';
import { loadTemplates, type TemplateSet } from '../render/template-set.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { TOOL_VERSION } from '../version.ts';
import { CohortKeyAborted, writeCohortKey } from './cohort-key.ts';
import { checkRosterDraws, RunDraws } from './draw-roster.ts';
import { loadExamInputs, selectStudents } from './load-inputs.ts';
import { checkSameShard, inShard, type Shard } from './shard.ts';
import { checkOutput, checkTemplatesRender, printBrowserPath, type OutputState } from './preflight.ts';
import { cohortEntries, keptFiles, reasonsToRemake, runInputs, studentEntry, studentInputs, type RunInputs } from './student-record.ts';
import { checkPrintableText } from './check-printable.ts';

export type { OnlyKind };
export interface GenerateOptions {
  examPath: string;
  rosterPath: string;
  secretFile?: string;
  outDir?: string;
  studentIds?: string[];
  only?: OnlyKind;
  format?: 'pdf' | 'html';
  concurrency?: number;
  attempt?: number;
  force?: boolean;
  templatesDir?: string;
  env?: NodeJS.ProcessEnv;
  /** called once the batch is about to start, with the number of students */
  onStart?: (total: number) => void;
  /** called after each student, finished or skipped */
  onProgress?: (event: { done: number; total: number; studentId: string; skipped: boolean; failed?: boolean; remade?: string[] }) => void;
  /** set to stop scheduling new students (Ctrl-C); work in flight is finished and recorded */
  signal?: AbortSignal;
  /** false: skip the cohort key (one student regenerated for an appeal does not need the whole roster's) */
  cohortKey?: boolean;
  /** only this shard's students (stable by ID hash, see shard.ts); shard 1 also writes the cohort key */
  shard?: Shard;
  /** @internal tests only (not on the command line): e.g. a hook that crashes the browser mid-batch */
  printerOptions?: Pick<PdfPrinterOptions, 'beforeAttempt' | 'pageTimeoutMs'>;
}

export interface GenerateSummary {
  outDir: string;
  examId: string;
  students: number;
  written: number;
  skipped: number;
  failed: Array<{ id: string; error: string }>;
  /** students whose earlier files were remade, and why (e.g. "name changed") */
  remade: Array<{ id: string; attempt: number; reasons: string[] }>;
  interrupted: boolean;
  browser?: string;
  files: number;
}


/** Ctrl-C or SIGTERM while the inputs were still being checked: nothing was written. */
export class GenerateInterrupted extends Error {
  constructor() {
    super('interrupted before anything was written');
    this.name = 'GenerateInterrupted';
  }
}

/** Everything a run needs, validated; nothing has been written yet. */
interface Run {
  options: GenerateOptions;
  exam: ExamConfig;
  secret: string;
  keys: ManifestKeys;
  roster: RosterStudent[];
  students: RosterStudent[];
  attempt: number;
  format: 'pdf' | 'html';
  kinds: DocumentKind[];
  templates: TemplateSet;
  outDir: string;
  identity: OutputIdentity & { seedScheme: string };
  output: OutputState;
  browserPath?: string;
  /** the roster check's draws, kept for the students' documents and the cohort key */
  draws: RunDraws;
}

/**
 * roster → seed → draw → solve → view model → HTML → PDF → files, for every student.
 * Every input is checked before anything is written. One browser for the batch; students
 * stream through the page pool; each file is written atomically and recorded in the manifest
 * as soon as it exists, so an interrupted run resumes where it stopped.
 */
export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  // Once the config, roster and secret have been read, the browser starts (~0.5 s) while every
  // draw, the templates and the output folder are checked. Both come before the output folder is
  // made, so a bad input or no browser leaves no trace; a bad input is reported first.
  let starting: Promise<PdfPrinter> | undefined;
  let run: Run;
  try {
    run = await prepare(options, () => { starting = startPrinterEarly(options); });
  } catch (error) {
    await starting?.then((printer) => printer.close(), () => {});
    throw error;
  }
  const printer = run.format === 'pdf'
    ? await (starting ?? PdfPrinter.start({ ...options.printerOptions, concurrency: options.concurrency, executablePath: run.browserPath }))
    : undefined;
  try {
    return await produce(run, printer);
  } finally {
    await printer?.close();
  }
}

/** The printer, launched at once when a browser is there to launch; else prepare() says what is wrong. */
function startPrinterEarly(options: GenerateOptions): Promise<PdfPrinter> | undefined {
  if ((options.format ?? 'pdf') !== 'pdf') return undefined;
  let executablePath: string;
  try {
    executablePath = printBrowserPath(process.env);
  } catch {
    return undefined;
  }
  const starting = PdfPrinter.start({ ...options.printerOptions, concurrency: options.concurrency, executablePath });
  starting.catch(() => {}); // awaited (or closed) by generate()
  return starting;
}

/** All checks that need no writing: inputs, templates, every draw, the output folder, the browser. */
async function prepare(options: GenerateOptions, inputsRead: () => void = () => {}): Promise<Run> {
  const inputs = await loadExamInputs({ examPath: options.examPath, rosterPath: options.rosterPath, secretFile: options.secretFile, env: options.env });
  const { exam, secret } = inputs;
  const roster = inputs.roster!;
  const attempt = options.attempt ?? 1;
  const format = options.format ?? 'pdf';
  const kinds = kindsToMake(exam, options.only, options.examPath);
  const students = (options.studentIds?.length ? selectStudents(roster, options.studentIds, options.rosterPath) : roster)
    .filter((s) => inShard(s.id, options.shard));
  // The cohort key lists the whole roster: with keys, every name on it is printed.
  checkPrintableText(exam, options.examPath, kinds.includes('marking-key') ? roster : students, options.rosterPath);
  inputsRead();
  const templates = await loadTemplates(options.templatesDir);

  // Whole-roster checks: every draw possible, no two alike (only hashes are kept).
  const making = new Set(students.map((s) => s.id));
  const cohortUse = wantsCohortKey(kinds, options) ? 1 : 0;
  const draws = new RunDraws(secret, exam, options.examPath, (id) => (making.has(id) ? 1 : 0) + cohortUse);
  await checkRosterDraws(secret, exam, roster, attempt, options.examPath, options.signal, () => new GenerateInterrupted(), draws);
  checkTemplatesRender(templates, exam, secret, students[0] ?? roster[0], attempt, kinds, options.examPath);

  const outDir = options.outDir ?? join('output', exam.examId);
  const identity = { examId: exam.examId, secretFingerprint: secretFingerprint(secret), examConfigSha256: sha256Hex(canonicalJson(exam)), seedScheme: SEED_SCHEME };
  const output = await checkOutput(outDir, identity, options.force ?? false);
  if (output.compatible) checkSameShard(output.existing, options.shard, outDir);
  const browserPath = format === 'pdf' ? printBrowserPath(process.env) : undefined;
  return { options, exam, secret, keys: manifestKeys(secret), roster, students, attempt, format, kinds, templates, outDir, identity, output, browserPath, draws };
}

/** The batch itself: the only part that writes, and only while it holds the folder's lock. */
async function produce(run: Run, printer: PdfPrinter | undefined): Promise<GenerateSummary> {
  const made = await ensureWritableDir(run.outDir);
  let lock;
  try {
    lock = await lockOutputFolder(run.outDir);
  } catch (error) {
    await removeEmptyFolders(made); // a folder this run made stays behind only with something in it
    throw error;
  }
  try {
    return await produceLocked(run, printer);
  } finally {
    await lock.release();
  }
}

async function produceLocked(run: Run, printer: PdfPrinter | undefined): Promise<GenerateSummary> {
  const { options, exam, outDir, students, kinds, format } = run;
  const { existing, compatible } = run.output;
  await cleanStaleTemporaryFiles(outDir); // safe: no other run is writing here
  // --force over another exam's or secret's papers: remove them first, so old and new never mix.
  if (existing && !compatible) await removeRecordedFiles(outDir, existing);

  const summary: GenerateSummary = { outDir, examId: exam.examId, students: students.length, written: 0, skipped: 0, failed: [], remade: [], interrupted: false, files: 0 };
  summary.browser = printer ? await browserVersion(printer.browser) : undefined;
  const base = {
    format: MANIFEST_FORMAT as typeof MANIFEST_FORMAT, tool: { name: 'rnn-exam' as const, version: TOOL_VERSION }, ...run.identity,
    browser: summary.browser, options: { format }, shard: options.shard,
  };
  const kept = compatible ? existing : undefined;
  const manifest = new ManifestWriter(outDir, base, kept, { keys: run.keys });
  if (existing && !compatible) await manifest.flush(); // the old manifest must not outlive its files
  const previous = new Map((kept?.students ?? []).map((s) => [entryKey(s.id, s.attempt), s]));
  const inputs = runInputs(run.keys, run.identity.examConfigSha256, run.templates.sourceSha256, TOOL_VERSION, summary.browser, format);

  // The cohort key is made alongside the students (its documents join the same print queue), not
  // after them, where printing its 100 pages per 200 students kept one page busy and the other idle.
  const cohortKey = wantsCohortKey(kinds, options)
    ? writeCohortKey({
      ...run, examPath: options.examPath, printer, previous: kept?.cohortFiles, signal: options.signal,
      entries: cohortEntries(run.roster, kept?.students ?? [], options.studentIds?.length ? new Set(options.studentIds) : undefined, run.attempt),
    })
    : undefined;
  cohortKey?.catch(() => {}); // awaited below, after the students

  let done = 0;
  options.onStart?.(students.length);
  await runPool(students, Math.max(2, (printer?.concurrency ?? 1) * 2), options.signal, async (student) => {
    try {
      const made = await makeStudent(run, inputs, printer, student, previous.get(entryKey(student.id, run.attempt)));
      if (made) {
        manifest.recordStudent(made.entry);
        summary.written++;
        summary.files += made.written;
        if (made.reasons.length > 0) summary.remade.push({ id: student.id, attempt: run.attempt, reasons: made.reasons });
      } else summary.skipped++;
      options.onProgress?.({ done: ++done, total: students.length, studentId: student.id, skipped: !made, remade: made?.reasons });
    } catch (error) {
      // One student's failure (e.g. a page that kept crashing) must not cost the others their papers.
      summary.failed.push({ id: student.id, error: (error as Error).message });
      options.onProgress?.({ done: ++done, total: students.length, studentId: student.id, skipped: false, failed: true });
    }
  });
  summary.interrupted = options.signal?.aborted ?? false;

  try {
    if (cohortKey) {
      // Interrupted, the cohort key stops between documents and removes what it wrote; one that
      // was already whole is recorded like any finished file.
      const files = await cohortKey.catch((error: unknown) => {
        if (summary.interrupted && error instanceof CohortKeyAborted) return undefined;
        throw error;
      });
      if (files) {
        manifest.setCohortFiles(files);
        summary.files += files.length;
      }
    }
  } finally {
    await manifest.flush(); // even when the cohort key failed: the finished students must be recorded
  }
  return summary;
}

/**
 * One student's documents for this run's attempt, or undefined when the files on disk already
 * match the manifest and were made from the same inputs. Everything is printed before the
 * student's folder is made, so a student who fails leaves nothing.
 */
async function makeStudent(run: Run, inputs: RunInputs, printer: PdfPrinter | undefined, student: RosterStudent, before: ManifestStudent | undefined): Promise<{ entry: ManifestStudent; written: number; reasons: string[] } | undefined> {
  const { exam, outDir, kinds } = run;
  const extension = run.format === 'pdf' ? 'pdf' : 'html';
  const draw = run.draws.take(student, run.attempt);
  const folder = studentFolder(student.id, run.attempt);
  const wanted = kinds.map((kind) => `${folder}/${kind}.${extension}`);
  // --force remakes every student asked for; without it, students whose files are up to date are skipped.
  let reasons: string[] = [];
  if (before) {
    reasons = run.options.force ? ['--force'] : await reasonsToRemake(outDir, before, draw, studentInputs(inputs, student), run.keys, wanted);
    if (reasons.length === 0) return undefined;
  }
  const docs = renderStudentDocuments(run.templates, exam, draw, undefined, kinds);
  const made = await Promise.all([...docs].map(async ([kind, doc]) => ({ name: `${kind}.${extension}`, bytes: printer ? await printer.print(doc) : doc.html })));
  const dir = safeJoin(outDir, ...folder.split('/'));
  const files: ManifestFile[] = [];
  await writeInFolder(dir, async () => {
    for (const { name, bytes } of made) {
      await writeFileAtomic(safeJoin(dir, name), bytes);
      files.push(fileEntry(outDir, `${folder}/${name}`, bytes));
    }
  });
  const entry = studentEntry(inputs, draw, student, files);
  // Keep files of other kinds (an earlier --only run) that were made from the very same inputs.
  entry.files = [...keptFiles(before, entry, files), ...files];
  return { entry, written: files.length, reasons };
}

/** The cohort key is made with keys, unless turned off (one student regenerated) or by another shard than the first. */
function wantsCohortKey(kinds: DocumentKind[], options: GenerateOptions): boolean {
  return kinds.includes('marking-key') && options.cohortKey !== false && (options.shard?.index ?? 1) === 1;
}

/** Runs `work` over items with at most `limit` in flight, in order of start; stops starting new ones when aborted. */
async function runPool<T>(items: T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export type { Manifest };
