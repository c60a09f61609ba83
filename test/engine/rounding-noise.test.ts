import { describe, expect, it } from 'vitest';
import { solveRnn, type RnnParams } from '../../src/engine/index.ts';
import { randomParams, smallIntegerParams } from '../helpers/random-params.ts';

const SIZES = [{ input: 3, hidden: 3, output: 3, T: 3 }, { input: 8, hidden: 8, output: 8, T: 8 }, { input: 2, hidden: 5, output: 4, T: 6 }];
const allEntries = (s: ReturnType<typeof solveRnn>) => [
  ...s.forward.hbar.flat(), ...s.forward.h.flat(), ...s.forward.z.flat(),
  ...Object.values(s.grad).flatMap((v) => (v as number[][] | number[]).flat()),
];

describe('rounding noise is removed by the engine, where it arises', () => {
  it('V^T dL/dz_t is exactly 0 for a constant column of V (the entries of dL/dz_t sum to 0), and so is all that follows from it', () => {
    const p: RnnParams = {
      U: [[0, -2, 1], [1, 1, -1], [0, 2, 2]], W: [[-1, -1, -1], [0, 1, 1], [0, -1, 0]], V: [[-2, 1, -1], [-2, -1, -2], [-2, 0, 2]],
      b: [1, -1, 0], c: [0, 0, 0], x: [[0, 1, 0], [0, 1, -1], [-1, 1, -1]], y: [2, 0, 0], lossReduction: 'mean',
    };
    const raw = solveRnn(p, { removeNoise: false });
    const clean = solveRnn(p);
    // the raw floating-point value is noise, not zero: the test would fail without the removal
    expect(raw.grad.hFromOutput.some((v) => v[0] !== 0)).toBe(true);
    clean.grad.hFromOutput.forEach((v) => expect(v[0]).toBe(0));
    expect(clean.grad.h[2][0]).toBe(0);
    expect(clean.grad.hbar[2][0]).toBe(0);
  });

  it('decimal data that cancel exactly (0.1 + 0.2 - 0.3) give an exact 0', () => {
    const p: RnnParams = {
      U: [[0.1, 0.2], [1, 0]], W: [[0.5, 0], [0, 0.5]], V: [[1, 0.5], [-1, 1]], b: [-0.3, 0.2], c: [0, 0.1],
      x: [[1, 1], [0, 1]], y: [0, 1], lossReduction: 'sum',
    };
    expect(solveRnn(p, { removeNoise: false }).forward.hbar[0][0]).not.toBe(0);
    expect(solveRnn(p).forward.hbar[0][0]).toBe(0);
  });

  it('changes nothing else: every other entry equals the raw computation to 1e-13 relative, and none is zeroed', () => {
    for (const sizes of SIZES) {
      for (let i = 0; i < 20; i++) {
        for (const make of [randomParams, smallIntegerParams]) {
          const p = make(`noise ${i} ${JSON.stringify(sizes)}`, sizes, i % 2 ? 'sum' : 'mean') as RnnParams;
          const raw = allEntries(solveRnn(p, { removeNoise: false }));
          const clean = allEntries(solveRnn(p));
          raw.forEach((r, k) => {
            const c = clean[k];
            if (c === 0 && r !== 0) expect(Math.abs(r)).toBeLessThan(1e-13); // only noise is zeroed
            else expect(Math.abs(c - r)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(r)));
          });
        }
      }
    }
  });
});
