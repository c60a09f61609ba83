/**
 * No empty boxes on paper: before anything is launched or written, every character of every
 * printed name and of the exam's text must be in a bundled font (see src/render/fonts/).
 */
import type { ExamConfig } from '../config/exam-schema.ts';
import { RnnExamError, type Problem } from '../errors.ts';
import { supportedScripts, uncoveredCharacters, type UncoveredCharacter } from '../render/fonts/coverage.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';

export function checkPrintableText(exam: ExamConfig, examPath: string, students: RosterStudent[], rosterPath: string): void {
  const problems: Problem[] = [];
  for (const student of students) {
    const missing = uncoveredCharacters(`${student.name} ${student.id}`);
    if (missing.length > 0) {
      problems.push({
        where: `${rosterPath} line ${student.line}`,
        what: `student ${student.id} (${JSON.stringify(student.name)}) has ${describe(missing)}`,
        fix: fixFor(missing, 'write the name without them in the roster (e.g. as the student writes it in Latin letters)'),
      });
    }
  }
  for (const [path, text] of stringsOf(exam)) {
    const missing = uncoveredCharacters(text);
    if (missing.length > 0) {
      problems.push({ where: `${examPath}: ${path}`, what: `the text has ${describe(missing)}`, fix: fixFor(missing, 'replace them in the exam config') });
    }
  }
  if (problems.length > 0) throw new RnnExamError(problems);
}

function describe(missing: UncoveredCharacter[]): string {
  const emoji = missing.filter((c) => c.reason === 'emoji');
  const other = missing.filter((c) => c.reason !== 'emoji');
  const parts: string[] = [];
  if (other.length > 0) parts.push(`character${other.length === 1 ? '' : 's'} no bundled font can print (${other.map((c) => c.label).join(', ')})`);
  if (emoji.length > 0) parts.push(`emoji, which papers do not print (${emoji.map((c) => c.label).join(', ')})`);
  return parts.join(' and ');
}

function fixFor(missing: UncoveredCharacter[], how: string): string {
  const scripts = missing.some((c) => c.reason === 'no-font') ? `; the bundled fonts cover Latin, Greek, Cyrillic, Vietnamese, ${supportedScripts()} (to add a script, see the README's Fonts section)` : '';
  return `${how}${scripts}`;
}

/** Every string in the config with its JSON path, e.g. ["questions[2].text", "…"]. */
function stringsOf(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path || '(top level)', value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsOf(item, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsOf(item, path ? `${path}.${key}` : key));
  return [];
}
