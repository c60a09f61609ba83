/**
 * `rnn-exam mark`: reads the cohort's inputs, marks every student once, and streams each
 * outcome into all outputs together (marks.csv, the Moodle import, the feedback ZIP), keeping
 * only numbers for the statistics and the Canvas gradebook. Every file is written atomically
 * and the manifest last: a failed run leaves the previous outputs as they were.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError, type Problem } from '../errors.ts';
import { readTextFile } from '../io/read-json-file.ts';
import { cleanStaleTemporaryFiles, ensureWritableDir, writeFileAtomic } from '../output/atomic-write.ts';
import { lockOutputFolder } from '../output/folder-lock.ts';
import { secretFingerprint } from '../output/manifest-format.ts';
import { csvLines, csvStart, toCsv } from '../output/marking-key-csv.ts';
import { loadExamInputs } from '../pipeline/load-inputs.ts';
import { PdfPrinter } from '../print/pdf-printer.ts';
import { TOOL_VERSION } from '../version.ts';
import { fillCanvasGradebook, type CanvasMark } from './canvas-gradebook.ts';
import { readCohortAnswers } from './cohort-answers.ts';
import { CohortStatsCollector, type CohortStats } from './cohort-stats.ts';
import { feedbackEntryName, parseMoodleWorksheet, type MoodleParticipant } from './feedback-names.ts';
import { feedbackHtml, feedbackPdfDocument } from './feedback-html.ts';
import { unknownStudents, type StudentOutcome } from './mark-cohort.ts';
import { markCohortParallel } from './mark-parallel.ts';
import { MARKING_RULE } from './mark-one-student.ts';
import { formatMark, marksCsvHeader, marksCsvRow, moodleHeader, moodleRow } from './marks-table.ts';
import { OutputStream } from './output-stream.ts';
import { statsReportHtml } from './stats-report.ts';
import { parseWrittenMarks, type WrittenMarks } from './written-marks.ts';
import { ZipWriter } from './zip-writer.ts';

export interface MarkOptions {
  examPath: string;
  rosterPath?: string;
  answersPath: string;
  writtenPath?: string;
  outDir: string;
  secretFile?: string;
  env?: NodeJS.ProcessEnv;
  attempt: number;
  canvasGradebook?: string;
  canvasColumn?: string;
  moodleWorksheet?: string;
  moodleItem: string;
  /**
   * worker threads for cohorts of 300 or more (default 1: this thread). On a shared, loaded
   * machine two workers cost 50% more CPU and twice the memory and were slower; they help only
   * where cores are idle.
   */
  threads?: number;
  /** also a PDF of each feedback page, printed with the browser */
  pdfFeedback?: boolean;
}


export interface OutputFile { path: string; sha256: string; bytes: number }

export interface MarkSummary {
  outDir: string;
  counts: CohortStats['counts'];
  problems: Problem[];
  files: OutputFile[];
}

export const OUTPUT_NAMES = {
  marks: 'marks.csv', moodle: 'moodle-grades.csv', feedback: 'feedback.zip', stats: 'statistics.html',
  canvas: 'canvas-gradebook.csv', problems: 'problems.csv', manifest: 'mark-manifest.json',
} as const;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function inputRecord(role: string, path: string, files?: string[]): Promise<{ role: string; path: string; sha256: string; files?: number }> {
  if (!files) return { role, path: basename(path), sha256: sha256(await readFile(path)) };
  // A folder: the hash of its listing of names and file hashes.
  const lines = await Promise.all(files.map(async (f) => `${basename(f)}\t${sha256(await readFile(f))}\n`));
  return { role, path: basename(path), sha256: sha256(lines.join('')), files: files.length };
}

function canvasOptions(options: MarkOptions): void {
  if (Boolean(options.canvasGradebook) !== Boolean(options.canvasColumn)) {
    throw new RnnExamError({ where: options.canvasGradebook ? '--canvas-gradebook' : '--canvas-column', what: '--canvas-gradebook and --canvas-column go together', fix: 'pass both: the exported gradebook and the assignment column to fill' });
  }
}

