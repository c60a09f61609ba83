import type { CommandModule } from 'yargs';
import { identify } from '../pipeline/identify.ts';
import { formatIdentifyReport } from '../scan/identify-pages.ts';

interface IdentifyArgs { scan: string; exam: string; roster?: string; secretFile?: string; split?: string; json: boolean }

export function identifyCommand(setExit: (code: number) => void): CommandModule<object, IdentifyArgs> {
  return {
    command: 'identify <scan>',
    describe: 'Read the QR page codes of a scanned PDF: whose pages are present, missing or duplicated',
    builder: (y) => y
      .positional('scan', { type: 'string', demandOption: true, describe: 'the scanned PDF (any number of students\' pages, in any order)' })
      .option('exam', { type: 'string', default: 'exam.json', describe: 'exam config (JSON)' })
      .option('roster', { type: 'string', demandOption: true, describe: 'roster CSV: names the students and lists those with no pages in the scan' })
      .option('secret-file', { type: 'string', describe: 'file holding the staff secret, to check each code\'s fingerprint (default: RNN_EXAM_SECRET)' })
      .option('split', { type: 'string', describe: 'write one PDF per student (<id>.pdf, pages in order) and unidentified.pdf into this folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' }) as never,
    handler: async (args) => {
      const report = await identify({
        scanPath: args.scan, examPath: args.exam, rosterPath: args.roster!, secretFile: args.secretFile, splitDir: args.split,
        onPage: args.json || !process.stderr.isTTY ? undefined : (page, pages) => process.stderr.write(`\rreading page ${page} of ${pages}${page === pages ? '\n' : ''}`),
      });
      if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        const split = report.split ? `\nWrote ${report.split.length} file${report.split.length === 1 ? '' : 's'} into ${args.split}.` : '';
        process.stdout.write(`${formatIdentifyReport(report)}${split}\n`);
      }
      setExit(report.ok ? 0 : 1);
    },
  };
}
