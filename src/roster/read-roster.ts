import { readTextFile } from '../io/read-json-file.ts';
import { parseRoster, type RosterStudent } from './parse-roster.ts';

/**
 * Reads a class-list CSV file and parses it. A missing or unreadable file is an
 * RnnExamError naming the path (readTextFile does that for every input file alike).
 */
export async function readRoster(path: string): Promise<RosterStudent[]> {
  return parseRoster(await readTextFile(path), path);
}
