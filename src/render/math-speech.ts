/**
 * A plain-text reading of a formula, for screen readers: the alternative text of every typeset
 * formula and numeric matrix (a tagged PDF gives it to the formula as /Alt, and reads it instead
 * of the glyph fragments). Covers the TeX this tool writes; anything else is read as written.
 */
const WORDS: Array<[RegExp, string | ((match: string) => string)]> = [
  [/\\d?frac\{([^{}]*)\}\{([^{}]*)\}/g, ' $1 over $2 '],
  [/\\bar\{([^{}]*)\}/g, '$1 bar'],
  [/\\hat\{([^{}]*)\}/g, '$1 hat'],
  [/\\(?:mathbf|operatorname|text|mathrm)\{([^{}]*)\}/g, '$1'],
  [/\\sum_\{([^{}]*)\}\^\{?([^{}\s]*)\}?/g, ' sum from $1 to $2 of '],
  [/\^\{?\\top\}?/g, ' transpose '],
  [/\^\{?2\}?/g, ' squared '],
  [/\^\{([^{}]*)\}/g, ' to the power $1 '],
  [/_\{([^{}]*)\}/g, ' sub $1 '],
  [/_(\w)/g, ' sub $1 '],
  [/\\partial\s*/g, 'partial '],
  [/\\odot/g, ' elementwise times '],
  [/\\approx/g, ' approximately equals '],
  [/\\(?:dots|ldots|cdots)/g, ' dot dot dot '],
  [/\\(?:qquad|quad|,|;)/g, ', '],
  [/\\(?:Big|big|left|right)/g, ''],
  [/\\(?!d?frac)[a-zA-Z]+/g, (m) => ` ${m.slice(1)} `],
  [/=/g, ' equals '],
  [/-/g, ' minus '],
  [/\+/g, ' plus '],
];

export function texToSpeech(tex: string): string {
  let text = tex;
  // Three rounds: the innermost groups go first (a bar inside a subscript inside a fraction).
  for (let round = 0; round < 3; round++) {
    for (const [pattern, replacement] of WORDS) text = text.replace(pattern, replacement as string);
  }
  return text.replace(/[{}]/g, ' ').replace(/\s+/g, ' ').replace(/ ([,.;)\]])/g, '$1').replace(/([(\[]) /g, '$1')
    .replace(/,(\s*,)+/g, ',').trim();
}

const spoken = (entry: string) => entry.replace(/^-/, 'minus ').replace(/ … | \.\.\. /, ' to ').replace(/ -(?=\d)/, ' minus ');

/** A numeric matrix row by row: "3 by 3 matrix: row 1: 0, minus 2, 1; row 2: …" (a vector: its entries). */
export function matrixToSpeech(rows: string[][]): string {
  const cols = Math.max(0, ...rows.map((r) => r.length));
  if (rows.length === 1 && cols === 1) return spoken(rows[0][0]);
  if (cols === 1) return `column vector of ${rows.length}: ${rows.map((r) => spoken(r[0])).join(', ')}`;
  if (rows.length === 1) return `row vector of ${cols}: ${rows[0].map(spoken).join(', ')}`;
  return `${rows.length} by ${cols} matrix: ${rows.map((r, i) => `row ${i + 1}: ${r.map(spoken).join(', ')}`).join('; ')}`;
}
