import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { RnnExamError } from '../errors.ts';
import { MANIFEST_FILE, readManifest, secretFingerprint, type Manifest } from '../output/manifest.ts';
import { loadExamInputs } from '../pipeline/load-inputs.ts';
import { normalisePaperCode, tracePaperCode } from '../pipeline/trace-code.ts';
import { MAX_ATTEMPT, wholeNumberOption } from './command-line.ts';
import { terminalSafe, terminalSafeJson } from '../io/terminal-text.ts';
import { examOptions, type ExamArgs } from './shared-options.ts';

interface TraceArgs extends Omit<ExamArgs, 'attempt'> { code: string; attempt?: number; maxAttempt: number; out?: string }

export function traceCommand(setExit: (code: number) => void): CommandModule<object, TraceArgs> {
  return {
    command: 'trace',
    describe: 'Find the student (and attempt) a loose page belongs to, from the paper code printed on it',
    builder: (y) => examOptions(y)
      .demandOption('roster')
      .option('code', { type: 'string', demandOption: true, describe: 'the paper code printed on the page, e.g. 7K3M-Q9TX' })
      .option('attempt', wholeNumberOption('attempt', 1, MAX_ATTEMPT, { default: undefined, describe: 'try only this attempt (default: every attempt up to --max-attempt)' }))
      .option('max-attempt', wholeNumberOption('max-attempt', 1, MAX_ATTEMPT, { default: 5, describe: 'try attempts 1 … N (and every attempt the batch\'s manifest records)' }))
      .option('out', { type: 'string', describe: 'the batch\'s folder (default output/<examId>, when there): says whether the paper was issued' }) as never,
    handler: async (args) => {
      const code = normalisePaperCode(args.code);
      const { exam, secret, roster } = await loadExamInputs({ examPath: args.exam, rosterPath: args.roster, secretFile: args.secretFile });
      const outDir = args.out ?? join('output', exam.examId);
      const batch = await batchManifest(outDir, exam.examId, secretFingerprint(secret), args.out !== undefined);
      const recorded = (id: string, attempt: number) => batch?.students.some((s) => s.id === id && s.attempt === attempt);
      const attempts = args.attempt !== undefined ? attemptsToTry(args.attempt, args.maxAttempt)
        : [...new Set([...attemptsToTry(undefined, args.maxAttempt), ...(batch?.students.map((s) => s.attempt) ?? [])])].sort((a, b) => a - b);
      const matches = tracePaperCode(secret, exam.examId, roster!, code, attempts);
      const issued = (id: string, attempt: number) => (batch === undefined ? ''
        : recorded(id, attempt) ? `; issued: recorded in ${join(outDir, MANIFEST_FILE)}` : `; NOT recorded as issued in ${join(outDir, MANIFEST_FILE)}`);
      setExit(matches.length > 0 ? 0 : 1);
      const tried = attempts.length === 1 ? `attempt ${attempts[0]}` : `attempts ${attempts[0]}–${attempts[attempts.length - 1]}`;
      if (args.json) {
        const found = matches.map((m) => ({ studentId: m.student.id, name: m.student.name, attempt: m.attempt, ...(batch ? { issued: recorded(m.student.id, m.attempt) } : {}) }));
        process.stdout.write(`${terminalSafeJson(JSON.stringify({ code, examId: exam.examId, attempts, matches: found }))}\n`);
        return;
      }
      const lines = matches.length > 0
        ? matches.map((m) => `${code}: student ${m.student.id} (${m.student.name || 'no name on the roster'}), attempt ${m.attempt}, exam ${exam.examId}${issued(m.student.id, m.attempt)}`)
        : [`${code}: no student on ${args.roster} has this paper code in exam ${exam.examId} (${tried}, ${roster!.length} students).`,
          'The page may be from another exam or secret, a student missing from this roster, or a later attempt (try --max-attempt).'];
      process.stdout.write(`${terminalSafe(lines.join('\n'))}\n`);
    },
  };
}

/** The batch's manifest when it is of this exam and secret; a folder named with --out must hold one. */
async function batchManifest(outDir: string, examId: string, fingerprint: string, named: boolean): Promise<Manifest | undefined> {
  const manifest = await readManifest(outDir);
  if (!manifest) {
    if (named) throw new RnnExamError({ where: join(outDir, MANIFEST_FILE), what: 'not found', fix: 'pass the --out folder `rnn-exam generate` wrote, or leave --out out' });
    return undefined;
  }
  if (manifest.examId !== examId || manifest.secretFingerprint !== fingerprint) {
    if (named) throw new RnnExamError({ where: join(outDir, MANIFEST_FILE), what: 'is of another exam or secret', fix: 'pass the folder of this exam\'s batch' });
    return undefined;
  }
  return manifest;
}

function attemptsToTry(attempt: number | undefined, maxAttempt: number): number[] {
  const bad = (n: number) => !Number.isInteger(n) || n < 1 || n > 1000;
  if (attempt !== undefined) {
    if (bad(attempt)) throw new RnnExamError({ where: '--attempt', what: `must be a whole number from 1, found ${attempt}` });
    return [attempt];
  }
  if (bad(maxAttempt)) throw new RnnExamError({ where: '--max-attempt', what: `must be a whole number from 1 to 1000, found ${maxAttempt}` });
  return Array.from({ length: maxAttempt }, (_, i) => i + 1);
}
