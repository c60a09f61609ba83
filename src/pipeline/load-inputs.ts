import type { ExamConfig } from '../config/exam-schema.ts';
import { readExamConfig } from '../config/read-exam-config.ts';
import { RnnExamError } from '../errors.ts';
import { readSecret } from '../random/read-secret.ts';
import { readRoster } from '../roster/read-roster.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';

export interface ExamInputs {
  exam: ExamConfig;
  examPath: string;
  secret: string;
  roster?: RosterStudent[];
  rosterPath?: string;
}

/**
 * Reads exam, roster and secret, reporting the problems of all three together so that one
 * run shows everything to fix.
 */
export async function loadExamInputs(options: { examPath: string; rosterPath?: string; secretFile?: string; env?: NodeJS.ProcessEnv }): Promise<ExamInputs> {
  const [exam, roster, secret] = await Promise.allSettled([
    readExamConfig(options.examPath),
    options.rosterPath ? readRoster(options.rosterPath) : Promise.resolve(undefined),
    readSecret({ secretFile: options.secretFile, env: options.env }),
  ]);
  const failures = [exam, roster, secret].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) {
    const other = failures.find((f) => !(f.reason instanceof RnnExamError));
    if (other) throw other.reason;
    throw new RnnExamError(failures.flatMap((f) => (f.reason as RnnExamError).problems));
  }
  return {
    exam: (exam as PromiseFulfilledResult<ExamConfig>).value,
    examPath: options.examPath,
    secret: (secret as PromiseFulfilledResult<string>).value,
    roster: (roster as PromiseFulfilledResult<RosterStudent[] | undefined>).value,
    rosterPath: options.rosterPath,
  };
}

/** The roster entries for the requested IDs, in the order asked, each once; unknown IDs are errors. */
export function selectStudents(roster: RosterStudent[], requested: string[], rosterPath: string): RosterStudent[] {
  const ids = [...new Set(requested)]; // `--student A --student A` is one student, made once
  const byId = new Map(roster.map((s) => [s.id, s]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new RnnExamError(missing.map((id) => ({
      where: rosterPath, what: `student ID ${JSON.stringify(id)} is not on the roster`,
      fix: 'check the ID (IDs are case-sensitive) or add the student to the roster',
    })));
  }
  return ids.map((id) => byId.get(id)!);
}
