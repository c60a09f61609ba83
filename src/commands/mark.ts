import type { CommandModule } from 'yargs';
import { formatProblem, RnnExamError } from '../errors.ts';
import { OUTPUT_NAMES, runMarking } from '../cohort/run-marking.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';

interface MarkArgs extends ExamArgs {
  answers: string;
  written?: string;
  out: string;
  canvasGradebook?: string;
  canvasColumn?: string;
  moodleWorksheet?: string;
  moodleItem: string;
  threads?: number;
  pdfFeedback: boolean;
}

const SHOWN_PROBLEMS = 20;

export const markCommand: CommandModule<object, MarkArgs> = {
  command: 'mark',
  describe: 'Mark a whole cohort: marks.csv, Moodle and Canvas grade imports, feedback per student, statistics',
  builder: (y) => examOptions(y)
    .option('answers', { type: 'string', demandOption: true, describe: 'the typed answers: one CSV student_id,part,quantity,value[,paper_code], or a folder of <student id>.json/.csv files' })
    .option('written', { type: 'string', describe: 'tutors\' marks for the written questions: CSV student_id,Q1,Q2,…' })
    .option('out', { type: 'string', default: 'marking', describe: 'folder for the outputs' })
    .option('canvas-gradebook', { type: 'string', describe: 'the gradebook CSV exported from Canvas, to write back with the marks' })
    .option('canvas-column', { type: 'string', describe: 'the Canvas assignment column to fill: its name, its id, or "Name (id)"' })
    .option('moodle-worksheet', { type: 'string', describe: 'the Moodle assignment\'s grading worksheet CSV: names the feedback files so Moodle\'s "upload feedback files in a zip" finds each student' })
    .option('moodle-item', { type: 'string', default: 'Exam', describe: 'the grade item column name in the Moodle import file' })
    .option('pdf-feedback', { type: 'boolean', default: false, describe: 'also a PDF of each feedback page in the ZIP (printed with the browser; slower)' })
    .option('threads', { type: 'number', describe: 'worker threads for marking 300 students or more (default 1; try 2+ only on idle cores)' }) as never,
  handler: async (args) => {
    if (args.threads !== undefined && (!Number.isInteger(args.threads) || args.threads < 1)) {
      throw new RnnExamError({ where: '--threads', what: `must be a whole number from 1, not ${args.threads}` });
    }
    const summary = await runMarking({
      examPath: args.exam, rosterPath: args.roster, answersPath: args.answers, writtenPath: args.written, outDir: args.out,
      secretFile: args.secretFile, attempt: args.attempt, canvasGradebook: args.canvasGradebook, canvasColumn: args.canvasColumn,
      moodleWorksheet: args.moodleWorksheet, moodleItem: args.moodleItem, threads: args.threads, pdfFeedback: args.pdfFeedback,
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const { counts, problems } = summary;
    const lines = [`Marked ${counts.marked} of ${counts.roster} students (${counts.flagged} flagged, ${counts.absent} without answers) into ${summary.outDir}:`,
      ...summary.files.map((f) => `  ${f.path}`)];
    if (problems.length > 0) {
      lines.push(`${problems.length} problem${problems.length === 1 ? '' : 's'} (all in ${OUTPUT_NAMES.problems}):`,
        ...problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${formatProblem(p)}`));
      if (problems.length > SHOWN_PROBLEMS) lines.push(`  … and ${problems.length - SHOWN_PROBLEMS} more`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
