import { CsvError, parse } from 'csv-parse/sync';
import { RnnExamError, type Problem } from '../errors.ts';
import { batchFileClash } from '../output/batch-layout.ts';
import { checkName, namelessRosterProblem } from './roster-names.ts';

/** One student from the class list; `line` is the 1-based physical line where the record starts. */
export interface RosterStudent {
  id: string;
  name: string;
  line: number;
}

/*
 * Header names as exported by Moodle, Canvas, Blackboard and hand-made sheets, in priority
 * order. Matching ignores case, spaces and punctuation ("Student ID" = "student_id").
 * Canvas has both "ID" (its internal number) and "SIS User ID" (the university ID); the
 * SIS one wins because it comes first.
 */
const ID_HEADERS = ['student_id', 'Student ID', 'studentid', 'ID number', 'idnumber', 'SIS User ID', 'SIS ID',
  'Student Number', 'Username', 'user_id', 'id', 'Login ID'];
const NAME_HEADERS = ['name', 'Full name', 'Student name', 'Student'];
const FIRST_NAME_HEADERS = ['First name', 'Given name', 'Given names', 'firstname', 'Forename'];
const LAST_NAME_HEADERS = ['Last name', 'Surname', 'Family name', 'lastname'];

const MAX_ID_LENGTH = 64;
const ID_RULE = `use only letters A-Z a-z, digits, '.', '_' and '-', at most ${MAX_ID_LENGTH} characters, ` +
  `not starting with '.' (IDs become file and folder names)`;
const DELIMITERS = [',', ';', '\t'] as const;
const EAST_ASIAN = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;

interface Row {
  cells: string[];
  line: number;
}

/**
 * Returns why an ID is unsafe as a file or folder name, or undefined when it is fine.
 * Deliberately an allow-list: path separators, "..", control and look-alike Unicode
 * characters, and names Windows or macOS would treat specially are all kept out.
 */
