import { join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { cleanStaleTemporaryFiles, ensureWritableDir, safeJoin, writeFileAtomic } from '../output/atomic-write.ts';
import {
  canonicalJson, checkOutputCompatible, fileEntry, hashFile, ManifestWriter, MANIFEST_FORMAT, readManifest, secretFingerprint, sha256Hex,
  type Manifest, type ManifestFile, type ManifestStudent,
} from '../output/manifest.ts';
import { toCsv } from '../output/marking-key-csv.ts';
import { browserVersion } from '../print/launch-browser.ts';
import { PdfPrinter, type PrintDocument } from '../print/pdf-printer.ts';
import { assertDistinctDraws, drawStudent, hashParams, type StudentDraw } from '../random/draw-student.ts';
import { drawParameters } from '../random/draw-parameters.ts';
import { deriveSeed, randomStream, SEED_SCHEME } from '../random/seed.ts';
import { renderCohortKey, renderStudentDocuments, type DocumentKind } from '../render/render-documents.ts';
import { loadTemplates } from '../render/template-set.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { buildStudentKey, MARKING_KEY_CSV_HEADER, markingKeyRows } from '../solution/build-marking-key.ts';
import { TOOL_VERSION } from '../version.ts';
import { loadExamInputs, selectStudents } from './load-inputs.ts';

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
  onProgress?: (event: { done: number; total: number; studentId: string; skipped: boolean }) => void;
  /** set to stop scheduling new students (Ctrl-C); work in flight is finished and recorded */
  signal?: AbortSignal;
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

/**
 * roster → seed → draw → solve → view model → HTML → PDF → files, for every student.
 * One browser for the batch; students stream through the page pool; each file is written
 * atomically and recorded in the manifest as soon as it exists, so an interrupted run
 * resumes where it stopped.
 */
export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const inputs = await loadExamInputs({ examPath: options.examPath, rosterPath: options.rosterPath, secretFile: options.secretFile, env: options.env });
  const { exam, secret } = inputs;
  const roster = inputs.roster!;
  const attempt = options.attempt ?? 1;
  const format = options.format ?? 'pdf';
  const kinds = KINDS_FOR[options.only ?? 'all'];
  const students = options.studentIds?.length ? selectStudents(roster, options.studentIds, options.rosterPath) : roster;
  const templates = await loadTemplates(options.templatesDir);

  // Whole-roster checks before anything is written: every draw possible, no two alike.
  assertDistinctDraws(roster.map((s) => ({ student: s, paramsHash: hashParams(drawParameters(randomStream(deriveSeed(secret, { examId: exam.examId, studentId: s.id, attempt }), 'rnn'), exam.rnn, options.examPath).params) })), options.examPath);

  const outDir = options.outDir ?? join('output', exam.examId);
  await ensureWritableDir(outDir);
  await cleanStaleTemporaryFiles(outDir);
  const examConfigSha256 = sha256Hex(canonicalJson(exam));
  const identity = { examId: exam.examId, secretFingerprint: secretFingerprint(secret), examConfigSha256, seedScheme: SEED_SCHEME };
  const existing = await readManifest(outDir, { force: options.force });
  checkOutputCompatible(existing, identity, outDir, options.force ?? false);

  const printer = format === 'pdf' ? await PdfPrinter.start({ concurrency: options.concurrency }) : undefined;
  const summary: GenerateSummary = { outDir, examId: exam.examId, students: students.length, written: 0, skipped: 0, failed: [], interrupted: false, files: 0 };
  try {
    summary.browser = printer ? await browserVersion(printer.browser) : undefined;
    const base = {
      format: MANIFEST_FORMAT as typeof MANIFEST_FORMAT, tool: { name: 'rnn-exam' as const, version: TOOL_VERSION }, ...identity,
      browser: summary.browser, options: { format, attempt },
    };
    const manifest = new ManifestWriter(outDir, base, options.force ? undefined : existing);
    const previous = new Map((options.force ? [] : existing?.students ?? []).map((s) => [s.id, s]));
    const extension = format === 'pdf' ? 'pdf' : 'html';
    const output = async (doc: PrintDocument) => (printer ? printer.print(doc) : doc.html);

    const makeStudent = async (student: RosterStudent) => {
      const draw = drawStudent(secret, exam, student, attempt, options.examPath);
      const wanted = kinds.map((kind) => `${student.id}/${kind}.${extension}`);
      const before = previous.get(student.id);
      if (before && await isUpToDate(outDir, before, draw, wanted)) return { skipped: true };
      const docs = renderStudentDocuments(templates, exam, draw, buildStudentKey(exam, draw), kinds);
      const dir = safeJoin(outDir, student.id);
      await ensureWritableDir(dir);
      const files: ManifestFile[] = [];
      await Promise.all([...docs].map(async ([kind, doc]) => {
        const bytes = await output(doc);
        const relative = `${student.id}/${kind}.${extension}`;
        await writeFileAtomic(safeJoin(dir, `${kind}.${extension}`), bytes);
        files.push(fileEntry(outDir, relative, bytes));
      }));
      // Keep files of other kinds (an earlier --only run) that still belong to this same draw.
      const kept = before && before.paramsHash === draw.paramsHash ? before.files.filter((f) => !files.some((n) => n.path === f.path)) : [];
      manifest.recordStudent(studentEntry(draw, [...kept, ...files]));
      summary.files += files.length;
      return { skipped: false };
    };

    let done = 0;
    options.onStart?.(students.length);
    await runPool(students, Math.max(2, (printer?.concurrency ?? 1) * 2), options.signal, async (student) => {
      try {
        const { skipped } = await makeStudent(student);
        if (skipped) summary.skipped++; else summary.written++;
        options.onProgress?.({ done: ++done, total: students.length, studentId: student.id, skipped });
      } catch (error) {
        // One student's failure (e.g. a page that kept crashing) must not cost the others their papers.
        summary.failed.push({ id: student.id, error: (error as Error).message });
        options.onProgress?.({ done: ++done, total: students.length, studentId: student.id, skipped: false });
      }
    });
    summary.interrupted = options.signal?.aborted ?? false;

    if (!summary.interrupted && kinds.includes('marking-key')) {
      manifest.setCohortFiles(await writeCohortKey(outDir, exam, secret, roster, attempt, templates, printer, format));
      summary.files += 2;
    }
    await manifest.flush();
  } finally {
    await printer?.close();
  }
  return summary;
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

/** The cohort key: re-drawn student by student (cheap) so memory does not hold every draw during the batch. */
async function writeCohortKey(outDir: string, exam: ExamConfig, secret: string, roster: RosterStudent[], attempt: number, templates: Awaited<ReturnType<typeof loadTemplates>>, printer: PdfPrinter | undefined, format: 'pdf' | 'html'): Promise<ManifestFile[]> {
  const keys = roster.map((s) => buildStudentKey(exam, drawStudent(secret, exam, s, attempt)));
  const csv = toCsv(MARKING_KEY_CSV_HEADER, keys.flatMap((key) => markingKeyRows(exam, key)));
  await writeFileAtomic(join(outDir, 'marking-key.csv'), csv);
  const doc = renderCohortKey(templates, exam, keys);
  const name = `marking-key.${format === 'pdf' ? 'pdf' : 'html'}`;
  const bytes = printer ? await printer.print(doc) : doc.html;
  await writeFileAtomic(join(outDir, name), bytes);
  return [fileEntry(outDir, 'marking-key.csv', csv), fileEntry(outDir, name, bytes)];
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
