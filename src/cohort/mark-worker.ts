/** A worker thread marking slices of the roster for mark-parallel.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { RnnExamError } from '../errors.ts';
import { markCohort, type CohortInputs, type StudentOutcome } from './mark-cohort.ts';
import type { ChunkRequest, WorkerSetup } from './mark-parallel.ts';

const setup = workerData as WorkerSetup;

parentPort!.on('message', async (request: ChunkRequest) => {
  try {
    const inputs: CohortInputs = {
      exam: setup.exam, secret: setup.secret, roster: setup.roster, attempt: setup.attempt,
      answers: { byStudent: new Map(request.answers), problems: [], files: [], folder: false },
      written: request.written && { byStudent: new Map(request.written), problems: [] },
    };
    const outcomes: StudentOutcome[] = [];
    for await (const o of markCohort(inputs, request.students)) outcomes.push(o);
    parentPort!.postMessage({ chunk: request.chunk, outcomes });
  } catch (error) {
    const problems = error instanceof RnnExamError ? error.problems : undefined;
    parentPort!.postMessage({ chunk: request.chunk, error: (error as Error)?.message ?? String(error), problems });
  }
});
