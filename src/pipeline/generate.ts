import { join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { cleanStaleTemporaryFiles, ensureWritableDir, safeJoin, writeFileAtomic } from '../output/atomic-write.ts';
import { lockOutputFolder } from '../output/folder-lock.ts';
import {
  canonicalJson, fileEntry, hashFile, ManifestWriter, MANIFEST_FORMAT, secretFingerprint, sha256Hex,
  type Manifest, type ManifestFile, type ManifestStudent, type OutputIdentity,
} from '../output/manifest.ts';
import { removeRecordedFiles } from '../output/output-folder.ts';
import { browserVersion } from '../print/launch-browser.ts';
import { PdfPrinter, type PdfPrinterOptions } from '../print/pdf-printer.ts';
import { drawStudent, type StudentDraw } from '../random/draw-student.ts';
import { SEED_SCHEME } from '../random/seed.ts';
import { renderStudentDocuments, type DocumentKind } from '../render/render-documents.ts';
import { loadTemplates, type TemplateSet } from '../render/template-set.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { TOOL_VERSION } from '../version.ts';
import { CohortKeyAborted, writeCohortKey } from './cohort-key.ts';
import { checkRosterDraws } from './draw-roster.ts';
import { loadExamInputs, selectStudents } from './load-inputs.ts';
import { checkSameShard, inShard, type Shard } from './shard.ts';
import { checkOutput, checkTemplatesRender, printBrowserPath, type OutputState } from './preflight.ts';

export type OnlyKind = 'papers' | 'solutions' | 'keys';
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
  onProgress?: (event: { done: number; total: number; studentId: string; skipped: boolean; failed?: boolean }) => void;
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
  interrupted: boolean;
  browser?: string;
  files: number;
}

const KINDS_FOR: Record<OnlyKind | 'all', DocumentKind[]> = {
  all: ['question-paper', 'worked-solution', 'marking-key'],
  papers: ['question-paper'],
  solutions: ['worked-solution'],
  keys: ['marking-key'],
};

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
  inputsRead();
  const { exam, secret } = inputs;
  const roster = inputs.roster!;
  const attempt = options.attempt ?? 1;
  const format = options.format ?? 'pdf';
  const kinds = KINDS_FOR[options.only ?? 'all'];
  const students = (options.studentIds?.length ? selectStudents(roster, options.studentIds, options.rosterPath) : roster)
    .filter((s) => inShard(s.id, options.shard));
  const templates = await loadTemplates(options.templatesDir);

  // Whole-roster checks: every draw possible, no two alike (only hashes are kept).
  await checkRosterDraws(secret, exam, roster, attempt, options.examPath, options.signal, () => new GenerateInterrupted());
  checkTemplatesRender(templates, exam, secret, students[0] ?? roster[0], attempt, kinds, options.examPath);

  const outDir = options.outDir ?? join('output', exam.examId);
  const identity = { examId: exam.examId, secretFingerprint: secretFingerprint(secret), examConfigSha256: sha256Hex(canonicalJson(exam)), seedScheme: SEED_SCHEME };
  const output = await checkOutput(outDir, identity, options.force ?? false);
  if (output.compatible) checkSameShard(output.existing, options.shard, outDir);
  const browserPath = format === 'pdf' ? printBrowserPath(process.env) : undefined;
  return { options, exam, secret, roster, students, attempt, format, kinds, templates, outDir, identity, output, browserPath };
}

