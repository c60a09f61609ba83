/**
 * `node --import tsx bench/sweep.ts [--students N] [--levels 1,2,3,4] [--rounds R]`: the real
 * pipeline at several concurrencies, interleaved round by round so that load from other work
 * on the machine hits every level alike. Prints PDFs/s per level (median of the rounds).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../src/pipeline/generate.ts';
import { BENCH_SECRET, EXAM_PATH, makeWorkload } from './workload.ts';

const { values } = parseArgs({ options: { students: { type: 'string', default: '30' }, levels: { type: 'string', default: '1,2,3,4' }, rounds: { type: 'string', default: '3' } } });
const levels = values.levels.split(',').map(Number);
const w = await makeWorkload(Number(values.students));
const rates = new Map<number, number[]>(levels.map((c) => [c, []]));

for (let round = 0; round < Number(values.rounds); round++) {
  for (const concurrency of levels) {
    const started = performance.now();
    const summary = await generate({ examPath: EXAM_PATH, rosterPath: w.rosterPath, outDir: join(w.dir, `c${concurrency}-r${round}`), concurrency, env: { RNN_EXAM_SECRET: BENCH_SECRET } });
    const pdfs = summary.files - 1; // every file but marking-key.csv is a PDF
    rates.get(concurrency)!.push(pdfs / ((performance.now() - started) / 1000));
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
process.stdout.write(`pipeline PDFs/s by concurrency (${values.students} students, ${availableParallelism()} cores, median of ${values.rounds} interleaved rounds)\n`);
for (const [c, xs] of rates) process.stdout.write(`  concurrency ${c}: ${median(xs).toFixed(2)}  (rounds: ${xs.map((x) => x.toFixed(2)).join(', ')})\n`);
process.stdout.write(`${JSON.stringify(Object.fromEntries([...rates].map(([c, xs]) => [c, Number(median(xs).toFixed(2))])))}\n`);
