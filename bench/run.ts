/**
 * `npm run bench [-- --students N --concurrency C]`: how close the real pipeline comes to
 * Chromium's own printing speed, all measured in one run on one machine with one browser
 * setting. Prints a table, then (last line) one JSON object. See README "Performance".
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../src/pipeline/generate.ts';
import { ChildRssSampler, nodePeakRssMb, printAll, printNaively, rate, type Timed } from './measure.ts';
import { plainDocument } from './plain.ts';
import { BENCH_SECRET, EXAM_PATH, htmlOnly, makeWorkload, pipelineDocuments, type Workload } from './workload.ts';

const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: String(availableParallelism()) },
    'html-students': { type: 'string', default: '10000' },
    naive: { type: 'string', default: '6' },
    keep: { type: 'boolean', default: false },
  },
});
const students = positive('students');
const concurrency = positive('concurrency');

function positive(name: keyof typeof values): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${values[name]}`);
  return n;
}

/** The real generate path, end to end, into a fresh folder: PDFs written per second. */
async function pipeline(w: Workload) {
  const sampler = new ChildRssSampler();
  const outDir = join(w.dir, 'pipeline');
  const started = performance.now();
  const summary = await generate({ examPath: EXAM_PATH, rosterPath: w.rosterPath, outDir, concurrency, env: { RNN_EXAM_SECRET: BENCH_SECRET } });
  const seconds = (performance.now() - started) / 1000;
  const browserPeakMb = sampler.stop();
  if (summary.failed.length > 0) throw new Error(`the pipeline failed for ${summary.failed.length} students: ${summary.failed[0].error}`);
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { students: Array<{ files: Array<{ path: string; sha256: string }> }>; cohortFiles: Array<{ path: string; sha256: string }> };
  const pdfs = new Map([...manifest.students.flatMap((s) => s.files), ...manifest.cohortFiles].filter((f) => f.path.endsWith('.pdf')).map((f) => [f.path, f.sha256]));
  return { timed: rate(pdfs.size, seconds), pdfs, browser: summary.browser ?? '?', nodePeakMb: nodePeakRssMb(), browserPeakMb };
}

async function main(): Promise<void> {
  const w = await makeWorkload(students);
  try {
    const piped = await pipeline(w);
    const docs = pipelineDocuments(w);
    let identical = 0;
    const floor = await printAll(docs.map((d) => d.doc), concurrency, (i, pdf) => {
      if (piped.pdfs.get(docs[i].path) === createHash('sha256').update(pdf).digest('hex')) identical++;
    });
    const plain = await printAll(docs.map((d) => plainDocument(d.doc)), concurrency);
    const naive = await printNaively(docs.slice(0, Number(values.naive)).map((d) => d.doc));
    const html = htmlOnly(w, Number(values['html-students']));
    report({ piped, floor, plain, naive, html, identical, docs: docs.length });
  } finally {
    if (!values.keep) rmSync(w.dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${w.dir}\n`);
  }
}

interface Results {
  piped: Awaited<ReturnType<typeof pipeline>>;
  floor: Timed; plain: Timed; naive: Timed;
  html: { documents: number; seconds: number };
  identical: number;
  docs: number;
}

function report(r: Results): void {
  const p = r.piped.timed.perSecond;
  const htmlPerSecond = r.html.documents / r.html.seconds;
  const round = (x: number, digits = 2) => Number(x.toFixed(digits));
  const row = (name: string, t: { pdfs?: number; documents?: number; seconds: number }, perSecond: number, note = '') =>
    `${name.padEnd(34)}${String(t.pdfs ?? t.documents).padStart(7)}${t.seconds.toFixed(1).padStart(10)}${perSecond.toFixed(2).padStart(10)}  ${note}`;
  const goal = (name: string, value: number, min: number) => `${name.padEnd(34)}${value.toFixed(2).padStart(7)}   goal ≥ ${min}  ${value >= min ? 'met' : 'NOT MET'}`;
  const lines = [
    `rnn-exam bench: ${students} students, concurrency ${concurrency}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${r.piped.browser}`,
    '',
    `${'measure'.padEnd(34)}${'PDFs'.padStart(7)}${'seconds'.padStart(10)}${'PDFs/s'.padStart(10)}`,
    row('pipeline (generate, end to end)', r.piped.timed, p),
    row('print floor (bare pool, same HTML)', r.floor, r.floor.perSecond, `${r.identical}/${r.docs} PDFs byte-identical to the pipeline's`),
    row('plain limit (math as plain text)', r.plain, r.plain.perSecond),
    row('naive (new browser per PDF)', r.naive, r.naive.perSecond),
    row('HTML only (draw+solve+render)', r.html, htmlPerSecond, 'documents, no browser'),
    '',
    goal('ratio to floor', p / r.floor.perSecond, 0.9),
    goal('ratio to plain', p / r.plain.perSecond, 0.6),
    goal('ratio to naive', p / r.naive.perSecond, 15),
    goal('HTML/s ÷ pipeline PDFs/s', htmlPerSecond / p, 20),
    `peak RSS during the pipeline: Node ${r.piped.nodePeakMb.toFixed(0)} MB, browser (all its processes, sampled) ${r.piped.browserPeakMb.toFixed(0)} MB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({
    students, concurrency,
    pipelinePdfsPerSecond: round(p), floorPdfsPerSecond: round(r.floor.perSecond), plainPdfsPerSecond: round(r.plain.perSecond), naivePdfsPerSecond: round(r.naive.perSecond),
    ratioToFloor: round(p / r.floor.perSecond, 3), ratioToPlain: round(p / r.plain.perSecond, 3), ratioToNaive: round(p / r.naive.perSecond, 1),
    htmlPerSecond: round(htmlPerSecond, 0), peakRssMb: { node: round(r.piped.nodePeakMb, 0), browser: round(r.piped.browserPeakMb, 0) },
  })}\n`);
}

await main();
