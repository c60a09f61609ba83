/**
 * The marking figure of `npm run bench`: seconds to build every student's accepted ranges
 * (correct method and each common error) for an N-student key, on one core. The draws are
 * made first and not timed. Alone: `node --import tsx bench/marking.ts [--students N]`.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { readExamConfig } from '../src/config/read-exam-config.ts';
import { buildMarkingRanges } from '../src/marking/index.ts';
import { drawStudent } from '../src/random/draw-student.ts';
import { BENCH_SECRET, EXAM_PATH, syntheticStudents } from './workload.ts';

export interface MarkingFigure { students: number; seconds: number; cpuSeconds: number; drawSecondsPerStudent: number }

export async function measureMarkingRanges(count: number): Promise<MarkingFigure> {
  const exam = await readExamConfig(EXAM_PATH);
  const drawStarted = performance.now();
  const draws = syntheticStudents(count).map((s) => drawStudent(BENCH_SECRET, exam, s, 1, EXAM_PATH));
  const drawSeconds = (performance.now() - drawStarted) / 1000;
  const started = performance.now(), cpu = process.cpuUsage();
  for (const d of draws) buildMarkingRanges(d.params, exam.rnn.gradientStep, exam.rnn.significantFigures);
  const used = process.cpuUsage(cpu);
  return { students: count, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, drawSecondsPerStudent: drawSeconds / count };
}

export function markingLine(m: MarkingFigure): string {
  const per1000 = (m.seconds / m.students) * 1000, cpuPer1000 = (m.cpuSeconds / m.students) * 1000;
  return `${`marking ranges, ${m.students}-student key`.padEnd(36)}${m.seconds.toFixed(2).padStart(7)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU (per 1,000 students: ${per1000.toFixed(1)} s wall, ${cpuPer1000.toFixed(1)} s CPU, goal < 10: ${per1000 < 10 ? 'met' : 'NOT MET'}; a quality-checked draw ${(m.drawSecondsPerStudent * 1000).toFixed(0)} ms wall)`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { students: { type: 'string', default: '1000' } } });
  process.stdout.write(`${markingLine(await measureMarkingRanges(Number(values.students)))}\n`);
}
