import type { CommandModule } from 'yargs';
import { parseRnnParams } from '../engine/index.ts';
import { RnnExamError } from '../errors.ts';
import { readJsonFile, readTextFile } from '../io/read-json-file.ts';
import { answerParts, markAnswers, verdictCounts, type CheckContext, type PartResult } from '../pipeline/check-answers.ts';
import type { StudentMark } from '../marking/index.ts';
import { loadExamInputs, selectStudents } from '../pipeline/load-inputs.ts';
import { parseAnswersText } from '../pipeline/parse-answers.ts';
import { drawStudent } from '../random/draw-student.ts';
import { rnnQuestionNumber } from '../solution/build-question-paper.ts';
import { formatSignificant } from '../solution/format-number.ts';
import { CommandLineError, wholeNumberOption } from './command-line.ts';
import { terminalSafe, terminalSafeJson } from '../io/terminal-text.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';

interface CheckArgs extends ExamArgs {
  student?: string;
  answers: string;
  params?: string;
  questionNumber?: number;
  gradientStep?: number;
  digits?: number;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Mark a student\'s final answers: per part a verdict (correct, too few figures, a common error, wrong, missing), the marks and why',
  builder: (y) => examOptions(y)
    .option('student', { type: 'string', describe: 'student ID (with --exam and the secret)' })
    .option('answers', { type: 'string', demandOption: true, describe: 'the student\'s answers: JSON {"3.4": [..], "3.3": {"L": 2.01}} or CSV part,quantity,value' })
    .option('params', { type: 'string', describe: 'instead of --student: a params JSON as for `rnn-exam solve` (no secret needed)' })
    .option('question-number', wholeNumberOption('question-number', 1, 99, { describe: 'with --params: the number of the RNN question (default 3, parts 3.1 … 3.6)' }))
    .option('gradient-step', wholeNumberOption('gradient-step', 0, 7, { describe: 'with --params: the t of dL/dh_t, 0-based, less than T (default 1)' }))
    .option('digits', wholeNumberOption('digits', 2, 6, { describe: 'with --params: significant figures of the answers (default 3)' })) as never,
  handler: async (args) => {
    const { ctx, who } = await checkContext(args);
    const parts = answerParts(ctx);
    const given = parseAnswersText(await readTextFile(args.answers, MAX_ANSWERS_BYTES), args.answers, parts);
    const marked = markAnswers(ctx, given);
    process.stdout.write(args.json ? `${terminalSafeJson(JSON.stringify(marked))}\n` : `${terminalSafe(formatReport(marked, who, args.answers, ctx.digits))}\n`);
  },
};

/** One student's final answers take a few kB; a megabyte is certainly the wrong file. */
const MAX_ANSWERS_BYTES = 1_000_000;

