import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FontPackage } from './font-catalog.ts';

/**
 * The subsets of one font package (as @fontsource slices them, each with its unicode-range),
 * found by code point, and their woff2 files as base64, read once per process.
 */
export interface FontSubset {
  font: FontPackage;
  /** e.g. "latin", "greek", "[42]" */
  name: string;
  /** the unicode-range as CSS writes it */
  range: string;
}

interface SubsetIndex {
  subsets: FontSubset[];
  /** intervals sorted by start: start, end, subset index */
  starts: number[];
  ends: number[];
  owners: number[];
  /** the largest end among intervals 0..i, to stop a backward scan early */
  maxEnd: number[];
}

const require = createRequire(import.meta.url);
const indexes = new Map<string, SubsetIndex>();
const base64Files = new Map<string, string>();

const packageDirs = new Map<string, string>();

function packageDir(font: FontPackage): string {
  let dir = packageDirs.get(font.pkg);
  if (dir === undefined) {
    dir = dirname(require.resolve(`${font.pkg}/package.json`));
    packageDirs.set(font.pkg, dir);
  }
  return dir;
}

function indexOf(font: FontPackage): SubsetIndex {
  let index = indexes.get(font.pkg);
  if (index) return index;
  const ranges = JSON.parse(readFileSync(join(packageDir(font), 'unicode.json'), 'utf8')) as Record<string, string>;
  const subsets = Object.entries(ranges).filter(([name]) => font.subsets(name)).map(([name, range]) => ({ font, name, range }));
  const intervals: Array<[number, number, number]> = [];
  subsets.forEach((subset, i) => {
    for (const part of subset.range.split(',')) {
      const [lo, hi = lo] = part.trim().replace(/^U\+/i, '').split('-');
      intervals.push([parseInt(lo, 16), parseInt(hi, 16), i]);
    }
  });
  intervals.sort((a, b) => a[0] - b[0]);
  const maxEnd: number[] = [];
  intervals.forEach(([, end], i) => maxEnd.push(Math.max(end, i > 0 ? maxEnd[i - 1] : -1)));
  index = { subsets, starts: intervals.map((x) => x[0]), ends: intervals.map((x) => x[1]), owners: intervals.map((x) => x[2]), maxEnd };
  indexes.set(font.pkg, index);
  return index;
}

/** The package's subsets whose unicode-range holds `codePoint` (none when the font lacks it). */
export function subsetsFor(font: FontPackage, codePoint: number): FontSubset[] {
  const index = indexOf(font);
  let lo = 0;
  let hi = index.starts.length - 1;
  let last = -1; // the last interval starting at or before codePoint
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.starts[mid] <= codePoint) { last = mid; lo = mid + 1; } else hi = mid - 1;
  }
  const found = new Set<number>();
  for (let i = last; i >= 0 && index.maxEnd[i] >= codePoint; i--) {
    if (index.ends[i] >= codePoint) found.add(index.owners[i]);
  }
  return [...found].sort((a, b) => a - b).map((i) => index.subsets[i]);
}

export function covers(font: FontPackage, codePoint: number): boolean {
  return subsetsFor(font, codePoint).length > 0;
}

/** The woff2 file of one subset in one weight and style, as base64. */
export function subsetFileBase64(subset: FontSubset, weight: number, style: string): string {
  const key = `${subset.font.pkg}|${subset.name}|${weight}|${style}`;
  let data = base64Files.get(key);
  if (data === undefined) {
    const slug = subset.name.replace(/^\[(\d+)\]$/, '$1');
    data = readFileSync(join(packageDir(subset.font), 'files', `${subset.font.id}-${slug}-${weight}-${style}.woff2`)).toString('base64');
    base64Files.set(key, data);
  }
  return data;
}
