import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NAMES_BY_SCRIPT } from '../helpers/international-names.ts';
import { pdfGlyphs, readPdfText } from '../helpers/pdf-read.ts';
import { runCli, type CliResult } from '../helpers/run-cli.ts';
import { EXAMPLE_EXAM, tempDir, writeText } from '../reliability/helpers.ts';

/**
 * Names in every supported script, printed through the CLI and checked from the PDFs themselves:
 * no glyph is a .notdef (an empty box), every font is a bundled one, embedded; and the papers are
 * the same bytes when the machine's fonts and fontconfig are taken away.
 */
const dir = tempDir('international');
const env = { RNN_EXAM_SECRET: 'international-names-secret-0001' };
const scripts = Object.keys(NAMES_BY_SCRIPT);
const idOf = (script: string) => `S${String(scripts.indexOf(script) + 1).padStart(3, '0')}`;
const roster = writeText(dir, 'roster.csv', `Student ID,Full name\n${scripts.map((s) => `${idOf(s)},"${NAMES_BY_SCRIPT[s]}"`).join('\n')}\n`);
const BUNDLED = /^(Noto(Serif|Sans)[A-Za-z]*-(Regular|Bold|Italic|BoldItalic)|KaTeX_[A-Za-z0-9]+-[A-Za-z]+)$/;
/** Text extraction of shaped scripts (ligatures, reordered vowels) does not give the name back as typed. */
const READ_BACK = ['latin', 'vietnamese', 'polish', 'greek', 'cyrillic', 'chinese', 'traditional', 'japanese', 'korean'];

describe('names in every supported script', () => {
  const out = join(dir, 'out');
  let result: CliResult;
  beforeAll(() => {
    result = runCli(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', out, '--only', 'papers', '--concurrency', '2', '--json'], { env });
  }, 300_000);

  it('print with bundled fonts only, and not one empty box', async () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const script of scripts) {
      const pdf = join(out, idOf(script), 'question-paper.pdf');
      const { fonts, notdef, pages } = await pdfGlyphs(pdf);
      expect(pages, script).toBeGreaterThan(0);
      expect(notdef, script).toEqual([]);
      for (const font of fonts) {
        expect(font.name, script).toMatch(BUNDLED);
        expect(font.embedded, `${script} ${font.name}`).toBe(true);
        expect(font.type, `${script} ${font.name}`).not.toBe('Type3');
      }
      if (READ_BACK.includes(script)) {
        const text = (await readPdfText(pdf)).normalize('NFC');
        expect(text, script).toContain(NAMES_BY_SCRIPT[script].normalize('NFC'));
      }
    }
  });

  it('gives the same bytes with no system fonts and no fontconfig of the machine', () => {
    const empty = writeText(dir, 'empty-fonts.conf', '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n');
    const bare = join(dir, 'bare');
    const some = ['yoruba', 'chinese', 'thai', 'arabic', 'devanagari'].flatMap((s) => ['--student', idOf(s)]);
    const rerun = runCli(['generate', '--exam', EXAMPLE_EXAM, '--roster', roster, '--out', bare, '--only', 'papers', ...some, '--json'],
      { env: { ...env, FONTCONFIG_FILE: empty, FONTCONFIG_PATH: dir, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir } });
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    for (let i = 1; i < some.length; i += 2) {
      const file = join(some[i], 'question-paper.pdf');
      expect(Buffer.compare(readFileSync(join(bare, file)), readFileSync(join(out, file))), file).toBe(0);
    }
  }, 300_000);
});

describe('a name no bundled font can print', () => {
  it('stops the run before anything is written, naming roster line, student and characters', () => {
    const bad = writeText(dir, 'bad-roster.csv', 'Student ID,Full name\nA1,Ada Lovelace\nB2,Ana 😀 Silva\nC3,ნინო ბერიძე\n');
    const out = join(dir, 'refused');
    const refused = runCli(['generate', '--exam', EXAMPLE_EXAM, '--roster', bad, '--out', out], { env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${bad} line 3: student B2 ("Ana 😀 Silva") has emoji, which papers do not print (U+1F600 😀)`);
    expect(refused.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 4: student C3 \\("ნინო ბერიძე"\\) has characters no bundled font can print \\(U\\+10DC ნ, U\\+10D8 ი, U\\+10DD ო, U\\+10D1 ბ, U\\+10D4 ე, U\\+10E0 რ, U\\+10EB ძ\\)`));
    expect(refused.stderr).toContain('Fix:');
    expect(refused.stderr).not.toContain('line 2');
    expect(existsSync(out)).toBe(false);
  });
});
