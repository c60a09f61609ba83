import { ALL_FONT_PACKAGES, SANS_FONT, SERIF_FONT } from './font-catalog.ts';
import { codePointsOf, fallbackOrder } from './font-css.ts';
import { covers } from './font-faces.ts';

/**
 * Which characters of a text no bundled font can print. A paper never shows an empty box:
 * every character must be in the serif body (or a fallback) and in the sans of the running
 * header (or a fallback), since a name is printed in both. Emoji are refused outright: the
 * bundled fonts have no colour emoji, and a ZWJ sequence would fall apart into pieces.
 */
export interface UncoveredCharacter {
  codePoint: number;
  /** e.g. "U+1F600 😀" */
  label: string;
  reason: 'emoji' | 'no-font';
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/u;
/** Line breaks and tabs in config text are laid out as white space, never drawn. */
const LAYOUT = new Set([0x09, 0x0a, 0x0d]);

export function uncoveredCharacters(text: string): UncoveredCharacter[] {
  const found = new Map<number, UncoveredCharacter>();
  const fallbacks = fallbackOrder(codePointsOf(text));
  for (const ch of text) {
    const codePoint = ch.codePointAt(0)!;
    if (codePoint < 0x80 && codePoint >= 0x20 && codePoint !== 0x7f) continue;
    if (found.has(codePoint) || LAYOUT.has(codePoint)) continue;
    const emoji = EMOJI.test(ch) && !(codePoint === 0x200d && !/\p{Extended_Pictographic}/u.test(text));
    const inFallback = () => fallbacks.some((font) => covers(font, codePoint));
    const printable = !emoji && !/\p{Cc}|\p{Cs}|\p{Co}|\p{Cn}/u.test(ch) &&
      (covers(SERIF_FONT, codePoint) || inFallback()) && (covers(SANS_FONT, codePoint) || inFallback());
    if (!printable) found.set(codePoint, { codePoint, label: characterLabel(codePoint), reason: emoji ? 'emoji' : 'no-font' });
  }
  return [...found.values()];
}

/** "U+0915 क"; a character that would not show (a control, a combining mark alone) as its code only. */
export function characterLabel(codePoint: number): string {
  const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const ch = String.fromCodePoint(codePoint);
  return /\p{C}|\p{M}|\p{Z}/u.test(ch) ? code : `${code} ${ch}`;
}

/** The scripts the bundled fonts cover beyond Latin, Greek, Cyrillic and Vietnamese, for messages. */
export function supportedScripts(): string {
  return ALL_FONT_PACKAGES.filter((f) => f !== SERIF_FONT && f !== SANS_FONT).map((f) => f.covers).join(', ');
}
