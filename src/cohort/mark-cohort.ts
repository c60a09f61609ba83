/**
 * Marks a cohort one student at a time, in roster order, yielding each outcome as soon as it
 * is known: callers stream it into their outputs and keep nothing per student but numbers.
 */
import type { ExamConfig } from '../config/exam-schema.ts';
import type { Problem } from '../errors.ts';
import { answerParts } from '../pipeline/check-answers.ts';
import type { GivenAnswers } from '../pipeline/parse-answers.ts';
import { drawStudent } from '../random/draw-student.ts';
import { paperCode } from '../random/seed.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';
import { rnnQuestionNumber } from '../solution/build-question-paper.ts';
import { parseStudentFile, parseStudentRows, type CohortAnswers } from './cohort-answers.ts';
import { markOneStudent, type MarkingContext, type StudentMarks } from './mark-one-student.ts';
import type { WrittenMarks } from './written-marks.ts';

/** What makes one variant harder than another, for the fairness plots. */
export interface VariantFeatures {
  /** |L| */
  loss: number;
  /** largest |entry| over the asked gradients dL/dh_t, dL/dV, dL/dU */
  gradient: number;
}

interface OutcomeBase { student: RosterStudent; paperCode: string; attempt: number; problems: Problem[] }

export type StudentOutcome =
  | OutcomeBase & {
    status: 'marked';
    /** each entry holds the value given beside the accepted one: the answers need not travel separately */
    marks: StudentMarks;
    /** one per written question; null where no mark was entered */
    written: Array<number | null>;
    total: number;
    maxTotal: number;
    features: VariantFeatures;
  }
  /** answers there but not markable: another student's paper code, or rows to fix */
  | OutcomeBase & { status: 'flagged'; reason: string }
  | OutcomeBase & { status: 'absent' };

export interface CohortInputs {
  exam: ExamConfig;
  secret: string;
  roster: RosterStudent[];
  attempt: number;
  answers: CohortAnswers;
  written?: WrittenMarks;
}

const maxAbs = (xs: Array<number | number[] | number[][]>): number =>
  Math.max(0, ...xs.flat(2).map((x) => Math.abs(x as number)));

/** Problems about the cohort as a whole: answers or written marks for IDs that are not on the roster. */
export function unknownStudents(inputs: CohortInputs): Problem[] {
  const onRoster = new Set(inputs.roster.map((s) => s.id));
  const problems: Problem[] = [];
  for (const [id, source] of inputs.answers.byStudent) {
    if (!onRoster.has(id)) problems.push({ where: source.where, what: `answers for student ID ${JSON.stringify(id)}, who is not on the roster; not marked`, fix: 'check the ID (IDs are case-sensitive) or add the student to the roster' });
  }
  for (const id of inputs.written?.byStudent.keys() ?? []) {
    if (!onRoster.has(id)) problems.push({ where: 'written marks', what: `marks for student ID ${JSON.stringify(id)}, who is not on the roster; not used`, fix: 'check the ID' });
  }
  return problems;
}

/** Marks `students` (all of the roster by default; a worker thread is given a slice). */
export async function* markCohort(inputs: CohortInputs, students: RosterStudent[] = inputs.roster): AsyncGenerator<StudentOutcome> {
  const { exam, secret, roster, attempt } = inputs;
  const codeOwner = new Map(roster.map((s) => [paperCode(secret, { examId: exam.examId, studentId: s.id, attempt }), s.id]));
  const { rnn } = exam;
  const writtenCount = exam.written.length;
  const writtenMax = exam.written.reduce((s, w) => s + w.marks, 0);
  for (const student of students) {
    const code = paperCode(secret, { examId: exam.examId, studentId: student.id, attempt });
    const base: OutcomeBase = { student, paperCode: code, attempt, problems: [] };
    const source = inputs.answers.byStudent.get(student.id);
    const writtenMarks = inputs.written?.byStudent.get(student.id);
    // Written marks but nothing typed: they sat the exam and left the RNN question blank.
    if (!source && !writtenMarks) { yield { ...base, status: 'absent' }; continue; }

    const draw = drawStudent(secret, exam, student, attempt);
    const ctx: MarkingContext = { params: draw.params, gradientStep: rnn.gradientStep, digits: rnn.significantFigures, questionNumber: rnnQuestionNumber(exam), marks: rnn.marks, methodMarks: rnn.methodMarks, marking: rnn.marking, ranges: draw.ranges };
    const parts = answerParts(ctx);
    const read = !source
      ? { given: new Map() as GivenAnswers, problems: [], paperCode: undefined }
      : source.kind === 'rows'
        ? { ...parseStudentRows(source.path, source.rows, parts), paperCode: source.paperCode }
        : await parseStudentFile(source.path, parts);
    base.problems.push(...read.problems);
    if (!source) base.problems.push({ where: `student ${student.id}`, what: `written marks but no typed answers: every part of Question ${ctx.questionNumber} counts as missing` });

    if (read.paperCode === 'DUPLICATE') { yield { ...base, status: 'flagged', reason: `two answers files (${source!.where})` }; continue; }
    if (read.paperCode !== undefined && read.paperCode !== code) {
      const owner = codeOwner.get(read.paperCode);
      const reason = owner
        ? `answers written against paper ${read.paperCode}, which is student ${owner}'s paper (theirs is ${code})`
        : `paper code ${read.paperCode} is not this student's (${code}) nor any other student's on the roster for attempt ${attempt}`;
      yield { ...base, status: 'flagged', reason };
      continue;
    }
    if (read.problems.length > 0) {
      // the rows themselves are in base.problems, each with its line
      yield { ...base, status: 'flagged', reason: `${read.problems.length} answer row${read.problems.length === 1 ? '' : 's'} to fix` };
      continue;
    }
    const marks = markOneStudent(ctx, read.given);
    const written = writtenMarks ?? new Array<number | null>(writtenCount).fill(null);
    if (writtenCount > 0 && inputs.written && written.every((m) => m === null)) {
      base.problems.push({ where: `student ${student.id}`, what: 'no written marks entered; the total counts Question ' + `${ctx.questionNumber} only` });
    }
    const { forward, grad } = draw.solution;
    yield {
      ...base, status: 'marked', marks, written,
      total: marks.total + written.reduce<number>((s, m) => s + (m ?? 0), 0),
      maxTotal: marks.maxTotal + writtenMax,
      features: { loss: Math.abs(forward.L), gradient: maxAbs([grad.h[rnn.gradientStep], grad.V, grad.U]) },
    };
  }
}
