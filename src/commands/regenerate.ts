import type { CommandModule } from 'yargs';
import { regenerate, type RegeneratedFile, type RegenerateReport } from '../pipeline/regenerate.ts';
import { MAX_ATTEMPT, wholeNumberOption } from './command-line.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';

interface RegenerateArgs extends Omit<ExamArgs, 'attempt'> {
  student: string;
  attempt?: number;
  out?: string;
  to?: string;
  replace: boolean;
  templates?: string;
}

export function regenerateCommand(setExit: (code: number) => void): CommandModule<object, RegenerateArgs> {
  return {
    command: 'regenerate',
    describe: 'Rebuild one student\'s files from the seed and compare them byte for byte with the issued ones',
    builder: (y) => examOptions(y)
      .demandOption('roster')
      .option('student', { type: 'string', demandOption: true, describe: 'student ID' })
      .option('attempt', wholeNumberOption('attempt', 1, MAX_ATTEMPT, { default: undefined, describe: 'attempt (default: the one the manifest records, else 1)' }))
      .option('out', { type: 'string', describe: 'the batch\'s output folder, holding manifest.json (default: output/<examId>)' })
      .option('to', { type: 'string', describe: 'write the regenerated files to DIR/<studentId>/ instead of the batch\'s folder' })
      .option('replace', { type: 'boolean', default: false, describe: 'overwrite files in the batch\'s folder that changed since they were issued' })
      .option('templates', { type: 'string', describe: 'the templates folder the batch was made with, if not the bundled one' }) as never,
    handler: async (args) => {
      const report = await regenerate({
        examPath: args.exam, rosterPath: args.roster!, secretFile: args.secretFile, studentId: args.student, attempt: args.attempt,
        outDir: args.out, to: args.to, replace: args.replace, templatesDir: args.templates,
      });
      process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
      setExit(report.identical ? 0 : 1);
    },
  };
}

const short = (sha: string | undefined) => (sha ? `${sha.slice(0, 12)}…` : '');

function fileLine(f: RegeneratedFile): string {
  const status = f.status === 'identical' ? 'identical to the issued file'
    : f.status === 'differs' ? `DIFFERS from the issued file (sha256 ${short(f.sha256)} now, ${short(f.issuedSha256)} issued)`
      : 'regenerated (no issued file recorded to compare with)';
  const where = f.writtenTo ? `; written to ${f.writtenTo}` : f.note ? `; ${f.note}` : '';
  return `  ${f.path}: ${status}${where}`;
}

function formatReport(r: RegenerateReport): string {
  const compared = r.recorded ? `compared with ${r.outDir}/manifest.json` : 'not compared';
  const lines = [`Regenerated student ${r.studentId}, attempt ${r.attempt}, from the seed (${compared}):`, ...r.files.map(fileLine)];
  if (r.recorded) lines.push(r.identical ? 'Every file is byte-identical to the one issued.' : 'Some files differ from the ones issued. Why they may:', ...r.reasons.map((x) => `  - ${x}`));
  lines.push(...r.notes);
  return lines.join('\n');
}
