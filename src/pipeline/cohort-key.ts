import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ExamConfig } from '../config/exam-schema.ts';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { fileEntry, type ManifestFile } from '../output/manifest.ts';
import { csvLines, csvStart } from '../output/marking-key-csv.ts';
import { removeFiles } from '../output/output-folder.ts';
import type { PdfPrinter } from '../print/pdf-printer.ts';
import { drawStudent } from '../random/draw-student.ts';
import { renderCohortKey } from '../render/render-documents.ts';
import type { TemplateSet } from '../render/template-set.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { buildStudentKey, MARKING_KEY_CSV_HEADER, markingKeyRows, type StudentKey } from '../solution/build-marking-key.ts';

/** Students per cohort-key document: one PDF of 5,000 students would need gigabytes to print. */
export const COHORT_CHUNK_SIZE = 200;

export interface CohortKeyInput {
  outDir: string;
  exam: ExamConfig;
  examPath: string;
  secret: string;
  roster: RosterStudent[];
  attempt: number;
  templates: TemplateSet;
  /** absent: write HTML */
  printer?: PdfPrinter;
  /** the cohort files an earlier run recorded: those not written again are removed */
  previous?: ManifestFile[];
}

/** `marking-key.pdf` for up to 200 students, else `marking-key-001.pdf`, `marking-key-002.pdf`, … */
export function cohortDocumentNames(students: number, extension: string): string[] {
  const chunks = Math.max(1, Math.ceil(students / COHORT_CHUNK_SIZE));
  if (chunks === 1) return [`marking-key.${extension}`];
  return Array.from({ length: chunks }, (_, i) => `marking-key-${String(i + 1).padStart(3, '0')}.${extension}`);
}

/**
 * The cohort key: marking-key.csv and the cohort document(s). Students are re-drawn one at
 * a time (cheap) rather than kept from the batch, so memory stays flat however long the roster.
 */
export async function writeCohortKey(input: CohortKeyInput): Promise<ManifestFile[]> {
  const files = [await writeCohortCsv(input), ...await writeCohortDocuments(input)];
  const outdated = (input.previous ?? []).filter((old) => !files.some((f) => f.path === old.path));
  await removeFiles(input.outDir, outdated);
  return files;
}

function* studentKeys(input: CohortKeyInput, students: RosterStudent[]): Generator<StudentKey> {
  for (const student of students) {
    yield buildStudentKey(input.exam, drawStudent(input.secret, input.exam, student, input.attempt, input.examPath));
  }
}

function* csvTexts(input: CohortKeyInput): Generator<string> {
  yield csvStart(MARKING_KEY_CSV_HEADER);
  for (const key of studentKeys(input, input.roster)) yield csvLines(markingKeyRows(input.exam, key), MARKING_KEY_CSV_HEADER.length);
}

/** marking-key.csv, streamed to disk student by student and hashed on the way. */
async function writeCohortCsv(input: CohortKeyInput): Promise<ManifestFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  function* pieces(): Generator<Buffer> {
    for (const text of csvTexts(input)) {
      const piece = Buffer.from(text, 'utf8');
      hash.update(piece);
      bytes += piece.length;
      yield piece;
    }
  }
  const path = 'marking-key.csv';
  await writeFileAtomic(join(input.outDir, path), pieces());
  return { path, sha256: hash.digest('hex'), bytes };
}

/** One document per chunk of the roster, printed one at a time. */
async function writeCohortDocuments(input: CohortKeyInput): Promise<ManifestFile[]> {
  const names = cohortDocumentNames(input.roster.length, input.printer ? 'pdf' : 'html');
  const files: ManifestFile[] = [];
  for (const [i, name] of names.entries()) {
    const chunk = input.roster.slice(i * COHORT_CHUNK_SIZE, (i + 1) * COHORT_CHUNK_SIZE);
    const doc = renderCohortKey(input.templates, input.exam, [...studentKeys(input, chunk)]);
    const bytes = input.printer ? await input.printer.print(doc) : doc.html;
    await writeFileAtomic(join(input.outDir, name), bytes);
    files.push(fileEntry(input.outDir, name, bytes));
  }
  return files;
}
