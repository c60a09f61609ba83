import type { Argv } from 'yargs';
import { MAX_ATTEMPT, wholeNumberOption } from './command-line.ts';

/** Options every exam command shares, declared once. */
export function examOptions<T>(y: Argv<T>) {
  return y
    .option('exam', { type: 'string', default: 'exam.json', describe: 'exam config (JSON); see examples/exam.json' })
    .option('roster', { type: 'string', describe: 'roster CSV as exported by the LMS (Moodle, Canvas, Blackboard)' })
    .option('secret-file', { type: 'string', describe: 'file holding the staff secret (default: the RNN_EXAM_SECRET environment variable)' })
    .option('attempt', wholeNumberOption('attempt', 1, MAX_ATTEMPT, { default: 1, describe: `attempt number: 2, 3, ... (up to ${MAX_ATTEMPT}) give fresh papers for re-sits` }))
    .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON' });
}

export interface ExamArgs {
  exam: string;
  roster?: string;
  secretFile?: string;
  attempt: number;
  json: boolean;
}
