/**
 * `npm run bench [-- --students N --concurrency C --rounds R --mark-students 1000[,4000] (0: none)]`: how close the real pipeline
 * comes to Chromium's own printing speed, measured in one run on one machine with one browser
 * setting. Each round runs every measure; odd rounds in reverse order, so load that other work
 * puts on the machine, rising or falling, hits every measure alike. Prints a table, then (last
 * line) one JSON object. See README "Performance".
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../src/pipeline/generate.ts';
import { nodePeakRssMb, printAll, printNaively, rate, TreeSampler, type Timed } from './measure.ts';
import { markFigureLines, markFigures, type MarkFigure } from './mark.ts';
import { markingLine, measureMarkingRanges } from './marking.ts';
import { plainDocument } from './plain.ts';
import { BENCH_SECRET, EXAM_PATH, htmlOnly, makeWorkload, pipelineDocuments, type NamedDocument, type Workload } from './workload.ts';

const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: String(availableParallelism()) },
    rounds: { type: 'string', default: '2' },
    'html-students': { type: 'string', default: '10000' },
    naive: { type: 'string', default: '6' },
    keep: { type: 'boolean', default: false },
    'mark-students': { type: 'string', default: '1000' },
    'key-students': { type: 'string', default: '1000' },
  },
});
const students = positive('students');
const concurrency = positive('concurrency');
const rounds = positive('rounds');

function positive(name: keyof typeof values): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${values[name]}`);
  return n;
}

type Measure = Timed & { cpuMsPerPdf?: number };
type Phase = 'pipeline' | 'floor' | 'plain' | 'naive';
const PHASES: Phase[] = ['pipeline', 'floor', 'plain', 'naive'];

interface Run {
  w: Workload;
  docs?: NamedDocument[];
  /** path → sha256 of the pipeline's PDFs, and of the floor's */
  pipelinePdfs: Map<string, string>;
  floorPdfs: Map<string, string>;
  browser: string;
  nodePeakMb: number;
  browserPeakMb: number;
  results: Record<Phase, Measure[]>;
}

/** The real generate path, end to end, into a fresh folder: PDFs written per second. */
async function pipeline(run: Run, round: number): Promise<Measure> {
  const sampler = new TreeSampler();
  const outDir = join(run.w.dir, `pipeline-${round}`);
  const started = performance.now();
  const summary = await generate({ examPath: EXAM_PATH, rosterPath: run.w.rosterPath, outDir, concurrency, env: { RNN_EXAM_SECRET: BENCH_SECRET } });
  const seconds = (performance.now() - started) / 1000;
  const cpu = sampler.stop();
  if (summary.failed.length > 0) throw new Error(`the pipeline failed for ${summary.failed.length} students: ${summary.failed[0].error}`);
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { students: Array<{ files: Array<{ path: string; sha256: string }> }>; cohortFiles: Array<{ path: string; sha256: string }> };
  run.pipelinePdfs = new Map([...manifest.students.flatMap((s) => s.files), ...manifest.cohortFiles].filter((f) => f.path.endsWith('.pdf')).map((f) => [f.path, f.sha256]));
  run.browser = summary.browser ?? '?';
  run.nodePeakMb ||= nodePeakRssMb(); // the first pipeline, before the bench keeps documents of its own
  run.browserPeakMb = Math.max(run.browserPeakMb, cpu.rssMb);
  rmSync(outDir, { recursive: true, force: true });
  return { ...rate(run.pipelinePdfs.size, seconds), cpuMsPerPdf: (cpu.browserCpuMs + cpu.nodeCpuMs) / run.pipelinePdfs.size };
}

async function phase(run: Run, name: Phase, round: number): Promise<Measure> {
  if (name === 'pipeline') return pipeline(run, round);
  run.docs ??= pipelineDocuments(run.w); // rendered once, not timed: the floor is printing alone
  const docs = run.docs;
  if (name === 'naive') return printNaively(docs.slice(0, Number(values.naive)).map((d) => d.doc));
  if (name === 'plain') return printAll(docs.map((d) => plainDocument(d.doc)), concurrency);
  return printAll(docs.map((d) => d.doc), concurrency, (i, pdf) => run.floorPdfs.set(docs[i].path, createHash('sha256').update(pdf).digest('hex')));
}