export async function runMarking(options: MarkOptions): Promise<MarkSummary> {
  canvasOptions(options);
  if (!options.rosterPath) throw new RnnExamError({ where: '--roster', what: 'is needed to mark a cohort', fix: 'pass the roster the papers were generated from' });
  const inputs = await loadExamInputs({ examPath: options.examPath, rosterPath: options.rosterPath, secretFile: options.secretFile, env: options.env });
  const { exam } = inputs;
  const roster = inputs.roster!;
  const answers = await readCohortAnswers(options.answersPath);
  const written: WrittenMarks | undefined = options.writtenPath ? parseWrittenMarks(await readTextFile(options.writtenPath), options.writtenPath, exam) : undefined;
  const gradebook = options.canvasGradebook ? await readFile(options.canvasGradebook).catch((error: unknown) => {
    throw new RnnExamError({ where: options.canvasGradebook!, what: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, fix: 'check the path' });
  }) : undefined;
  const maxTotal = Object.values(exam.rnn.marks).reduce((a, b) => a + b, 0) + exam.written.reduce((a, w) => a + w.marks, 0);
  // The column is checked before any marking: a typo fails at once.
  if (gradebook) fillCanvasGradebook(gradebook, options.canvasGradebook!, options.canvasColumn!, [], maxTotal);
  const participants = options.moodleWorksheet ? parseMoodleWorksheet(await readTextFile(options.moodleWorksheet), options.moodleWorksheet) : undefined;

  await ensureWritableDir(options.outDir);
  const lock = await lockOutputFolder(options.outDir);
  let printer: PdfPrinter | undefined;
  try {
    if (options.pdfFeedback) printer = await PdfPrinter.start();
    await cleanStaleTemporaryFiles(options.outDir);
    const cohort = { exam, secret: inputs.secret, roster, attempt: options.attempt, answers, written };
    const problems: Problem[] = [...answers.problems, ...(written?.problems ?? []), ...unknownStudents(cohort)];
    const result = await streamOutputs(cohort, markCohortParallel(cohort, options.threads ?? 1), options, participants, problems, printer);
    await printer?.close();
    const files = [...result.files];
    const put = async (name: string, data: string | Buffer) => {
      await writeFileAtomic(join(options.outDir, name), data);
      files.push({ path: name, sha256: sha256(data), bytes: Buffer.byteLength(data) });
    };
    await put(OUTPUT_NAMES.stats, statsReportHtml(result.stats, exam));
    if (gradebook) {
      const canvas = fillCanvasGradebook(gradebook, options.canvasGradebook!, options.canvasColumn!, result.canvasMarks, maxTotal);
      problems.push(...canvas.problems);
      await put(OUTPUT_NAMES.canvas, canvas.bytes);
    }
    await put(OUTPUT_NAMES.problems, toCsv(['where', 'problem', 'fix'], problems.map((p) => [p.where, p.what, p.fix ?? ''])));
    const manifest = {
      tool: 'rnn-exam', toolVersion: TOOL_VERSION, command: 'mark', examId: exam.examId, attempt: options.attempt,
      // the same keyed fingerprint as generate's manifest: "marked with the secret the papers came from?"
      secretFingerprint: secretFingerprint(inputs.secret),
      markingRule: MARKING_RULE,
      inputs: await Promise.all([
        inputRecord('exam', options.examPath), inputRecord('roster', options.rosterPath),
        inputRecord('answers', options.answersPath, answers.folder ? answers.files : undefined),
        ...(options.writtenPath ? [inputRecord('written', options.writtenPath)] : []),
        ...(options.canvasGradebook ? [inputRecord('canvas-gradebook', options.canvasGradebook)] : []),
        ...(options.moodleWorksheet ? [inputRecord('moodle-worksheet', options.moodleWorksheet)] : []),
      ]),
      counts: { ...result.stats.counts, problems: problems.length },
      outputs: files,
    };
    await put(OUTPUT_NAMES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    return { outDir: options.outDir, counts: result.stats.counts, problems, files };
  } finally {
    await printer?.close();
    await lock.release();
  }
}

interface Streamed { stats: CohortStats; canvasMarks: CanvasMark[]; files: OutputFile[] }

async function streamOutputs(
  cohort: { exam: ExamConfig }, outcomes: AsyncGenerator<StudentOutcome>, options: MarkOptions,
  participants: Map<string, MoodleParticipant> | undefined, problems: Problem[], printer?: PdfPrinter,
): Promise<Streamed> {
  const { exam } = cohort;
  const out = (name: string) => new OutputStream(join(options.outDir, name));
  const streams = { marks: out(OUTPUT_NAMES.marks), moodle: out(OUTPUT_NAMES.moodle), feedback: out(OUTPUT_NAMES.feedback) };
  const stats = new CohortStatsCollector(exam);
  const zip = new ZipWriter();
  const canvasMarks: CanvasMark[] = [];
  const header = marksCsvHeader(exam);
  const mHeader = moodleHeader(exam, options.moodleItem);
  // Feedback waiting for its PDF, oldest first: a few per print slot, so the ZIP keeps roster order.
  const pending: Array<{ name: string; html: string; pdf?: Promise<Uint8Array> }> = [];
  const writeFeedback = async (keep: number) => {
    while (pending.length > keep) {
      const { name, html, pdf } = pending.shift()!;
      await streams.feedback.write(zip.entry(name, html));
      if (pdf) await streams.feedback.write(zip.entry(name.replace(/\.html$/, '.pdf'), Buffer.from(await pdf)));
    }
  };
  try {
    await streams.marks.write(csvStart(header));
    await streams.moodle.write(csvStart(mHeader));
    for await (const o of outcomes) {
      stats.add(o);
      problems.push(...o.problems.map((p) => ({ ...p, where: p.where.startsWith('student ') ? p.where : `student ${o.student.id}: ${p.where}` })));
      if (o.status === 'absent') problems.push({ where: `student ${o.student.id}`, what: 'no answers; not marked (absent?)' });
      if (o.status === 'flagged') problems.push({ where: `student ${o.student.id}`, what: `not marked: ${o.reason}`, fix: 'check the answers and run again' });
      await streams.marks.write(csvLines([marksCsvRow(o, exam)], header.length));
      if (o.status !== 'marked') continue;
      await streams.moodle.write(csvLines([moodleRow(o, exam)], mHeader.length));
      canvasMarks.push({ studentId: o.student.id, mark: formatMark(o.total) });
      const name = feedbackEntryName(o.student.id, participants);
      if (name) {
        const html = feedbackHtml(o, exam, exam.rnn.lossReduction);
        pending.push({ name, html, pdf: printer?.print(feedbackPdfDocument(html, o)) });
        await writeFeedback(printer ? 2 * printer.concurrency : 0);
      } else problems.push({ where: options.moodleWorksheet!, what: `student ${o.student.id} is not in the Moodle grading worksheet; no feedback file for them`, fix: 'check the student is enrolled in the Moodle assignment' });
    }
    await writeFeedback(0);
    await streams.feedback.write(zip.finish());
  } catch (error) {
    for (const p of pending) p.pdf?.catch(() => undefined); // given up with the run
    await Promise.all(Object.values(streams).map((s) => s.abort(error as Error)));
    throw error;
  }
  const files: OutputFile[] = [];
  for (const [key, s] of Object.entries(streams)) files.push({ path: OUTPUT_NAMES[key as keyof typeof streams], ...(await s.close()) });
  return { stats: stats.result(), canvasMarks, files };
}
