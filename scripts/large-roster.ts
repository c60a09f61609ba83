/**
 * Shows that generate's memory does not grow with the roster: runs the same exam on synthetic
 * rosters of 500 and 5,000 students, each in its own process, and prints the peak RSS and the
 * live JS heap after the run (after a full GC: what the run holds on to).
 *
 *   npx tsx scripts/large-roster.ts                      # 500 and 5,000 students, HTML marking keys
 *   npx tsx scripts/large-roster.ts --sizes 500,5000 --only all --pdf 40
 *   npx tsx scripts/large-roster.ts --heap-cap 96        # prove it: a 96 MB JS heap is enough for both
 *
 * --only keys (default) makes every student's marking key and the cohort key (CSV + chunked
 * documents), the part that used to hold the whole roster in memory; --only all makes all
 * three documents (about 1.5 MB of HTML per student). --pdf N adds a PDF run of N students.
 * Peak RSS includes garbage V8 has not collected yet, so it varies by some tens of MB from run to
 * run; --heap-cap MB runs the children with --max-old-space-size=MB (they fail if it is too small).
 * Output goes to a temporary folder, removed afterwards unless --keep is given.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type OnlyKind } from '../src/pipeline/generate.ts';

const SCRIPT = fileURLToPath(import.meta.url);
const EXAM = fileURLToPath(new URL('../examples/exam.json', import.meta.url));
const SECRET = 'large-roster-measurement-secret-not-for-exams';

interface Measurement { students: number; format: string; only: string; seconds: number; maxRssMiB: number; liveHeapMiB: number; written: number; failed: number }

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function writeRoster(dir: string, students: number): string {
  const rows = Array.from({ length: students }, (_, i) => `S${String(i + 1).padStart(5, '0')},Student ${i + 1}\n`);
  const path = join(dir, `roster-${students}.csv`);
  writeFileSync(path, `Student ID,Full name\n${rows.join('')}`);
  return path;
}

/** In the child: one generate run, then the peak RSS of this process as JSON on stdout. */
async function child(students: number, format: 'pdf' | 'html', only: string, dir: string): Promise<void> {
  const started = performance.now();
  const summary = await generate({
    examPath: EXAM, rosterPath: writeRoster(dir, students), outDir: join(dir, `out-${students}-${format}`),
    format, only: only === 'all' ? undefined : only as OnlyKind, env: { RNN_EXAM_SECRET: SECRET },
  });
  (globalThis as { gc?: () => void }).gc?.(); // the children run with --expose-gc
  const result: Measurement = {
    students, format, only, seconds: Math.round((performance.now() - started) / 100) / 10,
    // resourceUsage().maxRSS is in KiB
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), liveHeapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    written: summary.written, failed: summary.failed.length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function measure(students: number, format: 'pdf' | 'html', only: string, dir: string, heapCap: string): Measurement {
  const flags = ['--expose-gc', ...(heapCap ? [`--max-old-space-size=${heapCap}`] : [])];
  const run = spawnSync(process.execPath, [...flags, ...process.execArgv, SCRIPT, '--child', String(students), format, only, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`the ${students}-student run failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measurement;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [students, format, only, dir] = process.argv.slice(at + 1);
    return child(Number(students), format as 'pdf' | 'html', only, dir);
  }
  const sizes = argument('sizes', '500,5000').split(',').map(Number);
  const only = argument('only', 'keys');
  const pdf = Number(argument('pdf', '0'));
  const heapCap = argument('heap-cap', '');
  const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-large-roster-'));
  try {
    const runs: Array<[number, 'pdf' | 'html']> = [...sizes.map((n) => [n, 'html'] as [number, 'html']), ...(pdf > 0 ? [[pdf, 'pdf'] as [number, 'pdf']] : [])];
    console.log(`students  format  only   seconds  peak RSS  live heap after${heapCap ? `  (JS heap capped at ${heapCap} MB)` : ''}`);
    for (const [students, format] of runs) {
      const m = measure(students, format, only, dir, heapCap);
      const columns = [String(m.students).padStart(8), m.format.padEnd(6), m.only.padEnd(5), String(m.seconds).padStart(7), `${m.maxRssMiB} MiB`.padStart(8), `${m.liveHeapMiB} MiB`.padStart(15)];
      console.log(`${columns.join('  ')}${m.failed ? `  (${m.failed} failed)` : ''}`);
      rmSync(join(dir, `out-${students}-${format}`), { recursive: true, force: true }); // ~0.5-1.5 MB per student
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
