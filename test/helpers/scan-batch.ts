import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The roster the scan tests print from: Latin with accents, CJK, and plain names. */
export const SCAN_ROSTER = 'Student ID,Full name\nA-001,Ada Lovelace\nB-002,Zoë Müller-Sánchez\nC-003,王小明\nD-004,Alan Turing\n';

/** A fresh folder holding the scan tests' roster and an owner-only secret file, and where their batch goes. */
export function scanBatch(name: string, secret: string): { dir: string; roster: string; secretFile: string; out: string; examPath: string } {
  const dir = mkdtempSync(join(tmpdir(), `rnn-exam-${name}-`));
  const roster = join(dir, 'roster.csv');
  const secretFile = join(dir, 'exam.secret');
  writeFileSync(roster, SCAN_ROSTER);
  writeFileSync(secretFile, secret, { mode: 0o600 });
  return { dir, roster, secretFile, out: join(dir, 'out'), examPath: 'examples/exam.json' };
}