async function main(): Promise<void> {
  const w = await makeWorkload(students);
  const run: Run = { w, pipelinePdfs: new Map(), floorPdfs: new Map(), browser: '?', nodePeakMb: 0, browserPeakMb: 0, results: { pipeline: [], floor: [], plain: [], naive: [] } };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 === 0 ? PHASES : [...PHASES].reverse()) {
        run.results[name].push(await phase(run, name, round));
        process.stderr.write(`round ${round + 1}/${rounds}: ${name} ${run.results[name].at(-1)!.perSecond.toFixed(2)} PDFs/s\n`);
      }
    }
    const identical = [...run.floorPdfs].filter(([path, sha]) => run.pipelinePdfs.get(path) === sha).length;
    // rnn-exam mark, in a fresh process per size (see bench/mark.ts); "0" leaves it out
    const mark = values['mark-students'] === '0' ? [] : markFigures(values['mark-students'].split(',').map(Number));
    // the key's accepted ranges built from scratch; printed before the report, whose last line is JSON
    process.stdout.write(`${markingLine(await measureMarkingRanges(positive('key-students')))}\n`);
    report(run, htmlOnly(w, Number(values['html-students'])), identical, mark);
  } finally {
    if (!values.keep) rmSync(w.dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${w.dir}\n`);
  }
}

/** Mean over the rounds: PDFs over seconds summed, CPU per PDF averaged. */
function combined(measures: Measure[]): Measure {
  const pdfs = measures.reduce((n, m) => n + m.pdfs, 0);
  const seconds = measures.reduce((n, m) => n + m.seconds, 0);
  const cpu = measures.every((m) => m.cpuMsPerPdf !== undefined) ? measures.reduce((n, m) => n + m.cpuMsPerPdf! * m.pdfs, 0) / pdfs : undefined;
  return { ...rate(pdfs, seconds), cpuMsPerPdf: cpu };
}

function report(run: Run, html: { documents: number; seconds: number }, identical: number, mark: MarkFigure[]): void {
  const [p, floor, plain, naive] = PHASES.map((name) => combined(run.results[name]));
  const htmlPerSecond = html.documents / html.seconds;
  const round = (x: number, digits = 2) => Number(x.toFixed(digits));
  const row = (name: string, m: { pdfs?: number; documents?: number; seconds: number; cpuMsPerPdf?: number }, perSecond: number, note = '') =>
    `${name.padEnd(36)}${String(m.pdfs ?? m.documents).padStart(7)}${m.seconds.toFixed(1).padStart(9)}${perSecond.toFixed(2).padStart(9)}${(m.cpuMsPerPdf === undefined ? '' : m.cpuMsPerPdf.toFixed(0)).padStart(11)}  ${note}`;
  const goal = (name: string, value: number, min: number, note = '') => `${name.padEnd(36)}${value.toFixed(2).padStart(7)}   goal ≥ ${min}: ${value >= min ? 'met' : 'NOT MET'}${note}`;
  const perRound = (a: Phase, b: Phase) => ` (per round: ${run.results[a].map((m, i) => (m.perSecond / run.results[b][i].perSecond).toFixed(2)).join(', ')})`;
  const lines = [
    `rnn-exam bench: ${students} students, concurrency ${concurrency}, ${rounds} round(s), ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${run.browser}`,
    '',
    `${'measure (all rounds together)'.padEnd(36)}${'PDFs'.padStart(7)}${'seconds'.padStart(9)}${'PDFs/s'.padStart(9)}${'CPU ms/PDF'.padStart(11)}`,
    row('pipeline (generate, end to end)', p, p.perSecond),
    row('print floor (bare pool, same HTML)', floor, floor.perSecond, `${identical}/${run.floorPdfs.size} PDFs byte-identical to the pipeline's`),
    row('plain limit (math as plain text)', plain, plain.perSecond),
    row('naive (new browser per PDF)', naive, naive.perSecond),
    row('HTML only (draw+solve+render)', html, htmlPerSecond, 'documents, no browser'),
    '',
    goal('ratio to floor', p.perSecond / floor.perSecond, 0.9, perRound('pipeline', 'floor')),
    goal('ratio to plain', p.perSecond / plain.perSecond, 0.6, perRound('pipeline', 'plain')),
    goal('ratio to naive', p.perSecond / naive.perSecond, 15, perRound('pipeline', 'naive')),
    goal('HTML/s ÷ pipeline PDFs/s', htmlPerSecond / p.perSecond, 20),
    `CPU time per PDF (browser + Node, whatever the load): plain/pipeline ${(plain.cpuMsPerPdf! / p.cpuMsPerPdf!).toFixed(2)}, floor/pipeline ${(floor.cpuMsPerPdf! / p.cpuMsPerPdf!).toFixed(2)}`,
    `peak RSS during the pipeline: Node ${run.nodePeakMb.toFixed(0)} MB, browser (all its processes, VmRSS summed, sampled) ${run.browserPeakMb.toFixed(0)} MB`,
    ...markFigureLines(mark),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({
    students, concurrency,
    pipelinePdfsPerSecond: round(p.perSecond), floorPdfsPerSecond: round(floor.perSecond), plainPdfsPerSecond: round(plain.perSecond), naivePdfsPerSecond: round(naive.perSecond),
    ratioToFloor: round(p.perSecond / floor.perSecond, 3), ratioToPlain: round(p.perSecond / plain.perSecond, 3), ratioToNaive: round(p.perSecond / naive.perSecond, 1),
    htmlPerSecond: round(htmlPerSecond, 0), peakRssMb: { node: round(run.nodePeakMb, 0), browser: round(run.browserPeakMb, 0) },
    rounds, cpuMsPerPdf: { pipeline: round(p.cpuMsPerPdf!, 0), floor: round(floor.cpuMsPerPdf!, 0), plain: round(plain.cpuMsPerPdf!, 0) },
    mark: mark.map((m) => ({ students: m.students, seconds: round(m.seconds), cpuSeconds: round(m.cpuSeconds), peakRssMb: round(m.peakRssMb, 0) })),
  })}\n`);
}

await main();
