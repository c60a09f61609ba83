import type { Distribution } from '../config/exam-schema.ts';
import type { Matrix, Vector } from '../engine/index.ts';

/** One value on the distribution's grid, uniformly; decimals are exact to their places. */
export function drawValue(rng: () => number, d: Distribution): number {
  const scale = d.type === 'integer' ? 1 : 10 ** d.places;
  const low = Math.ceil(d.min * scale - 1e-9), high = Math.floor(d.max * scale + 1e-9);
  if (high < low) throw new Error(`no value can be drawn from ${JSON.stringify(d)} (the config check should have refused it)`);
  // Only nonZero rejects, and the config schema guarantees a non-zero value on the grid, so a
  // zero comes up with probability at most 1/2 per try; the bound is a guard, never reached.
  for (let tries = 0; tries < 1000; tries++) {
    const k = low + Math.floor(rng() * (high - low + 1));
    if (d.nonZero && k === 0) continue;
    // k / scale gives the double nearest the decimal (e.g. 0.3), as a student reads it.
    return k / scale === 0 ? 0 : k / scale;
  }
  throw new Error(`no value can be drawn from ${JSON.stringify(d)} (the config check should have refused it)`);
}

export function drawVector(rng: () => number, d: Distribution, n: number): Vector {
  return Array.from({ length: n }, () => drawValue(rng, d));
}

export function drawMatrix(rng: () => number, d: Distribution, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => drawVector(rng, d, cols));
}

/** The fields of a Distribution the grid depends on (declared apart: the config schema uses gridSize). */
interface Grid { type: 'integer' | 'decimal'; min: number; max: number; places?: number; nonZero: boolean }

/** How many distinct values a distribution can give (to detect configs that cannot be satisfied). */
export function gridSize(d: Grid): number {
  const scale = d.type === 'integer' ? 1 : 10 ** (d.places ?? 0);
  const low = Math.ceil(d.min * scale - 1e-9), high = Math.floor(d.max * scale + 1e-9);
  if (high < low) return 0;
  const count = high - low + 1;
  return d.nonZero && low <= 0 && high >= 0 ? count - 1 : count;
}
