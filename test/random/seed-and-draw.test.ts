import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { solveRnn } from '../../src/engine/index.ts';
import { drawValue, gridSize } from '../../src/random/draw-values.ts';
import { assertDistinctDraws, drawStudent, drawWrittenQuestions } from '../../src/random/draw-student.ts';
import { deriveSeed, paperCode, randomStream, SEED_SCHEME } from '../../src/random/seed.ts';
import { checkDrawQuality } from '../../src/random/quality-checks.ts';

const exam = examConfigSchema.parse({
  examId: 'GOLDEN-1',
  written: [{ questions: [{ id: 'a', text: 'A?' }, { id: 'b', text: 'B?' }, { id: 'c', text: 'C?' }] }],
});
const SECRET = 'golden-secret-0000000001';

describe('seeds', () => {
  it('is HMAC-SHA256 over the versioned scheme, exam, student and attempt', () => {
    expect(SEED_SCHEME).toBe('rnn-exam/seed-v1');
    expect(deriveSeed(SECRET, { examId: 'GOLDEN-1', studentId: '32882424', attempt: 1 }))
      .toBe('330117ee344ca09a7c2abb06abe3a91148085a0039703a902ccc718a66f75e84');
  });

  it('changes with every input, and fields cannot run into each other', () => {
    const base = { examId: 'E', studentId: 'S1', attempt: 1 };
    const seeds = new Set([
      deriveSeed(SECRET, base), deriveSeed(`${SECRET}x`, base), deriveSeed(SECRET, { ...base, examId: 'E2' }),
      deriveSeed(SECRET, { ...base, studentId: 'S2' }), deriveSeed(SECRET, { ...base, attempt: 2 }),
      deriveSeed(SECRET, { examId: 'ES', studentId: '1', attempt: 1 }),
    ]);
    expect(seeds.size).toBe(6);
  });

  it('paper codes are short, stable, and not part of the seed', () => {
    const input = { examId: 'GOLDEN-1', studentId: '32882424', attempt: 1 };
    expect(paperCode(SECRET, input)).toBe('MT1G-5VFE');
    expect(deriveSeed(SECRET, input).toUpperCase()).not.toContain('MT1G');
  });
});

describe('golden draws: issued papers can never silently change', () => {
  const golden = [
    // Redrawn when the range rules came in (src/marking): its earlier draw had an answer whose accepted range held 0.
    { secret: SECRET, id: '32882424', attempt: 1, attempts: 68, written: ['b'], params: { U: [[2, 1, 0], [0, -1, 0], [-1, 0, 2]], W: [[0, 0, -1], [-1, 1, 1], [0, -1, 1]], V: [[-2, 2, 2], [1, 0, 1], [0, 2, 0]], b: [0, 1, 1], c: [-1, -1, 0], x: [[1, 0, -1], [-1, 0, -1], [1, -1, 1]], y: [2, 0, 0], lossReduction: 'mean' } },
    { secret: SECRET, id: 'S-0002', attempt: 1, attempts: 201, written: ['b'], params: { U: [[2, 1, 0], [2, 1, 0], [0, 1, -2]], W: [[0, -1, 0], [1, -1, 1], [0, 0, -1]], V: [[-2, 2, -1], [2, 0, -2], [2, 2, -1]], b: [-1, -1, 0], c: [-1, 0, 1], x: [[0, -1, 0], [1, -1, -1], [-1, 0, 0]], y: [1, 2, 1], lossReduction: 'mean' } },
    { secret: 'another-golden-secret-xyz', id: '32882424', attempt: 2, attempts: 72, written: ['b'], params: { U: [[2, 1, -1], [1, -1, -2], [1, -2, -2]], W: [[1, -1, 0], [-1, 0, -1], [-1, -1, 0]], V: [[-1, -1, 1], [-1, 0, 1], [-1, -1, -1]], b: [0, 0, 0], c: [1, 0, 1], x: [[0, 1, 0], [1, -1, 1], [-1, -1, 0]], y: [0, 1, 0], lossReduction: 'mean' } },
  ];
  for (const g of golden) {
    it(`${g.id} attempt ${g.attempt}`, () => {
      const d = drawStudent(g.secret, exam, { id: g.id, name: 'Any Name' }, g.attempt);
      expect(d.params).toEqual(g.params);
      expect(d.attempts).toBe(g.attempts);
      expect(d.written.map((q) => q.id)).toEqual(g.written);
    });
  }
});