/** The numbers to mark against: a student's draw from the seed, or a params file. */
async function checkContext(args: CheckArgs): Promise<{ ctx: CheckContext; who: string }> {
  if (args.params) {
    if (args.student) throw new RnnExamError({ where: 'check', what: '--params and --student both given', fix: 'use --params FILE, or --student ID with --exam and the secret' });
    const params = parseRnnParams(await readJsonFile(args.params), args.params);
    const ctx = { params, gradientStep: args.gradientStep ?? 1, digits: args.digits ?? 3, questionNumber: args.questionNumber ?? 3 };
    checkPlainOptions(ctx, params.x.length);
    return { ctx, who: `the question in ${args.params}` };
  }
  if (!args.student) throw new RnnExamError({ where: 'check', what: 'no question to mark against', fix: 'pass --student ID (with --exam and the secret), or --params FILE' });
  const given = (['questionNumber', 'gradientStep', 'digits'] as const).filter((k) => args[k] !== undefined);
  if (given.length > 0) {
    throw new RnnExamError({ where: 'check --student', what: `--${given.map(kebab).join(', --')} come from the exam config`, fix: 'leave them out, or use --params' });
  }
  // Without the roster a mistyped ID would be marked against a paper nobody was given.
  if (!args.roster) throw new CommandLineError('check --student needs --roster FILE, the class list the papers were made from: an ID not on it (a typo) would be marked against a paper that was never issued');
  const inputs = await loadExamInputs({ examPath: args.exam, rosterPath: args.roster, secretFile: args.secretFile });
  const student = selectStudents(inputs.roster!, [args.student], inputs.rosterPath!)[0];
  const draw = drawStudent(inputs.secret, inputs.exam, student, args.attempt, args.exam);
  const { rnn } = inputs.exam;
  const ctx = { params: draw.params, gradientStep: rnn.gradientStep, digits: rnn.significantFigures, questionNumber: rnnQuestionNumber(inputs.exam), marks: rnn.marks, methodMarks: rnn.methodMarks, marking: rnn.marking, ranges: draw.ranges };
  return { ctx, who: `student ${student.id}${student.name ? ` (${student.name})` : ''}, attempt ${args.attempt}, paper ${draw.paperCode}` };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function checkPlainOptions(ctx: CheckContext, T: number): void {
  const problems = [];
  if (!Number.isInteger(ctx.gradientStep) || ctx.gradientStep < 0 || ctx.gradientStep >= T) {
    problems.push({ where: '--gradient-step', what: `must be a whole number from 0 to ${T - 1} (T = ${T}, steps are 0-based)` });
  }
  if (!Number.isInteger(ctx.digits) || ctx.digits < 2 || ctx.digits > 6) problems.push({ where: '--digits', what: 'must be a whole number from 2 to 6' });
  if (!Number.isInteger(ctx.questionNumber) || ctx.questionNumber < 1) problems.push({ where: '--question-number', what: 'must be a whole number from 1' });
  if (problems.length > 0) throw new RnnExamError(problems);
}

function formatPart(r: PartResult, digits: number): string {
  const show = (x: number) => formatSignificant(x, digits);
  const head = `${r.part}  ${r.marks}/${r.maxMarks}  `;
  const steps = r.awarded.filter((a) => a.of > 0).map((a) => `${a.marks === a.of ? '✓' : '✗'} ${a.step} (${a.marks}/${a.of})`).join('\n      ');
  const body = (() => {
    switch (r.verdict) {
      case 'correct': return 'correct';
      case 'missing': return 'missing (not in the answers file)';
      case 'too-few-figures': return `too few figures: ${r.reason}`;
      case 'common-error': {
        const same = r.sameAnswerAs?.length ? ` (same answer as ${r.sameAnswerAs.join(', ')})` : '';
        return `common error ${r.errorId}${same}${r.transposed ? ', given transposed' : ''}: ${r.errorDescription}`;
      }
      case 'wrong': {
        if (r.ecf) return `wrong, marks by error carried forward: ${r.reason}`;
        const bad = r.entries.filter((e) => !e.ok).map((e) => (e.given === null
          ? `${e.name} not given`
          : `${e.name} = ${e.given}, expected ${show(e.expected)} (accept ${show(e.low)} to ${show(e.high)})`));
        return `wrong: ${bad.join('\n      ')}`;
      }
    }
  })();
  return r.verdict === 'missing' || r.verdict === 'correct' ? `${head}${body}` : `${head}${body}\n      ${steps}`;
}

function formatReport(marked: StudentMark, who: string, answersPath: string, digits: number): string {
  const c = verdictCounts(marked.parts);
  const summary = `${c.correct} correct, ${c['too-few-figures']} to too few figures, ${c['common-error']} common error${c['common-error'] === 1 ? '' : 's'}, ${c.wrong} wrong, ${c.missing} missing`;
  return [`Answers in ${answersPath}, marked against ${who}:`, ...marked.parts.map((r) => formatPart(r, digits)), summary, `Total: ${marked.total} of ${marked.maxTotal} marks`].join('\n');
}
