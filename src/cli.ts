import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { formatProblem, isRnnExamError, type Problem } from './errors.ts';
import { terminalSafe } from './io/terminal-text.ts';
import { generateCommand } from './commands/generate.ts';
import { showCommand } from './commands/show.ts';
import { solveCommand } from './commands/solve.ts';
import { checkCommand } from './commands/check.ts';
import { regenerateCommand } from './commands/regenerate.ts';
import { traceCommand } from './commands/trace.ts';
import { verifyCommand } from './commands/verify.ts';
import { mergeManifestsCommand } from './commands/merge-manifests.ts';
import { markCommand } from './commands/mark.ts';
import { identifyCommand } from './commands/identify.ts';
import { CommandLineError, commandLineChecks, commandLineFailure } from './commands/command-line.ts';

/** The only place that parses argv and exits; each command lives in src/commands/. */
async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  await commandLineChecks(yargs(argv), argv)
    .scriptName('rnn-exam')
    .usage('$0 <command> [options]\n\nPer-student RNN exam papers, worked solutions and marking keys.')
    .command(solveCommand((code) => (exitCode = code)))
    .command(showCommand)
    .command(generateCommand((code) => (exitCode = code)))
    .command(regenerateCommand((code) => (exitCode = code)))
    .command(verifyCommand((code) => (exitCode = code)))
    .command(traceCommand((code) => (exitCode = code)))
    .command(checkCommand)
    .command(markCommand)
    .command(mergeManifestsCommand((code) => (exitCode = code)))
    .command(identifyCommand((code) => (exitCode = code)))
    .demandCommand(1, `name a command: ${COMMANDS.join(', ')}`)
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail(commandLineFailure(argv))
    .parseAsync();
  return exitCode;
}

/** Every problem when there are a few; the first 20 and a count when a wrong file gives thousands. */
function problemList(problems: Problem[]): string {
  const SHOWN = 20;
  if (problems.length === 1) return formatProblem(problems[0]);
  const lines = problems.slice(0, SHOWN).map(formatProblem);
  if (problems.length > SHOWN) lines.push(`… and ${problems.length - SHOWN} more problems (fix these first: the rest are often the same mistake).`);
  return `${problems.length} problems:\n${lines.join('\n')}`;
}

const COMMANDS = ['solve', 'show', 'generate', 'regenerate', 'verify', 'trace', 'check', 'mark', 'identify', 'merge-manifests'];

/** "generate " when the command line names a command, for the pointer to its --help. */
function commandName(): string {
  const first = hideBin(process.argv)[0];
  return COMMANDS.includes(first) ? `${first} ` : '';
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CommandLineError) {
      // Nothing has been read or written: yargs stops before the command's handler runs.
      process.stderr.write(`rnn-exam: ${terminalSafe(error.message)}\nRun 'rnn-exam ${commandName()}--help' for the options.\n`);
      process.exit(2);
    }
    if (isRnnExamError(error)) {
      process.stderr.write(`rnn-exam: ${terminalSafe(problemList(error.problems))}\n`);
      process.exit(1);
    }
    process.stderr.write(`rnn-exam: unexpected error: ${terminalSafe((error as Error)?.message ?? String(error))}\n`);
    if (process.env.RNN_EXAM_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    else process.stderr.write('Set RNN_EXAM_DEBUG=1 for details, and please report it.\n');
    process.exit(70);
  },
);
