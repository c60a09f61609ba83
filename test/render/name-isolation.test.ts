import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/render/template-set.ts';

/**
 * A right-to-left name must not reorder the text beside it (the student ID): every place a
 * bundled template prints a name isolates it, with <bdi> in HTML or FSI…PDI in the title.
 */
const TEMPLATES = 'templates';
const files = readdirSync(TEMPLATES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'));

describe('names are isolated in every template', () => {
  it.each(files)('%s', (file) => {
    const source = readFileSync(join(TEMPLATES, file), 'utf8');
    // Student names: header.student.name, and each student's name in the cohort key ({{name}} elsewhere names a quantity).
    const pattern = file === 'cohort-marking-key.hbs' ? /\{\{(?:header\.student\.)?name\}\}/g : /\{\{header\.student\.name\}\}/g;
    const uses = [...source.matchAll(pattern)];
    for (const use of uses) {
      const before = source.slice(0, use.index);
      const isolated = /<bdi[^>]*>$/.test(before) || before.endsWith('\u2068');
      expect(isolated, `${file}: ${source.slice(Math.max(0, use.index! - 40), use.index! + 30)}`).toBe(true);
    }
  });

  it('the running header keeps the ID outside the part that may be cut short', async () => {
    const templates = await loadTemplates();
    const name = 'שרה כהן'.repeat(20);
    const html = templates.render('pageHeader', { header: { documentKind: 'Question paper', staffOnly: false, student: { name, id: 'A-001' } } });
    expect(html).toContain(`<bdi>${name}</bdi>`);
    expect(html).toMatch(/<b style="overflow:hidden;text-overflow:ellipsis;min-width:0;"><bdi>/);
    expect(html).toMatch(/<span style="flex:none;">· ID <bdi>A-001<\/bdi><\/span>/);
  });
});
