import { describe, expect, it } from 'vitest';
import { readCohortCsv } from '../../src/cohort/cohort-answers.ts';
import { markCohort, type StudentOutcome } from '../../src/cohort/mark-cohort.ts';
import { markCohortParallel } from '../../src/cohort/mark-parallel.ts';
import { answerRows, codeOf, CSV_HEADER, exam, SECRET, type Behaviour } from './simulated-cohort.ts';

const roster = Array.from({ length: 23 }, (_, i) => ({ id: `P${String(i).padStart(3, '0')}`, name: `Student ${i}`, line: i + 2 }));
const behaviour = (i: number): Behaviour => (i % 7 === 6 ? { kind: 'absent' } : i % 5 === 4 ? { kind: 'neighbour', of: roster[0].id } : i % 3 ? { kind: 'rounded' } : { kind: 'wrong', part: 'outputs' });

async function all(outcomes: AsyncGenerator<StudentOutcome>): Promise<StudentOutcome[]> {
  const list: StudentOutcome[] = [];
  for await (const o of outcomes) list.push(o);
  return list;
}

describe('marking on worker threads', () => {
  it('gives the same outcomes, in roster order, as one thread', async () => {
    const answers = readCohortCsv(`${CSV_HEADER}\n${roster.flatMap((s, i) => answerRows(s.id, behaviour(i))).join('\n')}\n`, 'answers.csv');
    const written = { byStudent: new Map(roster.flatMap((s, i): Array<[string, Array<number | null>]> => (i % 7 === 6 && i % 2 ? [] : [[s.id, [i % 6, null]]]))), problems: [] };
    const inputs = { exam, secret: SECRET, roster, attempt: 1, answers, written };
    const serial = await all(markCohort(inputs));
    const parallel = await all(markCohortParallel(inputs, 2, 0, 4));
    expect(parallel.map((o) => o.student.id)).toEqual(roster.map((s) => s.id));
    expect(parallel).toEqual(serial);
    expect(serial.filter((o) => o.status === 'flagged').map((o) => o.paperCode)).not.toContain(codeOf(roster[0].id));
    expect(new Set(serial.map((o) => o.status))).toEqual(new Set(['marked', 'flagged', 'absent']));
  }, 120_000);
});
