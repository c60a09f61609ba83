/**
 * `node --import tsx bench/mark.ts [--students 1000,4000] [--threads N]`: `rnn-exam mark` on a simulated
 * cohort (6 parts each, written marks, all outputs), each size in a fresh Node process so its
 * peak RSS is its own. Prints one line per size, then one JSON line. bench/run.ts runs it too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMarking } from '../src/cohort/run-marking.ts';
import { answerRows, CSV_HEADER, EXAM_PATH, SECRET, type Behaviour } from '../test/cohort/simulated-cohort.ts';

export interface MarkFigure { students: number; seconds: number; cpuSeconds: number; studentsPerSecond: number; peakRssMb: number; marked: number }

function behaviour(i: number): Behaviour {
  if (i % 50 === 49) return { kind: 'absent' };
  if (i % 7 === 3) return { kind: 'wrong', part: 'losses' };
  return i % 2 ? { kind: 'rounded' } : { kind: 'exact' };
}

/** Roster, answers and written marks of `count` students in a fresh folder (not timed). */
function workload(count: number): { dir: string; roster: string; answers: string; written: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-mark-bench-'));
  const ids = Array.from({ length: count }, (_, i) => `M${String(i + 1).padStart(6, '0')}`);
  const files = { roster: join(dir, 'roster.csv'), answers: join(dir, 'answers.csv'), written: join(dir, 'written.csv') };
  writeFileSync(files.roster, `Student ID,Full name\n${ids.map((id, i) => `${id},Student Number${i + 1} Example-Name`).join('\n')}\n`);
  writeFileSync(files.answers, `${CSV_HEADER}\n${ids.flatMap((id, i) => answerRows(id, behaviour(i))).join('\n')}\n`);
  writeFileSync(files.written, `student_id,Q1,Q2\n${ids.map((id, i) => `${id},${i % 6},${i % 7}`).join('\n')}\n`);
  return { dir, ...files };
}

/** In this process: the marking run alone, on a workload the parent made. */
async function child(count: number, dir: string, threads?: number): Promise<void> {
  const w = { dir, roster: join(dir, 'roster.csv'), answers: join(dir, 'answers.csv'), written: join(dir, 'written.csv') };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const summary = await runMarking({ examPath: EXAM_PATH, rosterPath: w.roster, answersPath: w.answers, writtenPath: w.written, outDir: join(w.dir, 'out'), env: { RNN_EXAM_SECRET: SECRET }, attempt: 1, moodleItem: 'Exam', threads });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ students: count, seconds, cpuSeconds: (used.user + used.system) / 1e6, marked: summary.counts.marked, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** The workload made here, the marking in a fresh process per size: its peak RSS is the marking's alone. */
export function markFigures(sizes: number[], threads?: number): MarkFigure[] {
  return sizes.map((n) => {
    const w = workload(n);
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(n), '--dir', w.dir, ...(threads ? ['--threads', String(threads)] : [])], { encoding: 'utf8', timeout: 600_000 });
    rmSync(w.dir, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`mark bench for ${n} students failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Omit<MarkFigure, 'studentsPerSecond'>;
    return { ...r, studentsPerSecond: r.students / r.seconds };
  });
}

export function markFigureLines(figures: MarkFigure[]): string[] {
  return figures.map((f) => `mark (${f.students} students × 6 parts, all outputs): ${f.seconds.toFixed(2)} s wall, ${f.cpuSeconds.toFixed(2)} s CPU (${f.studentsPerSecond.toFixed(0)} students/s), peak RSS ${f.peakRssMb.toFixed(0)} MB   goal < 10 s for 1000: ${f.students !== 1000 ? '-' : f.seconds < 10 ? 'met' : 'NOT MET'}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { students: { type: 'string', default: '1000' }, child: { type: 'string' }, dir: { type: 'string' }, threads: { type: 'string' } } });
  const threads = values.threads ? Number(values.threads) : undefined;
  if (values.child) await child(Number(values.child), values.dir!, threads);
  else {
    const figures = markFigures(values.students.split(',').map(Number), threads);
    process.stdout.write(`${markFigureLines(figures).join('\n')}\n${JSON.stringify({ mark: figures })}\n`);
  }
}
