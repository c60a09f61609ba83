/**
 * Every font a document may use, as data: each comes from an npm package (the @fontsource
 * builds of Google's Noto fonts, SIL Open Font License 1.1) and nothing is ever taken from the
 * system. Documents name only the two composite families below; which package's subset a
 * character is drawn from follows from the unicode-range of each face (see font-css.ts).
 *
 * To add a script: `npm install @fontsource/<package>`, add it to SCRIPT_FONTS (with the name
 * users will see in refusals) and, if it needs shaping, that is done by the font itself
 * (HarfBuzz in Chromium reads its GSUB/GPOS tables).
 */

/** The CSS family of body text (serif) and of running headers, footers and labels (sans). */
export const SERIF_FAMILY = 'rnn-exam serif';
export const SANS_FAMILY = 'rnn-exam sans';

export interface FontPackage {
  /** the npm package, e.g. "@fontsource/noto-serif" */
  pkg: string;
  /** file name prefix inside its files/ folder, e.g. "noto-serif" */
  id: string;
  /** the font's own name, for messages and the README */
  name: string;
  /** what it is there for, e.g. "Arabic" */
  covers: string;
  /** weights and styles taken from it */
  faces: Array<{ weight: 400 | 700; style: 'normal' | 'italic' }>;
  /** subsets of the package used (a package for one script also carries Latin: left out) */
  subsets: (subset: string) => boolean;
}

const REGULAR_BOLD: FontPackage['faces'] = [{ weight: 400, style: 'normal' }, { weight: 700, style: 'normal' }];
const WITH_ITALIC: FontPackage['faces'] = [...REGULAR_BOLD, { weight: 400, style: 'italic' }, { weight: 700, style: 'italic' }];
/** Latin, Greek, Cyrillic and Vietnamese: from the serif or sans itself, never from a script fallback. */
const EUROPEAN = new Set(['latin', 'latin-ext', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext', 'vietnamese', 'math', 'symbols']);
const EUROPEAN_SUBSETS = (subset: string) => EUROPEAN.has(subset);
const SCRIPT_SUBSETS = (subset: string) => !EUROPEAN.has(subset);

export const SERIF_FONT: FontPackage = {
  pkg: '@fontsource/noto-serif', id: 'noto-serif', name: 'Noto Serif', covers: 'Latin, Greek, Cyrillic, Vietnamese (body text)',
  faces: WITH_ITALIC, subsets: EUROPEAN_SUBSETS,
};
export const SANS_FONT: FontPackage = {
  pkg: '@fontsource/noto-sans', id: 'noto-sans', name: 'Noto Sans', covers: 'Latin, Greek, Cyrillic, Vietnamese (headers, footers)',
  faces: WITH_ITALIC, subsets: EUROPEAN_SUBSETS,
};

const script = (id: string, name: string, covers: string): FontPackage =>
  ({ pkg: `@fontsource/${id}`, id, name, covers, faces: REGULAR_BOLD, subsets: SCRIPT_SUBSETS });

/** Fallbacks for the scripts of real rosters, shared by both families (there is no serif for most). */
export const SCRIPT_FONTS: FontPackage[] = [
  script('noto-sans-arabic', 'Noto Sans Arabic', 'Arabic, Persian, Urdu'),
  script('noto-sans-hebrew', 'Noto Sans Hebrew', 'Hebrew'),
  script('noto-sans-devanagari', 'Noto Sans Devanagari', 'Devanagari (Hindi, Marathi, Nepali)'),
  script('noto-sans-bengali', 'Noto Sans Bengali', 'Bengali, Assamese'),
  script('noto-sans-gurmukhi', 'Noto Sans Gurmukhi', 'Gurmukhi (Punjabi)'),
  script('noto-sans-gujarati', 'Noto Sans Gujarati', 'Gujarati'),
  script('noto-sans-tamil', 'Noto Sans Tamil', 'Tamil'),
  script('noto-sans-telugu', 'Noto Sans Telugu', 'Telugu'),
  script('noto-sans-kannada', 'Noto Sans Kannada', 'Kannada'),
  script('noto-sans-malayalam', 'Noto Sans Malayalam', 'Malayalam'),
  script('noto-sans-thai', 'Noto Sans Thai', 'Thai'),
];

/**
 * Han, kana and Hangul. The four regional fonts share most characters but draw some differently,
 * so a document's CJK order depends on its text (see cjkOrder): Japanese when it has kana,
 * Korean when it has Hangul, else Simplified then Traditional Chinese.
 */
export const CJK_FONTS = {
  sc: script('noto-sans-sc', 'Noto Sans SC', 'Chinese (simplified)'),
  tc: script('noto-sans-tc', 'Noto Sans TC', 'Chinese (traditional)'),
  jp: script('noto-sans-jp', 'Noto Sans JP', 'Japanese'),
  kr: script('noto-sans-kr', 'Noto Sans KR', 'Korean'),
};
export type CjkRegion = keyof typeof CJK_FONTS;

const isKana = (cp: number) => (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f);
const isHangul = (cp: number) => (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f) || (cp >= 0xac00 && cp <= 0xd7af);

/** The CJK fonts in the order a text (its code points) should try them, first choice first. */
export function cjkOrder(codePoints: number[]): CjkRegion[] {
  if (codePoints.some(isKana)) return ['jp', 'sc', 'tc', 'kr'];
  if (codePoints.some(isHangul)) return ['kr', 'sc', 'tc', 'jp'];
  return ['sc', 'tc', 'jp', 'kr'];
}

/** Every package, for the README and the licence list. */
export const ALL_FONT_PACKAGES: FontPackage[] = [SERIF_FONT, SANS_FONT, ...SCRIPT_FONTS, ...Object.values(CJK_FONTS)];
