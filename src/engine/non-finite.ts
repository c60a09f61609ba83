import type { SolutionJson } from './rnn.ts';

/** Paths of every non-finite number in a solution ("hbar[0][1] = Infinity"), at most `limit`. */
export function nonFiniteEntries(solution: SolutionJson, limit = 5): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (found.length >= limit) return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) found.push(`${path} = ${value}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(solution, '');
  return found;
}
