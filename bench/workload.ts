import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExamConfig } from '../src/config/read-exam-config.ts';
import type { ExamConfig } from '../src/config/exam-schema.ts';
import { cohortChunks } from '../src/pipeline/cohort-key.ts';
import type { PrintDocument } from '../src/print/pdf-printer.ts';
import { drawStudent } from '../src/random/draw-student.ts';
import { DOCUMENT_KINDS, renderCohortKey, renderStudentDocuments } from '../src/render/render-documents.ts';
import { loadTemplates, type TemplateSet } from '../src/render/template-set.ts';
import type { RosterStudent } from '../src/roster/parse-roster.ts';
import { buildStudentKey } from '../src/solution/build-marking-key.ts';

/** A published throwaway secret: the bench's papers are never a real exam's. */
export const BENCH_SECRET = 'rnn-exam-bench-secret-NOT-FOR-REAL-EXAMS';
export const EXAM_PATH = 'examples/exam.json';

export interface Workload {
  dir: string;
  rosterPath: string;
  students: RosterStudent[];
  exam: ExamConfig;
  templates: TemplateSet;
}

/** A roster of `count` made-up students in a fresh temporary folder. */
export async function makeWorkload(count: number): Promise<Workload> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-bench-'));
  const students = syntheticStudents(count);
  const rosterPath = join(dir, 'roster.csv');
  writeFileSync(rosterPath, `Student ID,Full name\n${students.map((s) => `${s.id},${s.name}`).join('\n')}\n`);
  return { dir, rosterPath, students, exam: await readExamConfig(EXAM_PATH), templates: await loadTemplates() };
}

export function syntheticStudents(count: number): RosterStudent[] {
  return Array.from({ length: count }, (_, i) => ({ id: `B${String(i + 1).padStart(6, '0')}`, name: `Student Number${i + 1} Example-Name`, line: i + 2 }));
}

/** A document as the pipeline prints it, with the path it writes it to. */
export interface NamedDocument { path: string; doc: PrintDocument }

/**
 * Every document `generate` prints for this roster, in the order it prints them: each student's
 * paper, solution and key, then the cohort key. Same functions, same inputs, so the same HTML
 * (the bench checks the PDFs printed from it against the pipeline's files).
 */
export function pipelineDocuments(w: Workload): NamedDocument[] {
  const docs: NamedDocument[] = [];
  for (const student of w.students) {
    const draw = drawStudent(BENCH_SECRET, w.exam, student, 1, EXAM_PATH);
    for (const [kind, doc] of renderStudentDocuments(w.templates, w.exam, draw, buildStudentKey(w.exam, draw), DOCUMENT_KINDS)) {
      docs.push({ path: `${student.id}/${kind}.pdf`, doc });
    }
  }
  for (const { name, students, part } of cohortChunks(w.students, 'pdf')) {
    const keys = students.map((s) => buildStudentKey(w.exam, drawStudent(BENCH_SECRET, w.exam, s, 1, EXAM_PATH)));
    docs.push({ path: name, doc: renderCohortKey(w.templates, w.exam, keys, part) });
  }
  return docs;
}

/** Draw, solve, build the keys and render every document to HTML, nothing kept: documents per second. */
export function htmlOnly(w: Pick<Workload, 'exam' | 'templates'>, count: number): { documents: number; seconds: number } {
  const started = performance.now();
  let documents = 0;
  for (const student of syntheticStudents(count)) {
    const draw = drawStudent(BENCH_SECRET, w.exam, student, 1, EXAM_PATH);
    documents += renderStudentDocuments(w.templates, w.exam, draw, buildStudentKey(w.exam, draw), DOCUMENT_KINDS).size;
  }
  return { documents, seconds: (performance.now() - started) / 1000 };
}
