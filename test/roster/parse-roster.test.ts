import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RnnExamError } from '../../src/errors.ts';
import { parseRoster, validateStudentId } from '../../src/roster/parse-roster.ts';
import { readRoster } from '../../src/roster/read-roster.ts';

const EXAMPLE = new URL('../../examples/roster.csv', import.meta.url).pathname;
const ID_RULE = "Fix: use only letters A-Z a-z, digits, '.', '_' and '-', at most 64 characters, not starting with '.'";

/** The formatted problem lines of the RnnExamError that parsing `text` throws. */
function problems(text: string, source = 'roster.csv'): string[] {
  try {
    parseRoster(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(RnnExamError);
    return (error as RnnExamError).message.split('\n');
  }
  throw new Error('expected parseRoster to throw');
}

const students = (text: string) => parseRoster(text, 'roster.csv');

describe('validateStudentId', () => {
  it('accepts letters, digits, dot, underscore and hyphen up to 64 characters', () => {
    for (const id of ['32882424', 'S123', 'ab_c-1.2', 'x', 'a..b', 'A'.repeat(64)]) {
      expect(validateStudentId(id), id).toBeUndefined();
    }
  });

  it('rejects anything that could escape or confuse a folder name', () => {
    expect(validateStudentId('')).toBe('it is empty');
    expect(validateStudentId('.')).toMatch(/folder itself or its parent/);
    expect(validateStudentId('..')).toMatch(/folder itself or its parent/);
    expect(validateStudentId('.hidden')).toMatch(/starts with '\.'/);
    expect(validateStudentId('../x')).toBe('it contains "/" (U+002F)');
    expect(validateStudentId('a/b')).toBe('it contains "/" (U+002F)');
    expect(validateStudentId('a\\b')).toBe('it contains "\\\\" (U+005C)');
    expect(validateStudentId('a b')).toBe('it contains " " (U+0020)');
    expect(validateStudentId('a\u0000b')).toBe('it contains "\\u0000" (U+0000)');
    expect(validateStudentId('é1')).toBe('it contains "é" (U+00E9)');
    expect(validateStudentId('a:b*c?d<e')).toBe('it contains ":" (U+003A), "*" (U+002A), "?" (U+003F) and 1 more');
    expect(validateStudentId('A'.repeat(65))).toBe('it is 65 characters long (at most 64)');
    expect(validateStudentId('S1.')).toMatch(/ends with '\.'/);
    expect(validateStudentId('con')).toBe("'con' is a reserved device name on Windows");
    expect(validateStudentId('LPT1.txt')).toBe("'LPT1' is a reserved device name on Windows");
    expect(validateStudentId('console')).toBeUndefined();
  });
});

describe('parseRoster: LMS exports', () => {
  it('reads a Moodle export, joining first name and surname', () => {
    const text = 'First name,Surname,ID number,Email address\nZoë,Müller-Sánchez,32882424,zoe@example.edu\nLiam,O\'Brien,32882425,liam@example.edu\n';
    expect(students(text)).toEqual([
      { id: '32882424', name: 'Zoë Müller-Sánchez', line: 2 },
      { id: '32882425', name: "Liam O'Brien", line: 3 },
    ]);
  });

  it('reads a Canvas export: SIS User ID wins over ID, "Last, First" kept, Points Possible row skipped', () => {
    const text = [
      'Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (4021)',
      '    Points Possible,,,,,10.00',
      '"Lovelace, Ada",101,S001,ada,CS101,9',
      '"Student, Test",102,S002,test,CS101,', // Canvas's test student is kept when it has an ID
    ].join('\n');
    expect(students(text)).toEqual([
      { id: 'S001', name: 'Lovelace, Ada', line: 3 },
      { id: 'S002', name: 'Student, Test', line: 4 },
    ]);
  });

  it('reads a Blackboard export (Username, Last Name, First Name)', () => {
    const text = 'Username,Last Name,First Name,Availability\njdoe7,Doe,Jane,Yes\nmkhan2,Khan,Mehmet Ali,Yes\n';
    expect(students(text)).toEqual([
      { id: 'jdoe7', name: 'Jane Doe', line: 2 },
      { id: 'mkhan2', name: 'Mehmet Ali Khan', line: 3 },
    ]);
  });

  it('matches headers ignoring case, spaces and punctuation, and prefers Student ID over Username and id', () => {
    expect(students('  ID ,USERNAME,Student-Id,FULL_NAME\n1,u1,S9,Grace Hopper\n')).toEqual([{ id: 'S9', name: 'Grace Hopper', line: 2 }]);
    expect(students('id,user name,Given Name\n7,u7,Ann\n')).toEqual([{ id: 'u7', name: 'Ann', line: 2 }]);
  });

  it('prefers a single name column over first/last columns', () => {
    expect(students('First name,Last name,Name,student_id\nA,B,Bee A.,1\n')).toEqual([{ id: '1', name: 'Bee A.', line: 2 }]);
  });

  it('refuses a roster without a name column it understands, listing the headers found and understood', () => {
    expect(() => students('student_id\nS1\nS2\n')).toThrow(/roster\.csv line 1: no name column; the header has "student_id"\. Fix: name the column holding full names one of "name", "Full name"/);
    expect(() => students('Nom;Prénom;ID number\nLee;Ann;A-001\n')).toThrow(/no name column; the header has "Nom", "Prénom", "ID number"/);
  });

  it('refuses an empty name, control characters and bidi controls with line and code point; drops direction marks', () => {
    const text = 'Student ID,Full name\nA1,Ann\nB2,\nC3,"Eve\u202E4321"\nD4,"Bo\u001B[31m"\nE5,"Al\u0085"\nF6,"Cy\u2066x\u2069"\n';
    expect(() => students(text)).toThrow(new RegExp([
      'line 3: empty name',
      'line 4: the name contains the invisible character U\\+202E \\(RIGHT-TO-LEFT OVERRIDE\\) at character 4',
      'line 5: the name contains the invisible character U\\+001B \\(ESCAPE\\)',
      'line 6: the name contains the invisible character U\\+0085 \\(a control character\\)',
      'line 7: the name contains the invisible character U\\+2066 \\(LEFT-TO-RIGHT ISOLATE\\)',
    ].join('[^]*')));
    expect(students('Student ID,Full name\nA1,"\u200Fשרה\tכהן\u200E"\n')).toEqual([{ id: 'A1', name: 'שרה כהן', line: 2 }]);
  });

  it('refuses IDs that are names of the batch\'s own files, in any letter case', () => {
    for (const id of ['manifest.json', 'MANIFEST.JSON', 'marking-key.csv', 'marking-key-001.pdf', 'marking-key.html']) {
      expect(() => students(`Student ID,Full name\n${id},Eve\n`), id).toThrow(/is the name of .* in the output folder\. Fix: use the student's own ID/);
    }
    expect(() => students('Student ID,Full name\n.rnn-exam.lock,Eve\n')).toThrow(/starts with '\.'/);
    expect(students('Student ID,Full name\nmanifest,Eve\n')[0].id).toBe('manifest');
  });

  it('writes Chinese, Japanese and Korean names family name first without a space', () => {
    const text = 'First name,Surname,ID number\n小明,王,1\n太郎,山田,2\n지우,박,3\nΓιώργος,Παπαδόπουλος,4\n';
    expect(students(text).map((s) => s.name)).toEqual(['王小明', '山田太郎', '박지우', 'Γιώργος Παπαδόπουλος']);
  });
});

describe('parseRoster: CSV details and line numbers', () => {
  it('handles a UTF-8 BOM and CRLF line endings, with physical line numbers', () => {
    const text = '\uFEFFStudent ID,Name\r\nS1,Ann\r\n\r\nS2,Bob\r\n';
    expect(students(text)).toEqual([{ id: 'S1', name: 'Ann', line: 2 }, { id: 'S2', name: 'Bob', line: 4 }]);
  });

  it('skips blank lines, whitespace-only lines and empty ",," rows, counting them in line numbers', () => {
    const text = '\n\nstudent_id,name\n\nS1,Ann\n   \n,\n\nS2,Bob\n\n\n';
    expect(students(text)).toEqual([{ id: 'S1', name: 'Ann', line: 5 }, { id: 'S2', name: 'Bob', line: 9 }]);
  });

  it('handles quoted commas, doubled quotes and line breaks inside a quoted name', () => {
    const text = 'student_id,name\nS1,"Smith, Jr."\nS2,"Al ""Bud"" Lee"\nS3,"Mary\nAnn\r\n  Jones"\nS4,Dee\n';
    expect(students(text)).toEqual([
      { id: 'S1', name: 'Smith, Jr.', line: 2 },
      { id: 'S2', name: 'Al "Bud" Lee', line: 3 },
      { id: 'S3', name: 'Mary Ann Jones', line: 4 }, // a printed name never wants a line break
      { id: 'S4', name: 'Dee', line: 7 },
    ]);
  });

  it('counts lines correctly for a multi-line quoted field in a BOM + CRLF file', () => {
    const text = '\uFEFFstudent_id,name\r\n\r\nS1,"Line\r\nBreak"\r\nS2,Next\r\n';
    expect(students(text)).toEqual([{ id: 'S1', name: 'Line Break', line: 3 }, { id: 'S2', name: 'Next', line: 5 }]);
  });

  it('handles old Mac CR-only line endings', () => {
    expect(students('student_id,name\rS1,Ann\r\rS2,"B\rob"\rS3,Cy')).toEqual([
      { id: 'S1', name: 'Ann', line: 2 },
      { id: 'S2', name: 'B ob', line: 4 },
      { id: 'S3', name: 'Cy', line: 6 },
    ]);
  });

  it('trims whitespace around values, inside and outside quotes', () => {
    expect(students('student_id , name \n  S1  ,  " Ann Lee "  \t\n')).toEqual([{ id: 'S1', name: 'Ann Lee', line: 2 }]);
  });

  it('keeps any Unicode and punctuation in names as-is (escaping is the renderer\'s job)', () => {
    const name = '<b>Bob</b> & "Al" Ñoño 🙂 Adébáyọ̀';
    expect(students(`student_id,name\nS1,"${name.replace(/"/g, '""')}"\n`)[0].name).toBe(name);
  });

  it('detects semicolon and tab delimiters from the header line', () => {
    expect(students('Nachname;Vorname;Student ID;Name\nMüller;Jörg;S1;"Müller, Jörg"\n')).toEqual([{ id: 'S1', name: 'Müller, Jörg', line: 2 }]);
    expect(students('First name\tSurname\tID number\nAda\tLovelace\t1815\n\tCurie\t1867\n')).toEqual([
      { id: '1815', name: 'Ada Lovelace', line: 2 },
      { id: '1867', name: 'Curie', line: 3 },
    ]);
    // a comma inside a semicolon file is just text
    expect(students('student_id;name\nS1;Smith, Jr.\n')[0].name).toBe('Smith, Jr.');
  });
});

describe('parseRoster: errors', () => {
  it('reports an unclosed quote at the line where the quote opens', () => {
    expect(problems('student_id,name\nS1,Ann\n\nS2,"Bob\nS3,Cy\n')).toEqual([
      'roster.csv line 4: a quoted field starts in this record but its closing quote is missing (the file ends inside the quotes). Fix: close the quote or remove the stray ".',
    ]);
  });

  it('reports an unclosed quote at the right line in a BOM + CRLF file with multi-line fields', () => {
    const lines = problems('\uFEFFstudent_id,name\r\n\r\nS1,"Two\r\nlines"\r\n\r\nS2,"Open\r\nS3,Cy\r\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^roster\.csv line 6: a quoted field starts/);
  });

  it('reports a stray quote inside an unquoted value, and text after a closing quote', () => {
    expect(problems('student_id,name\nS1,Ann\nS2,Bo"b\n')).toEqual([
      expect.stringMatching(/^roster\.csv line 3: a quote \(".*Fix: .*remove the stray "\.$/),
    ]);
    expect(problems('student_id,name\nS1,"Ann" Lee\n')[0]).toMatch(/^roster\.csv line 2: text follows the closing quote.*Fix: .*remove the stray "\.$/);
    expect(problems('student_id,name\r\nS1,"Ann\r\nMarie" Lee\r\n')[0]).toMatch(/^roster\.csv line 3: text follows the closing quote/);
  });

  it('still reports problems found before a CSV syntax error', () => {
    expect(problems('student_id,name\nS1,Ann\nS1,Bob\nS2,"Cy\n')).toEqual([
      expect.stringMatching(/^roster\.csv line 4: a quoted field starts/),
      expect.stringMatching(/^roster\.csv line 3: duplicate student ID 'S1' \(first on line 2\)/),
    ]);
  });

  it('reports a row with the wrong number of fields', () => {
    expect(problems('First name,Surname,ID number\nJohn,Smith, Jr.,S1\nAnn,S2\nAnn,Lee,S3\n')).toEqual([
      'roster.csv line 2: expected 3 fields as in the header (line 1), found 4. Fix: put quotes around a value that contains a comma (e.g. "Smith, Jr.") and check for missing or extra separators.',
      'roster.csv line 3: expected 3 fields as in the header (line 1), found 2. Fix: put quotes around a value that contains a comma (e.g. "Smith, Jr.") and check for missing or extra separators.',
    ]);
  });

  it('reports a missing ID column with the headers found and the accepted names', () => {
    const [message, ...rest] = problems('\uFEFFFirst name,Surname,Email address\nAda,Lovelace,ada@example.edu\n');
    expect(rest).toEqual([]);
    expect(message).toBe('roster.csv line 1: no student ID column; the header has "First name", "Surname", "Email address". ' +
      'Fix: name the column holding the student IDs one of: student_id, Student ID, studentid, ID number, idnumber, ' +
      'SIS User ID, SIS ID, Student Number, Username, user_id, id, Login ID.');
  });

  it('reports duplicate IDs with both line numbers', () => {
    expect(problems('student_id,name\nS123,Ann\nS9,Bob\n\nS123,Cy\n')).toEqual([
      "roster.csv line 5: duplicate student ID 'S123' (first on line 2). Fix: give each student a unique ID or delete the repeated row.",
    ]);
  });

  it('reports IDs that differ only in letter case', () => {
    expect(problems('student_id,name\nab1,Ann\nAB1,Bob\n')).toEqual([
      "roster.csv line 3: student ID 'AB1' differs only in letter case from 'ab1' (line 2). Fix: make the IDs differ by more than upper/lower case: many file systems treat them as the same name.",
    ]);
  });

  it('reports an empty ID (but not the Canvas Points Possible row)', () => {
    expect(problems('Student,SIS User ID\nPoints Possible,\nAnn Lee,\nBob,S2\n')).toEqual([
      'roster.csv line 3: empty student ID (column "SIS User ID"). Fix: fill in the ID or delete the row.',
    ]);
  });

  it('reports unsafe IDs JSON-escaped, with the reason and the rule', () => {
    const long = '9'.repeat(65);
    const lines = problems(`student_id,name\n../x,A\na/b,B\n${long},C\n.hidden,D\n"tab\there",E\n`);
    expect(lines).toEqual([
      `roster.csv line 2: unsafe student ID "../x": it contains "/" (U+002F). ${ID_RULE} (IDs become file and folder names).`,
      `roster.csv line 3: unsafe student ID "a/b": it contains "/" (U+002F). ${ID_RULE} (IDs become file and folder names).`,
      `roster.csv line 4: unsafe student ID "${long}": it is 65 characters long (at most 64). ${ID_RULE} (IDs become file and folder names).`,
      `roster.csv line 5: unsafe student ID ".hidden": it starts with '.', which makes a hidden file or folder. ${ID_RULE} (IDs become file and folder names).`,
      `roster.csv line 6: unsafe student ID "tab\\there": it contains "\\t" (U+0009). ${ID_RULE} (IDs become file and folder names).`,
    ]);
  });

  it('collects every problem into one error, in file order', () => {
    const error = (() => {
      try {
        parseRoster('student_id,name\nS1,Ann\n,Bob\nS1,Cy\na/b,Dee\nS5\n', 'class.csv');
      } catch (e) {
        return e as RnnExamError;
      }
    })();
    expect(error).toBeInstanceOf(RnnExamError);
    expect(error!.problems.map((p) => p.where)).toEqual(['class.csv line 3', 'class.csv line 4', 'class.csv line 5', 'class.csv line 6']);
    expect(error!.problems.every((p) => p.fix)).toBe(true);
  });

  it('reports an empty roster: header only, empty file, blank lines only', () => {
    expect(problems('First name,Surname,ID number\r\n\r\n')).toEqual([
      'roster.csv: no students found: the file has a header line but no student rows. Fix: add one row per student below the header.',
    ]);
    const empty = "roster.csv: the file is empty. Fix: export the class list as CSV with a header line, e.g. 'First name,Surname,ID number'.";
    expect(problems('')).toEqual([empty]);
    expect(problems('\uFEFF\n  \r\n\n')).toEqual([empty]);
    expect(problems('name,student_id\nPoints Possible,\n')[0]).toMatch(/no students found/);
  });

  it('reports a file that is not UTF-8 (e.g. a Windows-1252 export read as UTF-8)', () => {
    expect(problems('student_id,name\nS1,Zo\uFFFD\n')).toEqual([
      "roster.csv line 2: the file is not UTF-8 text (found a byte that is not valid UTF-8). Fix: save it as 'CSV UTF-8' (in Excel: Save As, then 'CSV UTF-8 (Comma delimited)').",
    ]);
  });
});

describe('readRoster', () => {
  it('reads examples/roster.csv: 30 students with unique safe IDs', async () => {
    const roster = await readRoster(EXAMPLE);
    expect(roster).toHaveLength(30);
    expect(new Set(roster.map((s) => s.id)).size).toBe(30);
    for (const s of roster) {
      expect(validateStudentId(s.id), s.id).toBeUndefined();
      expect(s.id).toMatch(/^\d{8}$/);
      expect(s.name).not.toBe('');
    }
    expect(roster[0]).toEqual({ id: '32881907', name: 'Zoë Müller-Sánchez', line: 2 });
    const names = roster.map((s) => s.name);
    expect(names).toContain('王小明');
    expect(names).toContain('Robert Smith, Jr.');
    expect(names).toContain("Liam O'Brien");
    expect(Math.max(...names.map((n) => n.length))).toBeGreaterThanOrEqual(60);
    expect(roster.at(-1)!.line).toBe(31);
  });

  it('names the path and gives a fix when the file is missing', async () => {
    const path = join(tmpdir(), 'rnn-exam-no-such-roster.csv');
    await expect(readRoster(path)).rejects.toThrow(RnnExamError);
    await expect(readRoster(path)).rejects.toThrow(`${path}: file not found. Fix: check the path and that you may read the file.`);
  });
});
