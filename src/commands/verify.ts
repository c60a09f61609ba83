import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { readExamConfig } from '../config/read-exam-config.ts';
import { RnnExamError } from '../errors.ts';
import { loadExamInputs } from '../pipeline/load-inputs.ts';
import { formatVerifyReport, verifyOutput, type SeedInputs } from '../pipeline/verify.ts';

interface VerifyArgs { out?: string; exam?: string; roster?: string; secretFile?: string; json: boolean }

export function verifyCommand(setExit: (code: number) => void): CommandModule<object, VerifyArgs> {
  return {
    command: 'verify',
    describe: 'Check an output folder against its manifest (missing, changed, foreign files) and, with the secret, every student\'s numbers',
    builder: (y) => y
      .option('out', { type: 'string', describe: 'the folder `generate` wrote (default: output/<examId> of --exam)' })
      .option('exam', { type: 'string', describe: 'exam config, to recompute each student\'s numbers from the seed (default exam.json when the secret is given)' })
      .option('roster', { type: 'string', describe: 'roster CSV: also flags roster students without papers and papers of students not on it' })
      .option('secret-file', { type: 'string', describe: 'file holding the staff secret (default: the RNN_EXAM_SECRET environment variable)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' }) as never,
    handler: async (args) => {
      const seeds = await seedInputs(args);
      const outDir = args.out ?? await defaultOut(args.exam ?? 'exam.json', seeds);
      const report = await verifyOutput(outDir, seeds);
      process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatVerifyReport(report)}\n`);
      setExit(report.ok ? 0 : 1);
    },
  };
}

/**
 * The seed check runs as soon as one of its inputs is named on the command line (then all
 * must be right), or with RNN_EXAM_SECRET set and an exam.json here: a secret left in the
 * environment must not turn a plain file check into an error about a missing exam.json.
 */
async function seedInputs(args: VerifyArgs): Promise<SeedInputs | undefined> {
  const named = args.exam !== undefined || args.roster !== undefined || args.secretFile !== undefined;
  const wanted = named || (Boolean(process.env.RNN_EXAM_SECRET) && existsSync('exam.json'));
  if (!wanted) return undefined;
  const inputs = await loadExamInputs({ examPath: args.exam ?? 'exam.json', rosterPath: args.roster, secretFile: args.secretFile });
  return { exam: inputs.exam, secret: inputs.secret, roster: inputs.roster, rosterPath: inputs.rosterPath };
}

async function defaultOut(examPath: string, seeds: SeedInputs | undefined): Promise<string> {
  try {
    return join('output', (seeds?.exam ?? await readExamConfig(examPath)).examId);
  } catch (error) {
    if (!(error instanceof RnnExamError)) throw error;
    throw new RnnExamError([...error.problems, { where: 'verify', what: 'no --out folder given, and the default output/<examId> needs the exam config', fix: 'pass --out DIR' }]);
  }
}
