import type { CommandModule } from 'yargs';
import { generate, GenerateInterrupted, type GenerateSummary, type OnlyKind } from '../pipeline/generate.ts';
import { parseShard, type Shard } from '../pipeline/shard.ts';
import { printConcurrencyLimit as concurrencyLimit } from '../print/print-concurrency.ts';
import { wholeNumberOption } from './command-line.ts';
import { terminalSafe, terminalSafeJson } from '../io/terminal-text.ts';
import { ONLY_CHOICES } from '../config/document-kinds.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';
import { createProgressReporter } from './progress.ts';

interface GenerateArgs extends ExamArgs {
  out?: string;
  student?: string[];
  only?: OnlyKind;
  format: 'pdf' | 'html';
  concurrency?: number;
  force: boolean;
  templates?: string;
  shard?: Shard;
}

export function generateCommand(setExit: (code: number) => void): CommandModule<object, GenerateArgs> {
  return {
    command: 'generate',
    describe: 'Make question papers, worked solutions and marking keys for a roster',
    builder: (y) => examOptions(y)
      .demandOption('roster')
      .option('out', { type: 'string', describe: 'output folder (default: output/<examId>)' })
      .option('student', { type: 'string', array: true, describe: 'only these student IDs (repeatable); identical to the same students in a full run' })
      .option('only', { choices: ONLY_CHOICES, describe: 'make only one kind of document' })
      .option('format', { choices: ['pdf', 'html'] as const, default: 'pdf' as const, describe: 'pdf, or html (no browser needed)' })
      .option('concurrency', wholeNumberOption('concurrency', 1, 10_000, { describe: `browser pages printing at once (default: one per core; at most ${concurrencyLimit()} here, 4 per core)` }))
      .option('force', { type: 'boolean', default: false, describe: 'replace papers of another exam, secret or config in --out' })
      .option('templates', { type: 'string', describe: 'folder with your own templates (default: the bundled templates/)' })
      .option('shard', { type: 'string', requiresArg: true, coerce: shardOption, describe: 'K/N: only shard K of N (by student ID hash), into its own --out; see merge-manifests' }) as never,
    handler: async (args) => {
      const concurrency = cappedConcurrency(args.concurrency);
      const controller = new AbortController();
      let interrupts = 0;
      let started = false;
      const onSignal = () => {
        interrupts++;
        if (!started) {
          // Still checking the inputs and drawing every student: nothing is written yet.
          process.stderr.write('\nrnn-exam: stopped before anything was written.\n');
          controller.abort();
          if (interrupts > 1) process.exit(130);
        } else if (interrupts === 1) {
          process.stderr.write('\nrnn-exam: stopping after the students in progress (their files are written whole); run the same command again to resume. Press Ctrl-C again to stop at once.\n');
          controller.abort();
        } else {
          process.stderr.write('rnn-exam: stopped. No file is half-written; run the same command again to resume.\n');
          process.exit(130);
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let reporter = createProgressReporter(process.stderr, 0, false);
      try {
        const summary = await generate({
          examPath: args.exam, rosterPath: args.roster!, secretFile: args.secretFile, outDir: args.out,
          studentIds: args.student, only: args.only, format: args.format, concurrency,
          attempt: args.attempt, force: args.force, templatesDir: args.templates, signal: controller.signal,
          shard: args.shard,
          onStart: (total) => { started = true; reporter = createProgressReporter(process.stderr, total, !args.json); },
          onProgress: ({ done, studentId, skipped, failed, remade }) => reporter.update(done, studentId,
            failed ? 'FAILED' : skipped ? 'up to date, skipped' : remade?.length ? `remade: ${remade.join(', ')}` : 'done'),
        });
        report(summary, args.json);
        setExit(summary.failed.length > 0 ? 1 : summary.interrupted ? 130 : 0);
      } catch (error) {
        if (!(error instanceof GenerateInterrupted)) throw error;
        setExit(130);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  };
}

/** --shard K/N read as the option's value: a malformed one is a command-line error (exit 2). */
function shardOption(text: unknown): Shard | undefined {
  if (text === undefined) return undefined;
  if (Array.isArray(text)) throw new Error(`--shard is given ${text.length} times; give it once`);
  try {
    return parseShard(String(text));
  } catch (error) {
    throw new Error((error as Error).message);
  }
}

/** More pages than a few per core only add memory (a renderer process each), never speed. */
function cappedConcurrency(asked: number | undefined): number | undefined {
  const limit = concurrencyLimit();
  if (asked === undefined || asked <= limit) return asked;
  process.stderr.write(`rnn-exam: --concurrency ${asked} is more than this machine can use; printing ${limit} pages at once (4 per core).\n`);
  return limit;
}

function report(s: GenerateSummary, json: boolean): void {
  if (json) {
    process.stdout.write(`${terminalSafeJson(JSON.stringify(s))}\n`);
    return;
  }
  const lines = [
    `${s.interrupted ? 'Interrupted' : 'Done'}: ${s.written} student${s.written === 1 ? '' : 's'} written, ${s.skipped} already up to date, ${s.failed.length} failed (of ${s.students}).`,
    `Output: ${s.outDir}/ (one folder per student, with the cohort marking key and manifest.json beside them).`,
  ];
  if (s.browser) lines.push(`Printed with ${s.browser}.`);
  for (const r of s.remade) lines.push(`Remade ${r.id}${r.attempt === 1 ? '' : ` (attempt ${r.attempt})`}: ${r.reasons.join(', ')}.`);
  for (const f of s.failed) lines.push(`FAILED ${f.id}: ${f.error}`);
  if (s.failed.length > 0 || s.interrupted) lines.push('Run the same command again to make the missing students; finished ones are kept and skipped.');
  process.stdout.write(`${terminalSafe(lines.join('\n'))}\n`);
}