export function validateStudentId(id: string): string | undefined {
  if (id === '') return 'it is empty';
  if (id === '.' || id === '..') return `'${id}' names a folder itself or its parent, not a new name`;
  // Characters first: "../x" is above all a path separator, not a hidden name.
  const bad = [...new Set(id.match(/[^A-Za-z0-9._-]/gu) ?? [])];
  if (bad.length > 0) {
    const shown = bad.slice(0, 3).map(describeChar).join(', ');
    return `it contains ${shown}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}`;
  }
  if (id.startsWith('.')) return "it starts with '.', which makes a hidden file or folder";
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long (at most ${MAX_ID_LENGTH})`;
  // Windows drops a trailing dot ("S1." opens "S1") and reserves device names like "CON.txt".
  if (id.endsWith('.')) return "it ends with '.', which Windows silently drops";
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(id)) return `'${id.split('.')[0]}' is a reserved device name on Windows`;
  return batchFileClash(id);
}

/**
 * Parses a class-list CSV (any common LMS export) into students. Pure: `source` is only
 * used in messages. Every problem found is collected and thrown as one RnnExamError.
 */
export function parseRoster(text: string, source: string): RosterStudent[] {
  const at = (line: number) => `${source} line ${line}`;
  // csv-parse counts a CRLF inside a quoted field as two lines, so normalize line ends first.
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  checkEncoding(body, source);

  const delimiter = detectDelimiter(body);
  const { rows, syntaxProblem } = readRows(body, source, delimiter);
  const problems: Problem[] = syntaxProblem ? [syntaxProblem] : [];
  const header = rows[0];
  if (!header) {
    throw new RnnExamError(syntaxProblem ?? {
      where: source,
      what: 'the file is empty',
      fix: "export the class list as CSV with a header line, e.g. 'First name,Surname,ID number'",
    });
  }

  const headers = header.cells;
  const idCol = findColumn(headers, ID_HEADERS);
  if (idCol < 0) {
    problems.unshift({
      where: at(header.line),
      what: `no student ID column; the header has ${headers.map((h) => JSON.stringify(h)).join(', ')}`,
      fix: `name the column holding the student IDs one of: ${ID_HEADERS.join(', ')}`,
    });
    throw new RnnExamError(problems);
  }
  const nameOf = nameReader(headers);
  if (!nameOf) {
    problems.unshift(namelessRosterProblem(at(header.line), headers, [...NAME_HEADERS, ...FIRST_NAME_HEADERS, ...LAST_NAME_HEADERS]));
    throw new RnnExamError(problems);
  }

  const students: RosterStudent[] = [];
  const byId = new Map<string, RosterStudent>();
  const byFoldedId = new Map<string, RosterStudent>();
  for (const { cells, line } of rows.slice(1)) {
    if (cells.every((cell) => cell === '')) continue; // ",,," rows that spreadsheets leave behind
    if (cells.length !== headers.length) {
      const example = `"Smith${delimiter === '\t' ? ',' : delimiter} Jr."`;
      problems.push({
        where: at(line),
        what: `expected ${headers.length} fields as in the header (line ${header.line}), found ${cells.length}`,
        fix: `put quotes around a value that contains a ${delimiterName(delimiter)} (e.g. ${example}) and check for missing or extra separators`,
      });
      continue;
    }
    const id = cells[idCol];
    const { name, problem: nameProblem } = checkName(nameOf(cells));
    if (id === '') {
      // Canvas gradebook exports put a "Points Possible" row under the header. Other
      // rows without an ID (even Canvas's "Test Student") are real errors.
      if (/^points possible\b/i.test(name)) continue;
      problems.push({
        where: at(line),
        what: `empty student ID (column ${JSON.stringify(headers[idCol])})`,
        fix: 'fill in the ID or delete the row',
      });
      continue;
    }
    if (nameProblem) problems.push({ where: at(line), ...nameProblem });
    const reason = validateStudentId(id);
    if (reason) {
      const fix = batchFileClash(id) ? "use the student's own ID: that name is taken by a file of the batch itself" : ID_RULE;
      problems.push({ where: at(line), what: `unsafe student ID ${JSON.stringify(id)}: ${reason}`, fix });
    }
    const shown = reason ? JSON.stringify(id) : `'${id}'`;
    const first = byId.get(id);
    if (first) {
      problems.push({
        where: at(line),
        what: `duplicate student ID ${shown} (first on line ${first.line})`,
        fix: 'give each student a unique ID or delete the repeated row',
      });
      continue;
    }
    // Windows and macOS file systems ignore case, so 'ab1' and 'AB1' would share a folder.
    const sameFolder = byFoldedId.get(id.toLowerCase());
    if (sameFolder) {
      problems.push({
        where: at(line),
        what: `student ID ${shown} differs only in letter case from '${sameFolder.id}' (line ${sameFolder.line})`,
        fix: 'make the IDs differ by more than upper/lower case: many file systems treat them as the same name',
      });
      continue;
    }
    const student = { id, name, line };
    byId.set(id, student);
    byFoldedId.set(id.toLowerCase(), student);
    students.push(student);
  }

  if (problems.length === 0 && students.length === 0) {
    problems.push({
      where: source,
      what: 'no students found: the file has a header line but no student rows',
      fix: 'add one row per student below the header',
    });
  }
  if (problems.length > 0) throw new RnnExamError(problems);
  return students;
}

/** Runs csv-parse, keeping each record's start line and turning a syntax error into a Problem. */
function readRows(body: string, source: string, delimiter: string): { rows: Row[]; syntaxProblem?: Problem } {
  const rows: Row[] = [];
  // csv-parse reports the line where a record *ends* and a running count of skipped blank
  // lines; the start is one past the previous record's end plus the blank lines in between.
  let prevEnd = 0;
  let prevEmpty = 0;
  const startLine = (emptyLines: number) => prevEnd + 1 + emptyLines - prevEmpty;
  try {
    parse(body, {
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true, // wrong field counts are reported per line below
      trim: true,
      on_record: (record: string[], context) => {
        rows.push({ cells: record.map((cell) => cell.trim()), line: startLine(context.empty_lines) });
        prevEnd = context.lines;
        prevEmpty = context.empty_lines;
        return record;
      },
    });
    return { rows };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { rows, syntaxProblem: csvSyntaxProblem(error, source, startLine(Number(error.empty_lines))) };
  }
}

function csvSyntaxProblem(error: CsvError, source: string, recordStart: number): Problem {
  const line = Number(error.lines) || recordStart;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      // csv-parse points at the end of the file; the useful place is where the quote opened.
      return {
        where: `${source} line ${recordStart}`,
        what: 'a quoted field starts in this record but its closing quote is missing (the file ends inside the quotes)',
        fix: 'close the quote or remove the stray "',
      };
    case 'INVALID_OPENING_QUOTE':
      return {
        where: `${source} line ${line}`,
        what: 'a quote (") appears inside a value that does not start with a quote',
        fix: 'put the whole value in quotes and double the inner quote (e.g. "Al ""Bud"" Lee"), or remove the stray "',
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return {
        where: `${source} line ${line}`,
        what: 'text follows the closing quote of a quoted value',
        fix: 'double any quote inside a quoted value ("") or remove the stray "',
      };
    default:
      return { where: `${source} line ${line}`, what: `malformed CSV: ${error.message}`, fix: 'check the CSV syntax on that line' };
  }
}

/** Picks the delimiter that occurs most (outside quotes) in the header line; ties go to ','. */
function detectDelimiter(body: string): string {
  const headerLine = body.split('\n').find((line) => line.trim() !== '') ?? '';
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Returns a function that builds the display name from a row, per the header's name columns. */
function nameReader(headers: string[]): ((cells: string[]) => string) | undefined {
  // A line break inside a quoted name is never wanted on a printed paper.
  const tidy = (name: string) => name.replace(/\s*[\r\n]+\s*/g, ' ');
  const nameCol = findColumn(headers, NAME_HEADERS);
  if (nameCol >= 0) return (cells) => tidy(cells[nameCol]); // Canvas "Last, First" kept as given
  const first = findColumn(headers, FIRST_NAME_HEADERS);
  const last = findColumn(headers, LAST_NAME_HEADERS);
  if (first < 0 && last < 0) return undefined;
  return (cells) => {
    const given = first >= 0 ? cells[first] : '';
    const family = last >= 0 ? cells[last] : '';
    // Chinese, Japanese and Korean names are written family name first, without a space.
    if (EAST_ASIAN.test(given) && EAST_ASIAN.test(family)) return tidy(family + given);
    return tidy([given, family].filter((part) => part !== '').join(' '));
  };
}

function findColumn(headers: string[], aliases: string[]): number {
  const normalized = headers.map(normalizeHeader);
  for (const alias of aliases) {
    const index = normalized.indexOf(normalizeHeader(alias));
    if (index >= 0) return index;
  }
  return -1;
}

function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Mis-decoded bytes (a Windows-1252 or UTF-16 export) would silently garble names. */
function checkEncoding(body: string, source: string): void {
  const index = body.search(/[\uFFFD\u0000]/);
  if (index < 0) return;
  const line = body.slice(0, index).split('\n').length;
  throw new RnnExamError({
    where: `${source} line ${line}`,
    what: 'the file is not UTF-8 text (found a byte that is not valid UTF-8)',
    fix: "save it as 'CSV UTF-8' (in Excel: Save As, then 'CSV UTF-8 (Comma delimited)')",
  });
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `${JSON.stringify(ch)} (U+${code})`;
}

function delimiterName(delimiter: string): string {
  return delimiter === ',' ? 'comma' : delimiter === ';' ? 'semicolon' : 'tab';
}