describe('per-student draws', () => {
  it('are deterministic and do not depend on the name', () => {
    const a = drawStudent(SECRET, exam, { id: 'S1', name: 'A' });
    const b = drawStudent(SECRET, exam, { id: 'S1', name: 'B' });
    expect(b.params).toEqual(a.params);
    expect(b.paramsHash).toBe(a.paramsHash);
  });

  it('differ between students, secrets and attempts (300 students, no two alike)', () => {
    const draws = Array.from({ length: 300 }, (_, i) => drawStudent(SECRET, exam, { id: `S${i}`, name: '' }));
    expect(() => assertDistinctDraws(draws)).not.toThrow();
    expect(drawStudent('a-different-secret-0001', exam, { id: 'S1', name: '' }).paramsHash).not.toBe(draws[1].paramsHash);
    expect(drawStudent(SECRET, exam, { id: 'S1', name: '' }, 2).paramsHash).not.toBe(draws[1].paramsHash);
  });

  it('reports students who drew identical numbers, naming both', () => {
    const tiny = examConfigSchema.parse({
      examId: 'TINY',
      rnn: { sizes: { input: 1, hidden: 1, output: 2, T: 2 }, draw: { U: { type: 'integer', min: -1, max: 1 }, V: { type: 'integer', min: -1, max: 1 }, b: { type: 'integer', min: 0, max: 0 }, c: { type: 'integer', min: 0, max: 0 } }, quality: { maxAbsHbar: 10, maxProbability: 0.999, minGradient: 0, roundingMargin: 0 } },
    });
    const draws = Array.from({ length: 200 }, (_, i) => drawStudent(SECRET, tiny, { id: `S${i}`, name: '' }));
    expect(() => assertDistinctDraws(draws, 'tiny.json')).toThrow(/tiny\.json: rnn\.draw: students 'S\d+' and 'S\d+' drew identical numbers/);
  });

  it('editing the written bank does not change the numbers', () => {
    const other = examConfigSchema.parse({ ...exam, written: [{ questions: [{ id: 'z', text: 'Z?' }] }] });
    expect(drawStudent(SECRET, other, { id: 'S7', name: '' }).params).toEqual(drawStudent(SECRET, exam, { id: 'S7', name: '' }).params);
  });

  it('draws written questions from every slot with roughly equal frequency', () => {
    const counts: Record<string, number> = {};
    // The written stream alone, as drawStudent draws it (the numbers' draw is not needed here).
    for (let i = 0; i < 900; i++) {
      const seed = deriveSeed(SECRET, { examId: exam.examId, studentId: `W${i}`, attempt: 1 });
      const id = drawWrittenQuestions(randomStream(seed, 'written'), exam)[0].id;
      counts[id] = (counts[id] ?? 0) + 1;
    }
    for (const id of ['a', 'b', 'c']) expect(counts[id]).toBeGreaterThan(240);
  });
});

describe('value grids', () => {
  it('draws integers and decimals uniformly on their grid, honouring nonZero', () => {
    const rng = randomStream('grid', 'rnn');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(drawValue(rng, { type: 'decimal', min: -0.3, max: 0.3, places: 1, nonZero: true }));
    expect([...seen].sort()).toEqual([-0.1, -0.2, -0.3, 0.1, 0.2, 0.3].sort());
    expect(gridSize({ type: 'integer', min: -2, max: 2, nonZero: false })).toBe(5);
    expect(gridSize({ type: 'integer', min: -2, max: 2, nonZero: true })).toBe(4);
  });

  it('accepted draws always pass every quality rule when re-checked', () => {
    for (let i = 0; i < 200; i++) {
      const d = drawStudent(SECRET, exam, { id: `Q${i}`, name: '' });
      expect(checkDrawQuality(d.params, solveRnn(d.params), exam.rnn)).toEqual([]);
    }
  });
});
