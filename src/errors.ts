/**
 * One error type for everything a user can get wrong. Each problem says where it is
 * (file, line, JSON path), what is wrong, and how to fix it, so a whole list can be
 * reported at once instead of one failure per run.
 */
export interface Problem {
  /** e.g. "roster.csv line 14" or "exam.json: rnn.sizes.T" */
  where: string;
  what: string;
  fix?: string;
}

export class RnnExamError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[] | Problem, options?: { cause?: unknown }) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'), options);
    this.name = 'RnnExamError';
    this.problems = list;
  }
}

export function formatProblem(problem: Problem): string {
  const what = /[.!?]$/.test(problem.what) ? problem.what : `${problem.what}.`;
  const fix = problem.fix ? ` Fix: ${problem.fix}${/[.!?]$/.test(problem.fix) ? '' : '.'}` : '';
  return `${problem.where}: ${what}${fix}`;
}

export function isRnnExamError(error: unknown): error is RnnExamError {
  return error instanceof RnnExamError;
}
