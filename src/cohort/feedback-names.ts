/**
 * Names of the feedback files inside the ZIP. Moodle's assignment ("Upload multiple feedback
 * files in a zip") finds the student by the folder name its "Download all submissions" uses,
 * `<Full name>_<participant id>_assignsubmission_file`, where the participant id is Moodle's
 * own number for the student in that assignment. It is listed as "Participant 123456" in the
 * assignment's grading worksheet, which is read here to learn it.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { RnnExamError } from '../errors.ts';

export interface MoodleParticipant { participant: string; fullName: string }

const key = (h: string) => h.trim().toLowerCase();

export function parseMoodleWorksheet(text: string, path: string): Map<string, MoodleParticipant> {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    const line = error instanceof CsvError ? ` line ${(error as CsvError & { lines?: number }).lines ?? '?'}` : '';
    throw new RnnExamError({ where: `${path}${line}`, what: `is not valid CSV (${(error as Error).message})` });
  }
  const header = (rows[0] ?? []).map(key);
  const [identifier, fullName, idNumber] = ['identifier', 'full name', 'id number'].map((h) => header.indexOf(h));
  if (identifier < 0 || fullName < 0 || idNumber < 0) {
    throw new RnnExamError({
      where: `${path} line 1`,
      what: 'is not a Moodle grading worksheet with the columns Identifier, Full name and ID number',
      fix: 'in the assignment: View all submissions → Grading action → Download grading worksheet (ID number must be shown: Site administration → Users → Permissions → User policies → Show user identity)',
    });
  }
  const byId = new Map<string, MoodleParticipant>();
  for (const row of rows.slice(1)) {
    const m = /(\d+)\s*$/.exec(row[identifier] ?? '');
    const id = (row[idNumber] ?? '').trim();
    if (m && id) byId.set(id, { participant: m[1], fullName: row[fullName] ?? '' });
  }
  return byId;
}

/** Moodle replaces "_" in names (it separates the fields) and keeps file names plain. */
const cleanName = (name: string) => name.replace(/_/g, ' ').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '').trim() || 'Student';

export function feedbackEntryName(studentId: string, participants?: Map<string, MoodleParticipant>): string | undefined {
  if (!participants) return `feedback-${studentId}.html`;
  const p = participants.get(studentId);
  return p ? `${cleanName(p.fullName)}_${p.participant}_assignsubmission_file/feedback-${studentId}.html` : undefined;
}
