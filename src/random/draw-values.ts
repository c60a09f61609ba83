import type { Distribution } from '../config/exam-schema.ts';
import type { Matrix, Vector } from '../engine/index.ts';

/** One value on the distribution's grid, uniformly; decimals are exact to their places. */
export function drawValue(rng: () => number, d: Distribution): number {
  const scale = d.type === 'integer' ? 1 : 10 ** d.places;
  const low = Math.ceil(d.min * scale - 1e-9), high = Math.floor(d.max * scale + 1e-9);
  for (;;) {
    const k = low + Math.floor(rng() * (high - low + 1));
    if (d.nonZero && k === 0) continue;
    // k / scale gives the double nearest the decimal (e.g. 0.3), as a student reads it.
    return k / scale === 0 ? 0 : k / scale;
  }
}

export function drawVector(rng: () => number, d: Distribution, n: number): Vector {
  return Array.from({ length: n }, () => drawValue(rng, d));
}

export function drawMatrix(rng: () => number, d: Distribution, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => drawVector(rng, d, cols));
}

/** How many distinct values a distribution can give (to detect configs that cannot be satisfied). */
export function gridSize(d: Distribution): number {
  const scale = d.type === 'integer' ? 1 : 10 ** d.places;
  const count = Math.floor(d.max * scale + 1e-9) - Math.ceil(d.min * scale - 1e-9) + 1;
  return d.nonZero && d.min <= 0 && d.max >= 0 ? count - 1 : count;
}
