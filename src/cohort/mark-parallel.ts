/**
 * markCohort on worker threads: the roster is cut into slices, the slices marked on `threads`
 * workers, and the outcomes handed on in roster order, so every output is the same bytes as a
 * run on one thread. Only a few slices are in flight at a time, so memory does not grow with
 * the cohort. Small cohorts are marked on this thread (starting a worker costs more).
 */
import { Worker } from 'node:worker_threads';
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError, type Problem } from '../errors.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import type { StudentAnswerSource } from './cohort-answers.ts';
import { markCohort, type CohortInputs, type StudentOutcome } from './mark-cohort.ts';

export interface WorkerSetup { exam: ExamConfig; secret: string; roster: RosterStudent[]; attempt: number }
export interface ChunkRequest {
  chunk: number;
  students: RosterStudent[];
  answers: Array<[string, StudentAnswerSource]>;
  written?: Array<[string, Array<number | null>]>;
}
type ChunkReply = { chunk: number; outcomes: StudentOutcome[] } | { chunk: number; error: string; problems?: Problem[] };

const CHUNK = 50;
/** Below this many students one thread is faster than starting workers. */
export const MIN_PARALLEL = 300;

export async function* markCohortParallel(inputs: CohortInputs, threads: number, minStudents = MIN_PARALLEL, chunkSize = CHUNK): AsyncGenerator<StudentOutcome> {
  if (threads <= 1 || inputs.roster.length < minStudents) {
    yield* markCohort(inputs);
    return;
  }
  const chunks: RosterStudent[][] = [];
  for (let i = 0; i < inputs.roster.length; i += chunkSize) chunks.push(inputs.roster.slice(i, i + chunkSize));
  const setup: WorkerSetup = { exam: inputs.exam, secret: inputs.secret, roster: inputs.roster, attempt: inputs.attempt };
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./mark-worker.mjs', import.meta.url), { workerData: setup }));
  const results = new Map<number, ChunkReply>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let next = 0;
  const assigned = new Map<number, Worker>();
  const request = (worker: Worker) => {
    if (next >= chunks.length) return;
    assigned.set(next, worker);
    const students = chunks[next];
    const pick = <T>(map: Map<string, T> | undefined) => (map ? students.flatMap((s): Array<[string, T]> => (map.has(s.id) ? [[s.id, map.get(s.id)!]] : [])) : undefined);
    const message: ChunkRequest = { chunk: next++, students, answers: pick(inputs.answers.byStudent)!, written: pick(inputs.written?.byStudent) };
    worker.postMessage(message);
  };
  for (const worker of workers) {
    worker.on('message', (reply: ChunkReply) => {
      results.set(reply.chunk, reply);
      wake?.();
    });
    worker.on('error', (error) => { failure ??= error; wake?.(); });
  }
  try {
    // Two slices per worker in flight: one being marked, one waiting.
    for (const worker of workers) { request(worker); request(worker); }
    for (let chunk = 0; chunk < chunks.length; chunk++) {
      while (!results.has(chunk) && !failure) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) throw failure;
      const reply = results.get(chunk)!;
      results.delete(chunk);
      if ('error' in reply) throw reply.problems ? new RnnExamError(reply.problems) : new Error(reply.error);
      request(assigned.get(chunk)!);
      assigned.delete(chunk);
      yield* reply.outcomes;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
