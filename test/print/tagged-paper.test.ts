import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { PdfPrinter } from '../../src/print/pdf-printer.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { readPdf } from '../helpers/pdf-pages.ts';

interface StructNode { role?: string; alt?: string; children?: StructNode[]; type?: string }

function figures(node: StructNode | null, out: StructNode[] = []): StructNode[] {
  if (!node) return out;
  if (node.role === 'Figure') out.push(node);
  for (const child of node.children ?? []) figures(child, out);
  return out;
}

/** Written out here, independently of the renderer: how a screen reader should say a matrix. */
const say = (v: number) => (v < 0 ? `minus ${-v}` : `${v}`);
const rowByRow = (M: number[][]) => `${M.length} by ${M[0].length} matrix: ${M.map((r, i) => `row ${i + 1}: ${r.map(say).join(', ')}`).join('; ')}`;

describe('the tagged question paper, read back as a screen reader gets it', () => {
  const exam = parseExamConfig(JSON.parse(readFileSync(new URL('../../examples/exam.json', import.meta.url), 'utf8')), 'exam.json');
  const draw = drawStudent('rnn-exam-demo-secret-NOT-FOR-REAL-EXAMS', exam, { id: '32881907', name: 'Zoë Müller-Sánchez' });
  let printer: PdfPrinter;
  let nodes: StructNode[];
  let html: string;
  beforeAll(async () => {
    printer = await PdfPrinter.start({ concurrency: 1 });
    const doc = renderStudentDocuments(await loadTemplates(), exam, draw, undefined, ['question-paper']).get('question-paper')!;
    expect(doc.tagged).toBe(true);
    html = doc.html;
    const pages = await readPdf(printer.browser, await printer.print(doc));
    nodes = pages.flatMap((p) => figures(p.structTree as StructNode));
  }, 120_000);
  afterAll(async () => printer?.close());

  it('reads U, W and V row by row, each after its name', () => {
    const alts = nodes.map((n) => n.alt);
    for (const name of ['U', 'W', 'V'] as const) {
      const at = alts.indexOf(rowByRow(draw.params[name]));
      expect(at, `${name}: ${rowByRow(draw.params[name])} in ${JSON.stringify(alts.slice(0, 40))}`).toBeGreaterThan(1);
      expect(alts.slice(at - 2, at)).toEqual([name, 'equals']);
    }
    // the input vectors too, entry by entry
    expect(alts).toContain(`column vector of ${draw.params.x[0].length}: ${draw.params.x[0].map(say).join(', ')}`);
  });

  it('gives every formula and matrix alternative text (a Figure with /Alt), the model equations in words', () => {
    const labels = [...html.matchAll(/role="img" aria-label="([^"]*)"/g)].map((m) => m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
    expect(labels.length).toBeGreaterThan(20);
    expect((html.match(/role="img"/g) ?? []).length).toBe(labels.length);
    const alts = new Set(nodes.map((n) => n.alt));
    expect(labels.filter((label) => !alts.has(label))).toEqual([]);
    for (const node of nodes) expect(node.alt, JSON.stringify(node).slice(0, 200)).toMatch(/\S/);
    expect(nodes.map((n) => n.alt)).toContain('W h sub t minus 1 plus U x sub t plus b, h sub t equals tanh (h bar sub t)');
  });
});