/** The batch itself: the only part that writes, and only while it holds the folder's lock. */
async function produce(run: Run, printer: PdfPrinter | undefined): Promise<GenerateSummary> {
  await ensureWritableDir(run.outDir);
  const lock = await lockOutputFolder(run.outDir);
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

  const summary: GenerateSummary = { outDir, examId: exam.examId, students: students.length, written: 0, skipped: 0, failed: [], interrupted: false, files: 0 };
  summary.browser = printer ? await browserVersion(printer.browser) : undefined;
  const base = {
    format: MANIFEST_FORMAT as typeof MANIFEST_FORMAT, tool: { name: 'rnn-exam' as const, version: TOOL_VERSION }, ...run.identity,
    browser: summary.browser, options: { format, attempt: run.attempt }, shard: options.shard,
  };
  const kept = compatible ? existing : undefined;
  const manifest = new ManifestWriter(outDir, base, kept);
  if (existing && !compatible) await manifest.flush(); // the old manifest must not outlive its files
  const previous = new Map((kept?.students ?? []).map((s) => [s.id, s]));

  // The cohort key is made alongside the students (its documents join the same print queue), not
  // after them, where printing its 100 pages per 200 students kept one page busy and the other idle.
  const wantCohortKey = kinds.includes('marking-key') && options.cohortKey !== false && (options.shard?.index ?? 1) === 1;
  const cohortKey = wantCohortKey
    ? writeCohortKey({ ...run, examPath: options.examPath, printer, previous: kept?.cohortFiles, signal: options.signal })
    : undefined;
  cohortKey?.catch(() => {}); // awaited below, after the students

  let done = 0;
  options.onStart?.(students.length);
  await runPool(students, Math.max(2, (printer?.concurrency ?? 1) * 2), options.signal, async (student) => {
    try {
      const made = await makeStudent(run, printer, student, previous.get(student.id));
      if (made) {
        manifest.recordStudent(made.entry);
        summary.written++;
        summary.files += made.written;
      } else summary.skipped++;
      options.onProgress?.({ done: ++done, total: students.length, studentId: student.id, skipped: !made });
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
 * One student's documents, or undefined when the files on disk already match the manifest.
 * Everything is printed before the student's folder is made, so a student who fails leaves nothing.
 */
async function makeStudent(run: Run, printer: PdfPrinter | undefined, student: RosterStudent, before: ManifestStudent | undefined): Promise<{ entry: ManifestStudent; written: number } | undefined> {
  const { exam, outDir, kinds } = run;
  const extension = run.format === 'pdf' ? 'pdf' : 'html';
  const draw = drawStudent(run.secret, exam, student, run.attempt, run.options.examPath);
  const wanted = kinds.map((kind) => `${student.id}/${kind}.${extension}`);
  // --force remakes every student asked for; without it, finished students are skipped.
  if (before && !run.options.force && await isUpToDate(outDir, before, draw, wanted)) return undefined;
  const docs = renderStudentDocuments(run.templates, exam, draw, undefined, kinds);
  const made = await Promise.all([...docs].map(async ([kind, doc]) => ({ name: `${kind}.${extension}`, bytes: printer ? await printer.print(doc) : doc.html })));
  const dir = safeJoin(outDir, student.id);
  await ensureWritableDir(dir);
  const files: ManifestFile[] = [];
  for (const { name, bytes } of made) {
    await writeFileAtomic(safeJoin(dir, name), bytes);
    files.push(fileEntry(outDir, `${student.id}/${name}`, bytes));
  }
  // Keep files of other kinds (an earlier --only run) that still belong to this same draw.
  const kept = before && before.paramsHash === draw.paramsHash ? before.files.filter((f) => !files.some((n) => n.path === f.path)) : [];
  return { entry: studentEntry(draw, [...kept, ...files]), written: files.length };
}

function studentEntry(draw: StudentDraw, files: ManifestFile[]): ManifestStudent {
  return { id: draw.student.id, attempt: draw.attempt, paperCode: draw.paperCode, paramsHash: draw.paramsHash, seedScheme: draw.seedScheme, files };
}

/** A student is up to date when the manifest has this very draw and every wanted file is there, unchanged. */
async function isUpToDate(outDir: string, entry: ManifestStudent, draw: StudentDraw, wanted: string[]): Promise<boolean> {
  if (entry.paramsHash !== draw.paramsHash || entry.attempt !== draw.attempt || entry.paperCode !== draw.paperCode) return false;
  for (const path of wanted) {
    const recorded = entry.files.find((f) => f.path === path);
    if (!recorded) return false;
    const actual = await hashFile(join(outDir, path)).catch(() => undefined);
    if (!actual || actual.sha256 !== recorded.sha256) return false;
  }
  return true;
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
