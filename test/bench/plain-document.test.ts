import { describe, expect, it } from 'vitest';
import { plainHtml } from '../../bench/plain.ts';
import { BENCH_SECRET, EXAM_PATH, syntheticStudents } from '../../bench/workload.ts';
import { readExamConfig } from '../../src/config/read-exam-config.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';

const faces = (html: string) => [...html.matchAll(/@font-face\s*\{[^}]*?font-family:\s*"?([^";]+)"?;/g)].map((m) => m[1]);

describe('bench plain limit document', async () => {
  const exam = await readExamConfig(EXAM_PATH);
  const draw = drawStudent(BENCH_SECRET, exam, syntheticStudents(1)[0], 1, EXAM_PATH);
  const solution = renderStudentDocuments(await loadTemplates(), exam, draw, undefined, ['worked-solution']).get('worked-solution')!;
  const plain = plainHtml(solution.html);

  it('keeps the faces the text is set in, and drops only the math fonts', () => {
    const before = faces(solution.html);
    const after = faces(plain);
    expect(before.some((f) => f.startsWith('rnn-exam'))).toBe(true);
    // The body text's bundled faces stay: without them the text fell back to whatever the browser had, and the limit measured other fonts.
    expect(after.filter((f) => f.startsWith('rnn-exam'))).toEqual(before.filter((f) => f.startsWith('rnn-exam')));
    expect(after).toContain('KaTeX_Main');
    expect(after.some((f) => /^KaTeX_(Math|Size\d)$/.test(f))).toBe(false);
  });

  it('leaves no typeset formula or matrix, but every number of them as text', () => {
    expect(plain).not.toMatch(/<span class="(katex|mx)[ "]/);
    const numbers = (html: string) => (html.slice(html.indexOf('<body')).replace(/<[^>]*>/g, ' ').match(/[−-]?\d+\.\d+/g) ?? []).length;
    expect(numbers(plain)).toBeGreaterThan(50);
  });
});
