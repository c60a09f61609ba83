import type { z } from 'zod';
import { RnnExamError, type Problem } from '../errors.ts';
import { readJsonFile } from '../io/read-json-file.ts';
import { richTextHtml } from '../render/math-html.ts';
import { examConfigSchema, type ExamConfig } from './exam-schema.ts';

/** Validates a parsed exam config; every problem at once, each with its JSON path and a fix. */
export function parseExamConfig(raw: unknown, source: string): ExamConfig {
  const result = examConfigSchema.safeParse(raw);
  if (result.success) {
    const problems = richTextProblems(result.data, source);
    if (problems.length > 0) throw new RnnExamError(problems);
    return result.data;
  }
  throw new RnnExamError(result.error.issues.map((issue) => issueToProblem(issue, source, raw)));
}

export async function readExamConfig(path: string): Promise<ExamConfig> {
  return parseExamConfig(await readJsonFile(path), path);
}

function jsonPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') || '(top level)';
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

function issueToProblem(issue: z.core.$ZodIssue, source: string, raw: unknown): Problem {
  const where = `${source}: ${jsonPath(issue.path)}`;
  const found = JSON.stringify(valueAt(raw, issue.path)) ?? 'nothing';
  switch (issue.code) {
    case 'unrecognized_keys':
      return { where, what: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`, fix: 'remove it or check its spelling (see examples/exam.json)' };
    case 'invalid_type':
      return { where, what: issue.message.replace(/^Invalid input: /, ''), fix: `give a ${issue.expected}` };
    case 'invalid_value':
      return { where, what: `${found} is not allowed here`, fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'invalid_union':
      return { where, what: `${found} is not a distribution type`, fix: 'use {"type": "integer", "min": -2, "max": 2} or {"type": "decimal", "min": -1, "max": 1, "places": 1}' };
    case 'too_small':
    case 'too_big':
      return { where, what: issue.message.replace(/^Too (small|big): /, ''), fix: boundFix(issue) };
    default:
      return { where, what: issue.message, fix: (issue.code === 'custom' && typeof issue.params?.fix === 'string' && issue.params.fix) || 'correct the value (see examples/exam.json and the README\'s exam config section)' };
  }
}

/** "use a number of at least 1 (found -1)": the bound itself, so nobody has to look it up. */
function boundFix(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  const word = small ? (issue.inclusive ? 'at least' : 'more than') : (issue.inclusive ? 'at most' : 'less than');
  const what = issue.origin === 'array' || issue.origin === 'set' ? `${word} ${bound} entries`
    : issue.origin === 'string' ? `${word} ${bound} characters` : `a value of ${word} ${bound}`;
  return `use ${what}`;
}

/**
 * Text printed with inline math ($...$) is typeset now, so that an unbalanced $ or bad TeX is
 * reported with its JSON path when the config is read, not as "text" halfway through a batch.
 */
function richTextProblems(exam: ExamConfig, source: string): Problem[] {
  const texts: Array<[string, string]> = [
    ...exam.instructions.map((t, i): [string, string] => [`instructions[${i}]`, t]),
    ...exam.written.flatMap((slot, s) => slot.questions.flatMap((q, i) => [
      [`written[${s}].questions[${i}].text`, q.text] as [string, string],
      ...q.modelAnswer.map((t, k): [string, string] => [`written[${s}].questions[${i}].modelAnswer[${k}]`, t]),
    ])),
  ];
  const problems: Problem[] = [];
  for (const [path, text] of texts) {
    try {
      richTextHtml(text);
    } catch (error) {
      if (!(error instanceof RnnExamError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, where: `${source}: ${path}` })));
    }
  }
  return problems;
}
