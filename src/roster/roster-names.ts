import type { Problem } from '../errors.ts';

/*
 * What a name may hold. A name is printed on every page and in the terminal, so characters
 * that change how the text around it is shown are refused, saying where:
 * - control characters (C0, DEL, C1: a terminal obeys some of them), and line or paragraph
 *   separators;
 * - the bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069: one
 *   U+202E reversed the student ID printed after the name in every page header.
 * The invisible direction marks U+200E, U+200F and U+061C are dropped instead: LMS exports
 * of Hebrew and Arabic names carry them, and they cannot reorder anything beyond the name
 * once it is isolated (<bdi>) on the page. Joiners (U+200C, U+200D) are parts of names.
 */
const REFUSED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const DROPPED = /[\u200E\u200F\u061C]/gu;

const CHARACTER_NAMES: Record<number, string> = {
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
  0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR', 0x1b: 'ESCAPE',
};

export function codePoint(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const name = CHARACTER_NAMES[cp] ?? (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ? 'a control character' : undefined);
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${name ? ` (${name})` : ''}`;
}

/** The name as it will be printed, or why it cannot be. Tabs become spaces; direction marks are dropped. */
export function checkName(raw: string): { name: string; problem?: Omit<Problem, 'where'> } {
  const name = raw.replace(/\t/g, ' ').replace(DROPPED, '').replace(/ {2,}/g, ' ').trim();
  const bad = REFUSED.exec(name);
  if (bad) {
    const column = [...name.slice(0, bad.index)].length + 1;
    return {
      name,
      problem: {
        what: `the name contains the invisible character ${codePoint(bad[0])} at character ${column}; it would change how the name and the text after it (the student ID) are shown`,
        fix: 'retype the name in the roster without it (copying from another document can bring such characters along)',
      },
    };
  }
  if (name === '') return { name, problem: { what: 'empty name', fix: 'fill in the student\'s name or delete the row (a paper without a name cannot be handed out safely)' } };
  return { name };
}

/** No column the roster reader understands as a name: say which headers were found and which would do. */
export function namelessRosterProblem(where: string, headers: string[], understood: string[]): Problem {
  return {
    where,
    what: `no name column; the header has ${headers.map((h) => JSON.stringify(h)).join(', ')}`,
    fix: `name the column holding full names one of ${understood.map((h) => JSON.stringify(h)).join(', ')} (or give first and last name columns under those names); case, spaces and punctuation do not matter`,
  };
}
