/**
 * `node --import tsx bench/full-set.ts [--students 1000] [--concurrency C] [--keep]`: one `generate`
 * of a whole cohort's full sets (question paper, answer booklet, worked solution and marking key
 * per student, plus the cohort key), as a lecturer runs it: wall time, PDFs and pages per second,
 * CPU per PDF, peak memory, and the load average the machine had meanwhile (other work on it
 * slows everything; the CPU figures hold whatever the load). See README "Performance".
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../src/pipeline/generate.ts';
import { nodePeakRssMb, TreeSampler } from './measure.ts';
import { BENCH_SECRET, EXAM_PATH, makeWorkload } from './workload.ts';

const { values } = parseArgs({ options: { students: { type: 'string', default: '1000' }, concurrency: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const students = Number(values.students);
if (!Number.isInteger(students) || students < 1) throw new Error(`--students must be a positive whole number, not ${values.students}`);
const concurrency = values.concurrency === undefined ? availableParallelism() : Number(values.concurrency);

const w = await makeWorkload(students);
const outDir = join(w.dir, 'out');
const loadBefore = loadavg()[0];
const sampler = new TreeSampler(500);
const started = performance.now();
let lastReport = started;
try {
  const summary = await generate({
    examPath: EXAM_PATH, rosterPath: w.rosterPath, outDir, concurrency, env: { RNN_EXAM_SECRET: BENCH_SECRET },
    onProgress: ({ done, total }) => {
      const now = performance.now();
      if (now - lastReport > 30_000 || done === total) {
        lastReport = now;
        process.stderr.write(`${done}/${total} students, ${((now - started) / 1000).toFixed(0)} s\n`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  sampler.sample();
  const cpu = sampler.stop();
  if (summary.failed.length > 0) throw new Error(`${summary.failed.length} students failed: ${summary.failed[0].error}`);
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { students: Array<{ files: Array<{ path: string; bytes?: number }> }>; cohortFiles: Array<{ path: string }> };
  const pdfPaths = [...manifest.students.flatMap((s) => s.files), ...manifest.cohortFiles].map((f) => f.path).filter((p) => p.endsWith('.pdf'));
  let bytes = 0;
  let pages = 0;
  for (const path of pdfPaths) {
    const pdf = readFileSync(join(outDir, path));
    bytes += statSync(join(outDir, path)).size;
    pages += pageCount(pdf);
  }
  const lines = [
    `rnn-exam full sets: ${students} students, concurrency ${concurrency}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${summary.browser ?? '?'}`,
    `${pdfPaths.length} PDFs (${pages} pages, ${(bytes / 1024 / 1024).toFixed(0)} MB) in ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min): ${(pdfPaths.length / seconds).toFixed(2)} PDFs/s, ${(pages / seconds).toFixed(1)} pages/s, ${(students / seconds * 60).toFixed(0)} students/min`,
    `CPU per PDF (browser + Node): ${((cpu.browserCpuMs + cpu.nodeCpuMs) / pdfPaths.length).toFixed(0)} ms; peak RSS: Node ${nodePeakRssMb().toFixed(0)} MB, browser ${cpu.rssMb.toFixed(0)} MB`,
    `load average (1 min) before ${loadBefore.toFixed(2)}, after ${loadavg()[0].toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ students, concurrency, pdfs: pdfPaths.length, pages, megabytes: Math.round(bytes / 1024 / 1024), seconds: Math.round(seconds), pdfsPerSecond: Number((pdfPaths.length / seconds).toFixed(2)), cpuMsPerPdf: Math.round((cpu.browserCpuMs + cpu.nodeCpuMs) / pdfPaths.length), peakRssMb: { node: Math.round(nodePeakRssMb()), browser: Math.round(cpu.rssMb) } })}\n`);
} finally {
  if (!values.keep) rmSync(w.dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${w.dir}\n`);
}

/** Pages of one of our PDFs: its last /Count (page codes are an incremental update that rewrites the page tree's pages, not its count). */
function pageCount(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1] ?? m[2]));
  return counts.length > 0 ? Math.max(...counts) : 0;
}
