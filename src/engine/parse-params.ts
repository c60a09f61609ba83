import { RnnExamError, type Problem } from '../errors.ts';
import type { Matrix, Vector } from './linalg.ts';
import type { LossReduction, RnnParams } from './types.ts';

const KNOWN_KEYS = ['U', 'W', 'V', 'b', 'c', 'x', 'y', 'lossReduction'];

type Shape = { rows: number; cols: number };

/**
 * Checks an untrusted params object (from a file or another tool) and returns typed
 * RnnParams. Every problem is collected, each naming the key and the shapes expected and
 * found, so one run shows everything to fix.
 */
export function parseRnnParams(raw: unknown, source = 'params'): RnnParams {
  const problems: Problem[] = [];
  const at = (key: string) => `${source}: ${key}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RnnExamError({ where: source, what: 'expected a JSON object with keys U, W, V, b, c, x, y', fix: 'wrap the parameters in { ... }' });
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.includes(key)) {
      problems.push({ where: at(key), what: `unknown key '${key}'`, fix: `use only ${KNOWN_KEYS.join(', ')}` });
    }
  }

  const matrix = (key: string): Shape | undefined => checkMatrix(obj[key], at(key), problems);
  const vector = (key: string): number | undefined => checkVector(obj[key], at(key), problems);
  const U = matrix('U'), W = matrix('W'), V = matrix('V');
  const bLength = vector('b'), cLength = vector('c');
  const x = matrix('x');

  const hidden = U?.rows ?? W?.rows ?? bLength;
  const input = U?.cols ?? x?.cols;
  const output = V?.rows ?? cLength;
  const T = x?.rows;
  const expectShape = (key: string, found: Shape | undefined, rows: number | undefined, cols: number | undefined, why: string) => {
    if (!found || rows === undefined || cols === undefined) return;
    if (found.rows !== rows || found.cols !== cols) {
      problems.push({ where: at(key), what: `expected a ${rows}×${cols} matrix (${why}), found ${found.rows}×${found.cols}` });
    }
  };
  expectShape('W', W, hidden, hidden, 'hidden × hidden');
  expectShape('V', V, output, hidden, 'output × hidden');
  expectShape('x', x, T, input, 'T input vectors of the length of U\'s rows');
  if (bLength !== undefined && hidden !== undefined && bLength !== hidden) {
    problems.push({ where: at('b'), what: `expected a vector of length ${hidden} (hidden size, the rows of U), found length ${bLength}` });
  }
  if (cLength !== undefined && output !== undefined && cLength !== output) {
    problems.push({ where: at('c'), what: `expected a vector of length ${output} (output size, the rows of V), found length ${cLength}` });
  }

  const y = checkTargets(obj.y, at('y'), T, output, problems);

  let lossReduction: LossReduction = 'mean';
  if (obj.lossReduction !== undefined) {
    if (obj.lossReduction === 'mean' || obj.lossReduction === 'sum') lossReduction = obj.lossReduction;
    else problems.push({ where: at('lossReduction'), what: `expected "mean" or "sum", found ${JSON.stringify(obj.lossReduction)}` });
  }

  if (problems.length > 0) throw new RnnExamError(problems);
  return {
    U: obj.U as Matrix, W: obj.W as Matrix, V: obj.V as Matrix, b: obj.b as Vector, c: obj.c as Vector,
    x: obj.x as Vector[], y: y!, lossReduction,
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function checkVector(value: unknown, where: string, problems: Problem[]): number | undefined {
  if (value === undefined) {
    problems.push({ where, what: 'missing', fix: 'add it as an array of numbers' });
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ where, what: `expected a non-empty array of numbers, found ${describe(value)}` });
    return undefined;
  }
  const bad = value.findIndex((v) => !isFiniteNumber(v));
  if (bad >= 0) {
    problems.push({ where: `${where}[${bad}]`, what: `expected a number, found ${describe(value[bad])}` });
    return undefined;
  }
  return value.length;
}

function checkMatrix(value: unknown, where: string, problems: Problem[]): Shape | undefined {
  if (value === undefined) {
    problems.push({ where, what: 'missing', fix: 'add it as an array of rows, e.g. [[1, 0], [0, 1]]' });
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every(Array.isArray)) {
    problems.push({ where, what: `expected a non-empty array of rows (arrays of numbers), found ${describe(value)}` });
    return undefined;
  }
  const rows = value as unknown[][];
  const cols = rows[0].length;
  let ok = cols > 0;
  if (!ok) problems.push({ where, what: 'rows must not be empty' });
  rows.forEach((row, i) => {
    if (row.length !== cols) {
      problems.push({ where: `${where}[${i}]`, what: `every row must have ${cols} entries like row 0, found ${row.length}` });
      ok = false;
    }
    const bad = row.findIndex((v) => !isFiniteNumber(v));
    if (bad >= 0) {
      problems.push({ where: `${where}[${i}][${bad}]`, what: `expected a number, found ${describe(row[bad])}` });
      ok = false;
    }
  });
  return ok ? { rows: rows.length, cols } : undefined;
}

/** Targets as 0-based class indices, or as one-hot vectors (turned into indices). */
function checkTargets(value: unknown, where: string, T: number | undefined, output: number | undefined, problems: Problem[]): number[] | undefined {
  if (value === undefined) {
    problems.push({ where, what: 'missing', fix: 'add the T target class indices (0-based), e.g. [2, 1, 2]' });
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ where, what: `expected an array of T class indices, found ${describe(value)}` });
    return undefined;
  }
  if (T !== undefined && value.length !== T) {
    problems.push({ where, what: `expected ${T} targets (one per input vector in x), found ${value.length}` });
  }
  const indices: number[] = [];
  value.forEach((entry, t) => {
    let index: number | undefined;
    if (Array.isArray(entry)) {
      const isOneHot = entry.every((v) => v === 0 || v === 1) && entry.filter((v) => v === 1).length === 1;
      if (!isOneHot) {
        problems.push({ where: `${where}[${t}]`, what: `a vector target must be one-hot (one 1, the rest 0), found ${JSON.stringify(entry)}` });
        return;
      }
      if (output !== undefined && entry.length !== output) {
        problems.push({ where: `${where}[${t}]`, what: `expected a one-hot vector of length ${output} (output size), found length ${entry.length}` });
        return;
      }
      index = entry.indexOf(1);
    } else if (Number.isInteger(entry)) {
      index = entry as number;
    } else {
      problems.push({ where: `${where}[${t}]`, what: `expected a class index (integer) or a one-hot vector, found ${describe(entry)}` });
      return;
    }
    if (output !== undefined && (index < 0 || index >= output)) {
      problems.push({ where: `${where}[${t}]`, what: `class index ${index} is out of range: expected 0..${output - 1} (output size ${output}, 0-based)` });
      return;
    }
    indices.push(index);
  });
  return indices;
}
