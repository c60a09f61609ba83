import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { readCohortCsv } from '../../src/cohort/cohort-answers.ts';
import { CohortStatsCollector, pearson, type CohortStats } from '../../src/cohort/cohort-stats.ts';
import { markCohort } from '../../src/cohort/mark-cohort.ts';
import { statsReportHtml } from '../../src/cohort/stats-report.ts';
import { launchBrowser } from '../../src/print/launch-browser.ts';
import type { CommonErrorId } from '../../src/solution/common-errors.ts';
import { PART_IDS } from '../../src/solution/final-answers.ts';
import { answerRows, CSV_HEADER, exam, SECRET, type Behaviour } from './simulated-cohort.ts';
import { commonErrorAnswers } from '../../src/solution/common-errors.ts';
import { drawStudent } from '../../src/random/draw-student.ts';

const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-stats-'));
const roster = Array.from({ length: 40 }, (_, i) => ({ id: `S${String(i).padStart(3, '0')}`, name: `Student <${i}>`, line: i + 2 }));
const ERRORS: CommonErrorId[] = ['wrong-reduction', 'truncated-bptt', 'no-tanh-derivative', 'softmax-without-target'];

function behaviour(i: number, id: string): Behaviour {
  if (i % 10 === 9) return { kind: 'absent' };
  if (i % 5 === 0) return { kind: 'rounded' };
  if (i % 5 === 1) return { kind: 'wrong', part: 'losses' };
  const error = ERRORS[i % ERRORS.length];
  const errs = commonErrorAnswers(drawStudent(SECRET, exam, { id, name: '' }).params, exam.rnn.gradientStep, exam.rnn.significantFigures);
  const part = PART_IDS.find((p) => errs[p].some((e) => e.errorId === error && e.sameAnswerAs.length === 0));
  return part ? { kind: 'error', error, part } : { kind: 'exact' };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
let stats: CohortStats;
let browser: Browser;
beforeAll(async () => {
  const rows = roster.flatMap((s, i) => answerRows(s.id, behaviour(i, s.id)));
  const answers = readCohortCsv(`${CSV_HEADER}\n${rows.join('\n')}\n`, 'answers.csv');
  // no written marks for the absent: they would count as sitting the exam
  const written = { byStudent: new Map(roster.flatMap((s, i) => (i % 10 === 9 ? [] : [[s.id, [i % 6, (i * 5) % 7]] as [string, number[]]]))), problems: [] };
  const collector = new CohortStatsCollector(exam);
  for await (const o of markCohort({ exam, secret: SECRET, roster, attempt: 1, answers, written })) collector.add(o);
  stats = collector.result();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => { await browser?.close(); });

describe('the statistics report', () => {
  it('computes facility and discrimination as defined', () => {
    expect(stats.counts).toEqual({ roster: 40, marked: 36, flagged: 0, absent: 4 });
    const losses = stats.items.find((it) => it.label === '3.3')!;
    // 3.3 is wrong for the i % 5 === 1 students (8 of them, none absent) and for wrong-reduction errors in 3.3
    expect(losses.facility).toBeLessThan(1);
    const q1 = stats.items[0];
    expect(q1.n).toBe(36);
    const q1Marks = roster.flatMap((_, i) => (i % 10 === 9 ? [] : [i % 6]));
    expect(q1.facility).toBeCloseTo(mean(q1Marks) / 5, 12);
    expect(q1.discrimination).toBeCloseTo(pearson(q1Marks, stats.totals.map((t, k) => t - q1Marks[k]))!, 12);
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(stats.errors.size).toBeGreaterThan(0);
  });

  it('renders in Chromium: six plots with visible marks, nothing loaded from the network', async () => {
    const html = statsReportHtml(stats, exam);
    writeFileSync(join(dir, 'statistics.html'), html);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`file://${join(dir, 'statistics.html')}`);
    const plots = await page.$$eval('svg.plot', (svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('rect.bar, circle')].filter((m) => { const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
      return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height, marks: marks.length };
    }));
    expect(plots.map((p) => p.label)).toEqual(['Distribution of totals', 'Facility per part and question', 'Discrimination per part and question',
      'Frequency of each common error', 'Question marks against |L| of the variant', 'Question marks against gradient magnitude of the variant']);
    for (const p of plots) {
      expect(p.width).toBeGreaterThan(400);
      expect(p.height).toBeGreaterThan(200);
      expect(p.marks, p.label ?? '').toBeGreaterThan(0);
    }
    expect(plots[4].marks).toBe(36);
    // Each plot's pixels change when its bars and points are hidden: they were painted.
    const full = await page.screenshot({ fullPage: true, path: join(dir, 'statistics.png') });
    expect(full.length).toBeGreaterThan(20_000);
    for (const h of await page.$$('svg.plot')) {
      const drawn = Buffer.from(await h.screenshot({ type: 'png' }));
      await h.evaluate((svg) => svg.querySelectorAll('rect.bar, circle').forEach((m) => m.setAttribute('visibility', 'hidden')));
      const hidden = Buffer.from(await h.screenshot({ type: 'png' }));
      expect(drawn.equals(hidden)).toBe(false);
    }
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  }, 60_000);
});
