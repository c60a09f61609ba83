import { describe, expect, it } from 'vitest';
import { feedbackHtml } from '../../src/cohort/feedback-html.ts';
import { marksCsvHeader, marksCsvRow, moodleFeedback } from '../../src/cohort/marks-table.ts';
import type { StudentOutcome } from '../../src/cohort/mark-cohort.ts';
import { exam } from './simulated-cohort.ts';

const entry = (name: string, given: number | null, expected: number, ok: boolean) => ({ name, given, expected, low: expected - 0.001, high: expected + 0.001, ok });

/** An outcome as the fair-marking rule will give it: marks carried forward on a later part. */
const outcome: Extract<StudentOutcome, { status: 'marked' }> = {
  status: 'marked', student: { id: 'S1', name: '<script>alert(1)</script> & Co', line: 2 }, paperCode: 'ABCD-EFGH', attempt: 2, problems: [],
  marks: {
    parts: [
      { part: '3.3', id: 'losses', marks: 0, maxMarks: 2, verdict: 'common-error', errorId: 'wrong-reduction', ecf: false, reason: 'Summed instead of averaged.', awarded: [{ step: 'the losses l_t', marks: 1, of: 1 }, { step: 'L as their mean', marks: 0, of: 1 }], entries: [entry('L', 6.03, 2.01, false)] },
      { part: '3.4', id: 'hiddenGradient', marks: 4, maxMarks: 4, verdict: 'wrong', ecf: true, reason: 'Right from your L = 6.03 <carried>.', awarded: [{ step: 'dL/dz_t', marks: 2, of: 2 }, { step: 'the V^T path', marks: 2, of: 2 }], entries: [entry('dL/dh_1[0]', -2.757, -0.919, false)] },
    ],
    total: 4, maxTotal: 6,
  },
  written: [3, null], total: 7, maxTotal: 17, features: { loss: 2.01, gradient: 1.05 },
};

describe('feedback page', () => {
  const html = feedbackHtml(outcome, exam, 'mean');

  it('escapes every name and reason', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).toContain('&lt;carried&gt;');
  });

  it('shows marks, the error carried forward and the named error explained', () => {
    expect(html).toContain('3.4 The gradient dL/dh_t — 4 / 4');
    expect(html).toContain('<b>Error carried forward:</b> <span class="reason">Right from your L = 6.03 &lt;carried&gt;.</span>');
    expect(html).toContain('Common error: L summed, not averaged.</b> L taken as the sum of the l_t instead of their mean');
    expect(html).toMatch(/Question 1 \(written\)<\/td><td>3<\/td><td>5<\/td>/);
    expect(html).toMatch(/Question 2 \(written\)<\/td><td>not marked yet<\/td>/);
    expect(html).toContain('<th>Total</th><th>7</th><th>17</th>');
    expect(html).toContain('paper ABCD-EFGH · attempt 2');
    // each method mark given or not, as check reports it
    expect(html).toContain('Method marks: the losses l_t: 1/1; L as their mean: 0/1.');
    // answers beside the correct value and range, with true minus signs
    expect(html).toContain('<td>dL/dh_1[0]</td><td>\u22122.757</td><td>\u22120.919</td>');
  });

  it('loads nothing from anywhere', () => {
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|src=|https?:/);
  });

  it('marks.csv and the Moodle feedback say where marks came by error carried forward', () => {
    // this outcome holds only parts 3.3 and 3.4, so their cells come first after the written marks and the total
    const row = marksCsvRow(outcome, exam);
    const first = marksCsvHeader(exam).indexOf('3.1');
    expect(row.slice(first, first + 4)).toEqual(['0', 'common-error (wrong-reduction)', '4', 'wrong (error carried forward)']);
    expect(moodleFeedback(outcome, exam)).toContain('3.4 4/4 (error carried forward)');
  });
});
