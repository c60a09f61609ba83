import { describe, expect, it } from 'vitest';
import { checkRanges, LARGE_PART } from '../../src/random/quality-checks.ts';
import type { MarkingRanges, PartRanges } from '../../src/marking/marking-ranges.ts';
import { PART_IDS } from '../../src/solution/final-answers.ts';

/** Ranges of n entries, the first `straddling` of them holding 0. */
function part(n: number, straddling: number): PartRanges {
  return { shape: `${n}`, entries: Array.from({ length: n }, (_, i) => (i < straddling ? { lo: -0.001, hi: 0.002 } : { lo: 0.5, hi: 0.6 })) } as unknown as PartRanges;
}
const ranges = (big: PartRanges): Pick<MarkingRanges, 'correct'> =>
  ({ correct: Object.fromEntries(PART_IDS.map((id) => [id, id === 'inputWeightGradient' ? big : part(3, 0)])) }) as unknown as Pick<MarkingRanges, 'correct'>;

describe('indiscriminate-range in large parts', () => {
  it('a part of up to 16 entries may have no entry whose range holds 0, whatever the share', () => {
    expect(checkRanges(ranges(part(LARGE_PART, 1)), 0.25)).toEqual(['indiscriminate-range']);
    expect(checkRanges(ranges(part(9, 0)), 0.25)).toEqual([]);
  });
  it('a larger part may have up to the configured share, and no more', () => {
    expect(checkRanges(ranges(part(64, 16)), 0.25)).toEqual([]);
    expect(checkRanges(ranges(part(64, 17)), 0.25)).toEqual(['indiscriminate-range']);
    expect(checkRanges(ranges(part(64, 1)))).toEqual(['indiscriminate-range']); // share 0: strict
  });
  it('an exact structural zero is never counted', () => {
    const zeros = { shape: '20', entries: Array.from({ length: 20 }, () => ({ lo: 0, hi: 0 })) } as unknown as PartRanges;
    expect(checkRanges(ranges(zeros))).toEqual([]);
  });
});
