import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examConfigSchema } from '../../src/config/exam-schema.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { renderCohortKey, renderStudentDocuments, DOCUMENT_KINDS } from '../../src/render/render-documents.ts';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../src/render/template-set.ts';
import { buildMarkingKey, buildStudentKey } from '../../src/solution/build-marking-key.ts';
import { matrixHtml, richTextHtml } from '../../src/render/math-html.ts';

const exam = examConfigSchema.parse({
  examId: 'T1', course: 'Deep <Learning> & Co', title: 'Final "exam"',
  instructions: ['Answer <i>all</i> questions; $x_t$ is the input.'],
  written: [{ marks: 4, questions: [{ id: 'q', text: 'Why <script>alert(1)</script>?', modelAnswer: ['Because & so on'] }] }],
});
const NAME = '<b>Bob</b> & "Al"';
const draw = drawStudent('template-secret-00000001', exam, { id: 'S-1', name: NAME });

describe('templates render the view models as HTML', async () => {
  const templates = await loadTemplates();
  const docs = renderStudentDocuments(templates, exam, draw, buildStudentKey(exam, draw), DOCUMENT_KINDS);

  it('escapes names and every piece of config text, in documents and in page headers', () => {
    for (const doc of docs.values()) {
      for (const html of [doc.html, doc.headerHtml]) {
        expect(html).toContain('&lt;b&gt;Bob&lt;/b&gt; &amp; &quot;Al&quot;');
        expect(html).not.toContain('<b>Bob</b>');
      }
      expect(doc.footerHtml).toContain('S-1');
      expect(doc.html).not.toContain('<script>');
      expect(doc.html).toContain('Deep &lt;Learning&gt; &amp; Co');
    }
    expect(docs.get('question-paper')!.html).toContain('Why &lt;script&gt;alert(1)&lt;/script&gt;?');
  });

  it('every document forbids scripts and outside requests and carries its fonts inline', () => {
    for (const doc of docs.values()) {
      expect(doc.html).toContain(`default-src 'none'`);
      expect(doc.html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|file:|\/\/)/i);
      expect(doc.html).not.toMatch(/url\((?!data:)/);
      expect(doc.html).toContain('@font-face');
    }
  });

  it('the question paper shows the student\'s own numbers and no answers', () => {
    const html = docs.get('question-paper')!.html;
    const shown = (v: string) => v.replace('-', '\u2212');
    // U printed as columns of numbers, one line each
    const columns = draw.params.U[0].map((_, j) => `<span class="mx-c">${draw.params.U.map((row) => shown(String(row[j]))).join('<br>')}</span>`);
    // read row by row by a screen reader (its alternative text), though laid out as columns
    const rows = draw.params.U.map((row, i) => `row ${i + 1}: ${row.map((v) => (v < 0 ? `minus ${-v}` : `${v}`)).join(', ')}`).join('; ');
    expect(html).toContain(`<span class="mx" role="img" aria-label="3 by 3 matrix: ${rows}">${columns.join('')}</span>`);
    expect(html).toContain('[3 marks]');
    expect(html).not.toContain('Answer 2.1');
    const answer = shown(draw.solution.forward.h[0][0].toPrecision(3));
    expect(html).not.toMatch(new RegExp(`(>|<br>)${answer}(<br>|</span>)`));
  });

  it('the worked solution and key hold the answers', () => {
    expect(docs.get('worked-solution')!.html).toContain('Answer 2.6');
    expect(docs.get('marking-key')!.html).toContain('Accept');
    // each common error is named in the parts and described once, its math typeset, at the end
    const key = buildMarkingKey(exam, buildStudentKey(exam, draw));
    const keyHtml = docs.get('marking-key')!.html;
    expect(key.commonErrorLegend.length).toBeGreaterThan(0);
    expect(keyHtml).toContain('<h3>The common errors</h3>');
    for (const { name } of key.commonErrorLegend) expect(keyHtml.split(`<dt>${name}</dt>`).length, name).toBe(2);
    expect(key.parts.flatMap((p) => p.commonErrors.map((e) => e.name)).every((n) => key.commonErrorLegend.some((l) => l.name === n))).toBe(true);
    expect(keyHtml).not.toMatch(/dL\/d|_t\b|\^T/); // no ASCII math left
    const cohort = renderCohortKey(templates, exam, [buildStudentKey(exam, draw)]);
    expect(cohort.html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
  });

  it('numbers print with true minus signs, both ends of an accepted range too', () => {
    expect(matrixHtml([['-1.027 \u2026 -1.007', '0.5'], ['-2', '']])).toBe('<span class="mx" role="img" aria-label="2 by 2 matrix: row 1: minus 1.027 to minus 1.007, 0.5; row 2: minus 2, ">' +
      '<span class="mx-c">\u22121.027 \u2026 \u22121.007<br>\u22122</span><span class="mx-c">0.5<br>&nbsp;</span></span>');
  });

  it('inline math in text is typeset; a lone $ is an error', () => {
    // a short formula is glued to the word before it with a no-break space
    expect(richTextHtml('costs \\$5 and $x_t$')).toMatch(/^costs \$5 and\u00a0<span class="katex"[ >]/);
    expect(richTextHtml('with $\\operatorname{softmax}(V h_t + c)$')).toMatch(/^with <span/);
    expect(() => richTextHtml('a $x')).toThrow(/unbalanced \$/);
  });
});

describe('lecturer-edited templates', () => {
  function templatesWith(file: string, content: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), content);
    return dir;
  }

  it('a Handlebars syntax error names the file and line', async () => {
    const dir = templatesWith('question-paper.hbs', '<p>\n{{#each written}}\n{{text}}\n{{/if}}\n');
    await expect(loadTemplates(dir)).rejects.toThrow(/question-paper\.hbs line \d+: Handlebars syntax error: .*Fix: correct the template syntax there/);
  });

  it('an unknown helper names the file, line and the helpers there are', async () => {
    const dir = templatesWith('worked-solution.hbs', 'one\ntwo {{shout header.title}}\n');
    await expect(loadTemplates(dir)).rejects.toThrow(/worked-solution\.hbs line 2: unknown helper 'shout'\. Fix: use one of math, mathRow, tokens, rich/);
  });

  it('a misspelt field fails loudly instead of printing nothing', async () => {
    const dir = templatesWith('marking-key.hbs', '{{header.studnet.name}}');
    const templates = await loadTemplates(dir);
    expect(() => templates.render('markingKey', { header: {} })).toThrow(/marking-key\.hbs line 1: template failed: "name" not defined/);
  });
});
