import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { kindsToMake } from '../../src/pipeline/document-kinds-to-make.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { buildAnswerBooklet } from '../../src/solution/build-answer-booklet.ts';
import { buildPaperCover } from '../../src/solution/build-paper-cover.ts';

const SECRET = 'booklet-test-secret-00000000001';
const raw = JSON.parse(readFileSync('examples/exam.json', 'utf8'));
const exam = parseExamConfig(raw, 'exam.json');
const student = { id: 'A-001', name: 'Ada <Lovelace>' };

describe('answer booklet', () => {
  it('has boxes shaped like each asked quantity: vectors as columns, matrices as grids', () => {
    const shaped = parseExamConfig({ ...raw, rnn: { ...raw.rnn, sizes: { input: 2, hidden: 4, output: 3, T: 2 }, gradientStep: 0 } }, 'exam.json');
    const view = buildAnswerBooklet(shaped, drawStudent(SECRET, shaped, student));
    const grids = Object.fromEntries(view.answers.rnn.parts.map((p) => [p.number, p.grids.map((g) => [g.rows, g.cols])]));
    expect(grids).toEqual({
      '3.1': [[4, 1], [4, 1]], // h_0, h_1: hidden 4
      '3.2': [[3, 1], [3, 1]], // yhat_t: output 3
      '3.3': [[1, 1], [1, 1], [1, 1]], // l_0, l_1, L
      '3.4': [[4, 1]], // dL/dh_0 like h
      '3.5': [[3, 4]], // dL/dV like V: output × hidden
      '3.6': [[4, 2]], // dL/dU like U: hidden × input
    });
    expect(view.answers.rnn.parts.map((p) => p.workingMm)).toEqual([3, 3, 2, 4, 3, 5].map((marks) => 20 + 14 * marks));
    const dV = view.answers.rnn.parts[4].grids[0];
    expect(dV.cells).toHaveLength(3);
    expect(dV.cells.every((row) => row.length === 4)).toBe(true);
  });

  it('rules lines by word limit, and its marks grid lists every question and part', () => {
    const view = buildAnswerBooklet(exam, drawStudent(SECRET, exam, student));
    expect(view.answers.written.map((q) => q.lines.length)).toEqual([150 / 10 + 3, 200 / 10 + 3]);
    expect(view.marksGrid.map((r) => r.question)).toEqual(['1', '2', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6']);
    expect(view.totalMarks).toBe(5 + 6 + 3 + 3 + 2 + 4 + 3 + 5);
  });

  it('renders the cover, the ruled pages and a 3×3 grid for dL/dV, with the name escaped', async () => {
    const templates = await loadTemplates();
    const html = renderStudentDocuments(templates, exam, drawStudent(SECRET, exam, student), undefined, ['answer-booklet']).get('answer-booklet')!.html;
    expect(html).toContain('Ada &lt;Lovelace&gt;');
    expect(html).toMatch(/Seat number/);
    expect(html).toMatch(/Signature/);
    expect(html.match(/class="ab-line"/g)).toHaveLength(18 + 23);
    expect(html).toContain('aria-label="3 × 3 matrix"');
    expect(html.match(/<table class="ab-grid"/g)).toHaveLength(3 + 3 + 4 + 1 + 1 + 1);
  });
});

describe('answer space in the question paper instead', () => {
  const inPaper = parseExamConfig({ ...raw, paper: { answerSpace: 'paper' } }, 'exam.json');

  it('makes no booklet, and --only booklets says why', () => {
    expect(kindsToMake(exam, undefined)).toEqual(['question-paper', 'answer-booklet', 'worked-solution', 'marking-key']);
    expect(kindsToMake(inPaper, undefined)).toEqual(['question-paper', 'worked-solution', 'marking-key']);
    expect(() => kindsToMake(inPaper, 'booklets', 'exam.json')).toThrow(/exam\.json: paper\.answerSpace: is "paper".*Fix: set "paper": \{"answerSpace": "booklet"\}/);
  });

  it('puts the ruled lines and answer boxes into the question paper', async () => {
    const templates = await loadTemplates();
    const draw = drawStudent(SECRET, inPaper, student);
    const paper = renderStudentDocuments(templates, inPaper, draw, undefined, ['question-paper']).get('question-paper')!.html;
    expect(paper.match(/class="ab-line"/g)).toHaveLength(18 + 23);
    expect(paper).toContain('Answers to Question 3');
    expect(paper.match(/<table class="ab-grid"/g)).toHaveLength(3 + 3 + 4 + 1 + 1 + 1);
    const withBooklet = renderStudentDocuments(templates, exam, drawStudent(SECRET, exam, student), undefined, ['question-paper']).get('question-paper')!.html;
    expect(withBooklet).not.toContain('class="ab-line"');
  });
});

describe('question paper cover page', () => {
  it('states materials, rounding, the layout convention and the marks, from the config', async () => {
    const custom = parseExamConfig({ ...raw, rnn: { ...raw.rnn, significantFigures: 4, sizes: { input: 2, hidden: 5, output: 3, T: 3 } }, paper: { permittedMaterials: ['One A4 sheet of handwritten notes.'] } }, 'exam.json');
    const cover = buildPaperCover(custom, drawStudent(SECRET, custom, student));
    expect(cover.permittedMaterials).toEqual(['One A4 sheet of handwritten notes.']);
    expect(cover.rounding).toMatch(/4 significant figures.*half away from zero.*carry them forward as written/);
    expect(cover.conventions.join(' ')).toMatch(/Vectors are columns/);
    expect(cover.conventions.join(' ')).toMatch(/\\partial L \/ \\partial V\$ is 3 × 5 like \$V\$, \$\\partial L \/ \\partial U\$ is 5 × 2 like \$U\$/);
    expect(cover.marks.map((m) => m.marks)).toEqual([5, 6, 20]);
    expect(cover.totalMarks).toBe(31);
    const html = renderStudentDocuments(await loadTemplates(), custom, drawStudent(SECRET, custom, student), undefined, ['question-paper']).get('question-paper')!.html;
    expect(html).toContain('One A4 sheet of handwritten notes.');
    expect(html).toContain('Do not turn this page until you are told to begin.');
  });

  it('can be turned off', async () => {
    const noCover = parseExamConfig({ ...raw, paper: { cover: false } }, 'exam.json');
    const html = renderStudentDocuments(await loadTemplates(), noCover, drawStudent(SECRET, noCover, student), undefined, ['question-paper']).get('question-paper')!.html;
    expect(html).not.toContain('class="cover"');
    expect(html).toContain('<h2>Instructions</h2>');
  });
});
