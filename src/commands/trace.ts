import type { CommandModule } from 'yargs';
import { loadExamInputs } from '../pipeline/load-inputs.ts';
import { normalisePaperCode, tracePaperCode } from '../pipeline/trace-code.ts';
import { MAX_ATTEMPT, wholeNumberOption } from './command-line.ts';
import { terminalSafe, terminalSafeJson } from '../io/terminal-text.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';

interface TraceArgs extends Omit<ExamArgs, 'attempt'> { code: string; attempt?: number; maxAttempt: number }

export function traceCommand(setExit: (code: number) => void): CommandModule<object, TraceArgs> {
  return {
    command: 'trace',
    describe: 'Find the student (and attempt) a loose page belongs to, from the paper code printed on it',
    builder: (y) => examOptions(y)
      .demandOption('roster')
      .option('code', { type: 'string', demandOption: true, describe: 'the paper code printed on the page, e.g. 7K3M-Q9TX' })
      .option('attempt', wholeNumberOption('attempt', 1, MAX_ATTEMPT, { default: undefined, describe: 'try only this attempt (default: every attempt up to --max-attempt)' }))
      .option('max-attempt', wholeNumberOption('max-attempt', 1, MAX_ATTEMPT, { default: 5, describe: 'try attempts 1 … N' })) as never,
    handler: async (args) => {
      const code = normalisePaperCode(args.code);
      const attempts = args.attempt !== undefined ? [args.attempt] : Array.from({ length: args.maxAttempt }, (_, i) => i + 1);
      const { exam, secret, roster } = await loadExamInputs({ examPath: args.exam, rosterPath: args.roster, secretFile: args.secretFile });
      const matches = tracePaperCode(secret, exam.examId, roster!, code, attempts);
      setExit(matches.length > 0 ? 0 : 1);
      const tried = attempts.length === 1 ? `attempt ${attempts[0]}` : `attempts ${attempts[0]}–${attempts[attempts.length - 1]}`;
      if (args.json) {
        const found = matches.map((m) => ({ studentId: m.student.id, name: m.student.name, attempt: m.attempt }));
        process.stdout.write(`${terminalSafeJson(JSON.stringify({ code, examId: exam.examId, attempts, matches: found }))}\n`);
        return;
      }
      const lines = matches.length > 0
        ? matches.map((m) => `${code}: student ${m.student.id} (${m.student.name || 'no name on the roster'}), attempt ${m.attempt}, exam ${exam.examId}`)
        : [`${code}: no student on ${args.roster} has this paper code in exam ${exam.examId} (${tried}, ${roster!.length} students).`,
          'The page may be from another exam or secret, a student missing from this roster, or a later attempt (try --max-attempt).'];
      process.stdout.write(`${terminalSafe(lines.join('\n'))}\n`);
    },
  };
}
