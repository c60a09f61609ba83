import type { ExamConfig } from '../config/exam-schema.ts';
import { assertDistinctDraws, drawStudent } from '../random/draw-student.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';

/**
 * Draws every student once before anything is written (every draw possible, no two alike),
 * giving the event loop a turn between students: a slow config (many rejected draws) on a
 * long roster can take minutes, and Ctrl-C or SIGTERM must be heard meanwhile. Stops at once,
 * with `onAbort()`'s error, when `signal` is aborted.
 */
export async function checkRosterDraws(
  secret: string, exam: ExamConfig, roster: RosterStudent[], attempt: number, source: string,
  signal?: AbortSignal, onAbort: () => Error = () => new Error('interrupted'),
): Promise<void> {
  const hashes = [];
  for (const student of roster) {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw onAbort();
    hashes.push({ student, paramsHash: drawStudent(secret, exam, student, attempt, source).paramsHash });
  }
  assertDistinctDraws(hashes, source);
}
