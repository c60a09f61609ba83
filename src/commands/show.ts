import type { CommandModule } from 'yargs';
import { RnnExamError } from '../errors.ts';
import { loadExamInputs, selectStudents } from '../pipeline/load-inputs.ts';
import { assertDistinctDraws, drawStudent } from '../random/draw-student.ts';
import { buildFairnessReport, formatFairnessReport } from '../random/fairness-report.ts';
import { drawToJson, formatDraw } from '../solution/format-draw.ts';
import { manifestKeys } from '../output/manifest.ts';
import { paramsFingerprint } from '../pipeline/student-record.ts';
import { terminalSafe, terminalSafeJson } from '../io/terminal-text.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';

interface ShowArgs extends ExamArgs { student?: string; report: boolean }

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show',
  describe: 'Show one student\'s numbers, answers and written questions (and/or a fairness report for a roster)',
  builder: (y) => examOptions(y)
    .option('student', { type: 'string', describe: 'student ID' })
    .option('report', { type: 'boolean', default: false, describe: 'draw every student on --roster and print a fairness summary' }) as never,
  handler: async (args) => {
    if (!args.student && !args.report) {
      throw new RnnExamError({ where: 'show', what: 'nothing to show', fix: 'pass --student ID, or --report with --roster FILE' });
    }
    if (args.report && !args.roster) {
      throw new RnnExamError({ where: 'show --report', what: 'a fairness report needs a roster', fix: 'add --roster FILE' });
    }
    const inputs = await loadExamInputs({ examPath: args.exam, rosterPath: args.roster, secretFile: args.secretFile });
    const { exam, secret } = inputs;
    const out: Record<string, unknown> = {};
    const text: string[] = [];
    if (args.student) {
      const student = inputs.roster ? selectStudents(inputs.roster, [args.student], inputs.rosterPath!)[0] : { id: args.student, name: '' };
      // Any text makes numbers; only the roster can tell a real student from a typo.
      if (!inputs.roster) process.stderr.write(`rnn-exam: note: ${terminalSafe(JSON.stringify(args.student))} is not checked against a roster (add --roster FILE): a mistyped ID shows numbers of a paper nobody was given.\n`);
      const draw = drawStudent(secret, exam, student, args.attempt, args.exam);
      Object.assign(out, drawToJson(draw, paramsFingerprint(manifestKeys(secret), draw)));
      text.push(formatDraw(draw, exam.rnn.significantFigures));
    }
    if (args.report) {
      const draws = inputs.roster!.map((s) => drawStudent(secret, exam, s, args.attempt, args.exam));
      assertDistinctDraws(draws, args.exam);
      const report = buildFairnessReport(draws, exam.rnn.gradientStep);
      out.report = report;
      text.push(formatFairnessReport(report));
    }
    process.stdout.write(args.json ? `${terminalSafeJson(JSON.stringify(out))}\n` : `${terminalSafe(text.join('\n\n'))}\n`);
  },
};
