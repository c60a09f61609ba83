import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The characters KaTeX's own fonts draw. Inside typeset math only the others need a bundled
 * text font: without this, a ∂ or → in a formula would pull whole text subsets into every
 * worked solution that KaTeX_Main then draws anyway. Read from the cmaps of KaTeX's TrueType
 * files, once per process.
 */
let cached: Set<number> | undefined;

export function katexCodePoints(): Set<number> {
  if (cached) return cached;
  const dir = join(dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css')), 'fonts');
  const codePoints = new Set<number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ttf')).sort()) {
    for (const cp of cmapCodePoints(readFileSync(join(dir, file)))) codePoints.add(cp);
  }
  cached = codePoints;
  return codePoints;
}

/** Every code point a TrueType font maps to a glyph other than .notdef (cmap formats 4 and 12). */
export function cmapCodePoints(font: Buffer): number[] {
  const numTables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const entry = 12 + 16 * i;
    if (font.toString('latin1', entry, entry + 4) === 'cmap') cmap = font.readUInt32BE(entry + 8);
  }
  if (cmap < 0) return [];
  const subtables = font.readUInt16BE(cmap + 2);
  const offsets = new Map<string, number>();
  for (let i = 0; i < subtables; i++) {
    const record = cmap + 4 + 8 * i;
    offsets.set(`${font.readUInt16BE(record)}/${font.readUInt16BE(record + 2)}`, cmap + font.readUInt32BE(record + 4));
  }
  const full = offsets.get('3/10') ?? offsets.get('0/4');
  if (full !== undefined && font.readUInt16BE(full) === 12) return format12(font, full);
  const bmp = offsets.get('3/1') ?? offsets.get('0/3') ?? offsets.get('3/0');
  return bmp !== undefined && font.readUInt16BE(bmp) === 4 ? format4(font, bmp) : [];
}

function format4(font: Buffer, at: number): number[] {
  const segments = font.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  const out: number[] = [];
  for (let s = 0; s < segments; s++) {
    const start = font.readUInt16BE(starts + 2 * s);
    const end = font.readUInt16BE(ends + 2 * s);
    const delta = font.readUInt16BE(deltas + 2 * s);
    const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * s);
    for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (cp + delta) & 0xffff;
      else {
        const raw = font.readUInt16BE(rangeOffsets + 2 * s + rangeOffset + 2 * (cp - start));
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) out.push(cp);
    }
  }
  return out;
}

function format12(font: Buffer, at: number): number[] {
  const groups = font.readUInt32BE(at + 12);
  const out: number[] = [];
  for (let g = 0; g < groups; g++) {
    const group = at + 16 + 12 * g;
    const start = font.readUInt32BE(group);
    const end = font.readUInt32BE(group + 4);
    const firstGlyph = font.readUInt32BE(group + 8);
    for (let cp = start; cp <= end; cp++) if (firstGlyph + (cp - start) !== 0) out.push(cp);
  }
  return out;
}
