import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { COHORT_KEY_BASENAME, COHORT_KEY_CSV } from '../output/batch-layout.ts';
import { fileEntry, type ManifestFile } from '../output/manifest.ts';
import { csvLines, csvStart } from '../output/marking-key-csv.ts';
import { removeFiles } from '../output/output-folder.ts';
import type { PdfPrinter } from '../print/pdf-printer.ts';
import { drawStudent } from '../random/draw-student.ts';
import type { RunDraws } from './draw-roster.ts';
import { renderCohortKey } from '../render/render-documents.ts';
import type { TemplateSet } from '../render/template-set.ts';
import { compareIds } from '../solution/compare-ids.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { buildStudentKey, MARKING_KEY_CSV_HEADER, markingKeyRows, type CohortPart, type StudentKey } from '../solution/build-marking-key.ts';

/** Students per cohort-key document: one PDF of 5,000 students would need gigabytes to print. */
export const COHORT_CHUNK_SIZE = 200;

export interface CohortKeyInput {
  outDir: string;
  exam: ExamConfig;
  examPath: string;
  secret: string;
  roster: RosterStudent[];
  attempt: number;
  /** the (student, attempt) pairs to list, in order; default every roster student at `attempt` */
  entries?: Array<{ student: RosterStudent; attempt: number }>;
  templates: TemplateSet;
  /** absent: write HTML */
  printer?: PdfPrinter;
  /** the cohort files an earlier run recorded: those not written again are removed */
  previous?: ManifestFile[];
  /** draws already made this run (the roster check's); any other student is drawn here */
  draws?: RunDraws;
  /** once aborted, no further document is started: the pass throws CohortKeyAborted and removes what it wrote */
  signal?: AbortSignal;
}

export class CohortKeyAborted extends Error {
  constructor() {
    super('the cohort marking key was stopped before it was complete');
  }
}

/** Students whose keys are built between two turns of the event loop: the print queue keeps being fed. */
const KEYS_PER_TURN = 10;

/** `marking-key.pdf` for up to 200 students, else `marking-key-001.pdf`, `marking-key-002.pdf`, … */
export function cohortDocumentNames(students: number, extension: string): string[] {
  const chunks = Math.max(1, Math.ceil(students / COHORT_CHUNK_SIZE));
  if (chunks === 1) return [`${COHORT_KEY_BASENAME}.${extension}`];
  return Array.from({ length: chunks }, (_, i) => `${COHORT_KEY_BASENAME}-${String(i + 1).padStart(3, '0')}.${extension}`);
}

/** The roster cut into the cohort documents: each one's file name, its students and which part it is. */
export function cohortChunks<S>(roster: S[], extension: string, order: (a: S, b: S) => number = byId as (a: S, b: S) => number): Array<{ name: string; students: S[]; part: CohortPart }> {
  const names = cohortDocumentNames(roster.length, extension);
  // By student ID, as markers look scripts up (the roster's order is the LMS export's).
  const sorted = [...roster].sort(order);
  return names.map((name, i) => {
    const students = sorted.slice(i * COHORT_CHUNK_SIZE, (i + 1) * COHORT_CHUNK_SIZE);
    const first = i * COHORT_CHUNK_SIZE + 1;
    return { name, students, part: { part: i + 1, parts: names.length, first, last: first + students.length - 1, total: roster.length } };
  });
}

/**
 * The cohort key: marking-key.csv and the cohort document(s), in one pass over the roster in
 * chunks of 200. Students are re-drawn (cheap) rather than kept from the batch, and the CSV is
 * streamed to disk, so memory stays flat however long the roster.
 */
export async function writeCohortKey(input: CohortKeyInput): Promise<ManifestFile[]> {
  const documents: ManifestFile[] = [];
  const pass = { failure: undefined as unknown };
  const hash = createHash('sha256');
  let bytes = 0;
  async function* csvPieces(): AsyncGenerator<Buffer> {
    for await (const text of cohortPass(input, documents, pass)) {
      const piece = Buffer.from(text, 'utf8');
      hash.update(piece);
      bytes += piece.length;
      yield piece;
    }
  }
  const csvPath = COHORT_KEY_CSV;
  try {
    await writeFileAtomic(join(input.outDir, csvPath), csvPieces());
  } catch (error) {
    if (pass.failure instanceof CohortKeyAborted) await removeFiles(input.outDir, documents);
    throw pass.failure ?? error; // a document that failed, not the CSV file it interrupted
  }
  const files = [{ path: csvPath, sha256: hash.digest('hex'), bytes }, ...documents];
  const outdated = (input.previous ?? []).filter((old) => !files.some((f) => f.path === old.path));
  await removeFiles(input.outDir, outdated);
  return files;
}

const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);
/** A student's issued attempts side by side, in ID order. */
const byIdThenAttempt = (a: { student: { id: string }; attempt: number }, b: { student: { id: string }; attempt: number }) =>
  compareIds(a.student.id, b.student.id) || a.attempt - b.attempt;

/** Yields the CSV text chunk by chunk; after each chunk's lines, writes that chunk's document. */
async function* cohortPass(input: CohortKeyInput, documents: ManifestFile[], pass: { failure: unknown }): AsyncGenerator<string> {
  const width = MARKING_KEY_CSV_HEADER.length;
  yield csvStart(MARKING_KEY_CSV_HEADER);
  const entries = input.entries ?? input.roster.map((student) => ({ student, attempt: input.attempt }));
  for (const { name, students: chunk, part } of cohortChunks(entries, input.printer ? 'pdf' : 'html', byIdThenAttempt)) {
    const keys: StudentKey[] = [];
    try {
      for (const { student, attempt } of chunk) {
        if (keys.length % KEYS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
        if (input.signal?.aborted) throw new CohortKeyAborted();
        keys.push(buildStudentKey(input.exam, input.draws?.take(student, attempt) ?? drawStudent(input.secret, input.exam, student, attempt, input.examPath)));
      }
    } catch (error) {
      pass.failure = error;
      throw error;
    }
    yield keys.map((key) => csvLines(markingKeyRows(input.exam, key), width)).join('');
    try {
      documents.push(await writeCohortDocument(input, name, keys, part));
    } catch (error) {
      pass.failure = error;
      throw error;
    }
  }
}

async function writeCohortDocument(input: CohortKeyInput, name: string, keys: StudentKey[], part: CohortPart): Promise<ManifestFile> {
  const doc = renderCohortKey(input.templates, input.exam, keys, part);
  const bytes = input.printer ? await input.printer.print(doc) : doc.html;
  await writeFileAtomic(join(input.outDir, name), bytes);
  return fileEntry(input.outDir, name, bytes);
}
