import { describe, expect, it } from 'vitest';
import { readExamConfig } from '../../src/config/read-exam-config.ts';
import { checkRosterDraws, KEPT_DRAWS_LIMIT, RunDraws } from '../../src/pipeline/draw-roster.ts';
import { drawStudent } from '../../src/random/draw-student.ts';

const SECRET = 'run-draws-test-secret-0123456789abcdef';

describe('RunDraws: the roster check\'s draws kept for the run', async () => {
  const exam = await readExamConfig('examples/exam.json');
  const roster = [
    { id: 'S1', name: 'Ada Lovelace', line: 2 },
    { id: 'S2', name: 'Alan Turing', line: 3 },
    { id: 'S3', name: 'Grace Hopper', line: 4 },
  ];

  it('hands out exactly the draw a fresh drawStudent gives, as often as asked, then lets it go', async () => {
    const draws = new RunDraws(SECRET, exam, 'exam.json', (id) => (id === 'S3' ? 0 : 2));
    await checkRosterDraws(SECRET, exam, roster, 1, 'exam.json', undefined, undefined, draws);
    expect(draws.keptCount).toBe(2); // S3 is not used again: not kept
    const first = draws.take(roster[0], 1);
    expect(first).toEqual(drawStudent(SECRET, exam, roster[0], 1, 'exam.json'));
    expect(draws.take(roster[0], 1)).toBe(first); // the second use: the same object
    expect(draws.keptCount).toBe(1); // S1 let go after its two uses
    // Asked again, or never kept: drawn anew, the same numbers.
    expect(draws.take(roster[0], 1)).not.toBe(first);
    expect(draws.take(roster[0], 1)).toEqual(first);
    expect(draws.take(roster[2], 1)).toEqual(drawStudent(SECRET, exam, roster[2], 1, 'exam.json'));
  });

  it('never hands a kept draw to another attempt or another name', async () => {
    const draws = new RunDraws(SECRET, exam, 'exam.json', () => 5);
    await checkRosterDraws(SECRET, exam, roster, 1, 'exam.json', undefined, undefined, draws);
    const kept = draws.take(roster[1], 1);
    const secondAttempt = draws.take(roster[1], 2);
    expect(secondAttempt.attempt).toBe(2);
    expect(secondAttempt.params).not.toEqual(kept.params);
    const renamed = draws.take({ ...roster[1], name: 'Alan M. Turing' }, 1);
    expect(renamed).not.toBe(kept);
    expect(renamed.student.name).toBe('Alan M. Turing');
  });

  it('keeps at most KEPT_DRAWS_LIMIT draws, whatever the roster', () => {
    const draws = new RunDraws(SECRET, exam, 'exam.json', () => 1);
    const one = drawStudent(SECRET, exam, roster[0], 1, 'exam.json');
    for (let i = 0; i < KEPT_DRAWS_LIMIT + 50; i++) draws.keep({ ...one, student: { id: `X${i}`, name: 'N' } });
    expect(draws.keptCount).toBe(KEPT_DRAWS_LIMIT);
  });
});
