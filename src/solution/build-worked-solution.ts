import type { ExamConfig } from '../config/exam-schema.ts';
import { addVectors, matVec, oneHot, outer, transpose, transposeMatVec, type Vector } from '../engine/index.ts';
import type { StudentDraw } from '../random/draw-student.ts';
import { resolveMarkScheme } from '../marking/mark-scheme.ts';
import { methodMarksText } from './build-marking-key.ts';
import { buildDocumentHeader, type DocumentHeaderView } from './document-header.ts';
import { buildFinalAnswers } from './final-answers.ts';
import { buildGivens, rnnQuestionNumber } from './build-question-paper.ts';
import { everyOuterTermWorked, everyStepInFull, FULL_BACKWARD_STEPS, FULL_FORWARD_STEPS, FULL_OUTPUT_STEPS } from './worked-detail.ts';
import {
  column, formatComputed, fullValue, givenColumn, givenMatrix, inColumnBlocks, line, matrix, more, parenthesised, product, roundedValue, row, tex,
  type MathLine, type MathToken,
} from './math-tokens.ts';

/** `row`: short equations side by side (a summarised step's resulting vectors), not aligned lines. */
export interface WorkedStep { caption?: string; lines: MathLine[]; row?: boolean }
/** `answersInRow`: many vector or scalar answers side by side rather than one per line. */
export interface WorkedPartView { number: string; title: string; marks: number; methodMarks: string; steps: WorkedStep[]; answers: MathLine[]; answersInRow: boolean }

export interface WorkedSolutionView {
  header: DocumentHeaderView;
  note: string;
  written: Array<{ number: number; text: string; marks: number; modelAnswer: string[] }>;
  rnnNumber: number;
  givens: ReturnType<typeof buildGivens>;
  parts: WorkedPartView[];
  /** a large question (later steps in brief): matrices set closer, to keep the document short */
  compact: boolean;
}

/**
 * The model answer, step by step in the sample sheet's layout: every quantity with its
 * numbers substituted. Every number comes from the engine's full-precision intermediates;
 * only their display is rounded. A large question (worked-detail.ts) works the first steps of
 * each pass in full and gives the later ones as the vectors they produce.
 */
export function buildWorkedSolution(exam: ExamConfig, draw: StudentDraw): WorkedSolutionView {
  const d = exam.rnn.significantFigures;
  const p = draw.params;
  const { forward: f, grad: g } = draw.solution;
  const T = p.x.length, k = exam.rnn.gradientStep;
  const n = (x: number) => formatComputed(x, d);
  const col = (v: Vector) => column(v, d);
  const mean = p.lossReduction === 'mean';
  const scaleTex = mean ? `\\frac{1}{${T}}` : '';
  const inFull = everyStepInFull({ hidden: p.U.length, output: p.V.length, T });
  const sameWay = (from: number, to: number) => (from === to ? `Step $t = ${from}$ is computed` : `Steps $t = ${from}$ ${from < to ? 'to' : 'down to'} $t = ${to}$ are computed`) + ' the same way';

  // Later steps of a large question in brief: the equations once in a caption, then per step
  // the products' results and the outcome, one line each (worked-detail.ts says when).
  const firstInBrief = (fullSteps: number) => (inFull ? T : Math.min(T, fullSteps));
  const inBrief = (first: number, caption: string, stepLine: (t: number) => MathLine): WorkedStep[] =>
    (first >= T ? [] : [{ caption: `${sameWay(first, T - 1)}: ${caption}`, row: true, lines: Array.from({ length: T - first }, (_, i) => stepLine(first + i)) }]);

  const hiddenStates: WorkedStep[] = f.h.slice(0, firstInBrief(FULL_FORWARD_STEPS)).map((h, t) => {
    const lines = t === 0
      ? [line('\\bar{h}_0', [tex('U x_0 + b \\qquad (h_{-1} = 0)')]),
        more([product(givenMatrix(p.U), givenColumn(p.x[0])), tex('+'), givenColumn(p.b)]),
        more([col(matVec(p.U, p.x[0])), tex('+'), givenColumn(p.b)])]
      : [line(`\\bar{h}_{${t}}`, [tex(`W h_{${t - 1}} + U x_{${t}} + b`)]),
        more([product(givenMatrix(p.W), col(f.h[t - 1])), tex('+'), product(givenMatrix(p.U), givenColumn(p.x[t])), tex('+'), givenColumn(p.b)]),
        more([col(matVec(p.W, f.h[t - 1])), tex('+'), col(matVec(p.U, p.x[t])), tex('+'), givenColumn(p.b)])];
    lines.push(more([col(f.hbar[t])]));
    lines.push(line(`h_{${t}}`, [tex(`\\tanh(\\bar{h}_{${t}}) = \\tanh`), col(f.hbar[t]), tex('='), col(h)]));
    return { lines };
  });
  hiddenStates.push(...inBrief(firstInBrief(FULL_FORWARD_STEPS),
    '$\\bar{h}_t = W h_{t-1} + (U x_t + b)$, its two terms as vectors, and $h_t = \\tanh(\\bar{h}_t)$.',
    (t) => line(`\\bar{h}_{${t}}`, [col(matVec(p.W, f.h[t - 1])), tex('+'), col(addVectors(matVec(p.U, p.x[t]), p.b)), tex('='), col(f.hbar[t]), tex(`\\qquad h_{${t}} =`), col(f.h[t])])));

  const outputs: WorkedStep[] = f.yhat.slice(0, firstInBrief(FULL_OUTPUT_STEPS)).map((yhat, t) => {
    const exps = f.z[t].map((z) => Math.exp(z));
    const total = exps.reduce((a, b) => a + b, 0);
    return {
      lines: [
        line(`z_{${t}}`, [tex(`V h_{${t}} + c =`), product(givenMatrix(p.V), col(f.h[t])), tex('+'), givenColumn(p.c), tex('='), col(f.z[t])]),
        line(`\\hat{y}_{${t}}`, [tex(`\\operatorname{softmax}(z_{${t}}) = \\frac{1}{${n(total)}}`), col(exps), tex('='), col(yhat)]),
      ],
    };
  });
  outputs.push(...inBrief(firstInBrief(FULL_OUTPUT_STEPS), '$z_t = V h_t + c$ and $\\hat{y}_t = \\operatorname{softmax}(z_t)$.',
    (t) => line(`z_{${t}}`, [col(f.z[t]), tex(`\\qquad \\hat{y}_{${t}} =`), col(f.yhat[t])])));

  const losses: WorkedStep[] = [
    ...f.loss.map((l, t) => ({
      lines: [line(`l_{${t}}`, [tex(`-\\log \\hat{y}_{${t}}[${p.y[t]}] = -\\log(${n(f.yhat[t][p.y[t]])}) = ${n(l)}`)])],
    })),
    {
      // Three pieces, so a long sum (T = 8) wraps between them rather than running off the page.
      lines: [line('L', [tex(`${scaleTex}(${f.loss.map((_, t) => `l_{${t}}`).join(' + ')})`), tex(`= ${scaleTex}(${f.loss.map(n).join(' + ')})`), tex(`= ${n(f.L)}`)])],
    },
  ];

  // Backward pass from the last step down; part 4 shows it down to step k, part 6 finishes it.
  // dL/dz_t is shown once: in part 4 for t >= k, in part 5 (which needs every one) for t < k.
  const backwardStep = (t: number, withOutputGradient = true): WorkedStep => {
    const dz = withOutputGradient
      ? [line(`\\dfrac{\\partial L}{\\partial z_{${t}}}`, [tex(`${scaleTex}(\\hat{y}_{${t}} - \\mathbf{e}_{${p.y[t]}}) = ${scaleTex}`), parenthesised([col(f.yhat[t]), tex('-'), givenColumn(oneHot(p.y[t], p.c.length))]), tex('='), col(g.z[t])])]
      : [];
    const dh = t === T - 1
      ? [line(`\\dfrac{\\partial L}{\\partial h_{${t}}}`, [tex(`V^\\top \\dfrac{\\partial L}{\\partial z_{${t}}} =`), product(givenMatrix(transpose(p.V)), col(g.z[t])), tex('='), col(g.h[t])])]
      : [line(`\\dfrac{\\partial L}{\\partial h_{${t}}}`, [tex(`V^\\top \\dfrac{\\partial L}{\\partial z_{${t}}} + W^\\top \\dfrac{\\partial L}{\\partial \\bar{h}_{${t + 1}}}`)]),
        more([product(givenMatrix(transpose(p.V)), col(g.z[t])), tex('+'), product(givenMatrix(transpose(p.W)), col(g.hbar[t + 1]))]),
        more([col(g.hFromOutput[t]), tex('+'), col(g.hFromNext[t]), tex('='), col(g.h[t])])];
    const dhbar = [line(`\\dfrac{\\partial L}{\\partial \\bar{h}_{${t}}}`, [tex(`\\dfrac{\\partial L}{\\partial h_{${t}}} \\odot (1 - h_{${t}}^2) =`), col(g.h[t]), tex('\\odot'), col(f.h[t].map((h) => 1 - h * h)), tex('='), col(g.hbar[t])])];
    const caption = t === T - 1
      ? `Step $t = ${t}$ (the last): $h_{${t}}$ reaches $L$ only through $z_{${t}}$.`
      : `Step $t = ${t}$: $h_{${t}}$ reaches $L$ through $z_{${t}}$ and through $\\bar{h}_{${t + 1}}$ (every later step).`;
    return { caption, lines: [...dz, ...dh, ...dhbar] };
  };
  // A later backward step in brief: the two terms of dL/dh_t as vectors, then the results.
  const lastFullBackward = T - FULL_BACKWARD_STEPS;
  const backwardInBrief = (t: number, from: number, to: number, withOutputGradient: boolean): WorkedStep => {
    const first = Math.min(from, lastFullBackward - 1);
    const dz = `${scaleTex}(\\hat{y}_t - \\mathbf{e}_{y_t})`;
    return {
      caption: t === first
        ? `${sameWay(first, to)}, with ${withOutputGradient ? `$\\partial L / \\partial z_t = ${dz}$, ` : ''}$\\partial L / \\partial h_t = V^\\top \\partial L / \\partial z_t + W^\\top \\partial L / \\partial \\bar{h}_{t+1}$ (its two terms as vectors) and $\\partial L / \\partial \\bar{h}_t = \\partial L / \\partial h_t \\odot (1 - h_t^2)$:`
        : undefined,
      row: true,
      lines: [
        ...(withOutputGradient ? [line(`\\dfrac{\\partial L}{\\partial z_{${t}}}`, [col(g.z[t])])] : []),
        line(`\\dfrac{\\partial L}{\\partial h_{${t}}}`, [col(g.hFromOutput[t]), tex('+'), col(g.hFromNext[t]), tex('='), col(g.h[t])]),
        line(`\\dfrac{\\partial L}{\\partial \\bar{h}_{${t}}}`, [col(g.hbar[t])]),
      ],
    };
  };
  const stepsDown = (from: number, to: number, withOutputGradient = true) =>
    Array.from({ length: from - to + 1 }, (_, i) => from - i).map((t) =>
      (inFull || t >= lastFullBackward ? backwardStep(t, withOutputGradient) : backwardInBrief(t, from, to, withOutputGradient)));
  const stepRange = (from: number, to: number) => (from === to ? `at $t = ${to}$` : `from $t = ${from}$ down to $t = ${to}$`);

  // Every term worked while the sum is small; a long or wide one is summarised after its first term.
  const sumOfOuter = (name: string, left: (t: number) => Vector, right: (t: number) => Vector, leftTex: (t: number) => string, rightTex: (t: number) => string, result: number[][], rightGiven: boolean): WorkedStep => {
    const summarise = !everyOuterTermWorked(T, left(0).length, right(0).length);
    const shown = summarise ? [0] : Array.from({ length: T }, (_, t) => t);
    const terms = Array.from({ length: T }, (_, t) => `${leftTex(t)} ${rightTex(t)}`);
    const symbolic = T > 4 ? `${terms[0]} + ${terms[1]} + \\dots + ${terms[T - 1]}` : terms.join(' + ');
    const worked = (t: number) => [product(col(left(t)), rightGiven ? givenMatrix([right(t)]) : row(right(t), d)), tex('='), matrix(outer(left(t), right(t)), d)];
    return {
      caption: summarise && T > 1 ? `The first term in full; the other ${T - 1} are computed the same way, and all ${T} summed give the last line.` : undefined,
      lines: summarise
        ? [line(`\\dfrac{\\partial L}{\\partial ${name}}`, [tex(`\\sum_{t=0}^{${T - 1}} ${leftTex(-1)} ${rightTex(-1)} = ${symbolic}`)]),
          line(terms[0], worked(0)),
          line(`\\dfrac{\\partial L}{\\partial ${name}}`, [matrix(result, d)])]
        : [line(`\\dfrac{\\partial L}{\\partial ${name}}`, [tex(`\\sum_{t=0}^{${T - 1}} ${leftTex(-1)} ${rightTex(-1)} = ${symbolic}`)]),
          ...shown.map((t) => (t === 0 ? line('', worked(t)) : more(worked(t), '+'))),
          more([matrix(result, d)])],
    };
  };

  const dV = sumOfOuter('V', (t) => g.z[t], (t) => f.h[t], (t) => (t < 0 ? '\\dfrac{\\partial L}{\\partial z_t}' : `\\dfrac{\\partial L}{\\partial z_{${t}}}`), (t) => (t < 0 ? 'h_t^\\top' : `h_{${t}}^\\top`), g.V, false);
  const dU = sumOfOuter('U', (t) => g.hbar[t], (t) => p.x[t], (t) => (t < 0 ? '\\dfrac{\\partial L}{\\partial \\bar{h}_t}' : `\\dfrac{\\partial L}{\\partial \\bar{h}_{${t}}}`), (t) => (t < 0 ? 'x_t^\\top' : `x_{${t}}^\\top`), g.U, true);

  // Part 5 needs dL/dz_t for every t; those below k have not been shown yet.
  const earlierOutputGradients: WorkedStep = {
    caption: k > 0 ? `Also needed: $\\partial L / \\partial z_t = ${scaleTex}(\\hat{y}_t - \\mathbf{e}_{y_t})$ for $t < ${k}$:` : undefined,
    lines: Array.from({ length: k }, (_, t) => line(`\\dfrac{\\partial L}{\\partial z_{${t}}}`, [col(g.z[t])])),
    row: !inFull,
  };
  const number = rnnQuestionNumber(exam);
  const finals = buildFinalAnswers(p, f, g, exam.rnn, number);
  const stepsByPart: WorkedStep[][] = [
    hiddenStates,
    outputs,
    losses,
    [{ caption: `Back-propagation through time, ${stepRange(T - 1, k)}. With $L$ the ${p.lossReduction} of the losses, $\\partial L / \\partial z_t = ${scaleTex}(\\hat{y}_t - \\mathbf{e}_{y_t})$, where $\\mathbf{e}_{y_t}$ is the one-hot target.`, lines: [] }, ...stepsDown(T - 1, k)],
    [earlierOutputGradients, dV],
    [...(k > 0 ? [{ caption: `Completing the backward pass ${stepRange(k - 1, 0)} (each $\\partial L / \\partial z_t$ as in part ${number}.5):`, lines: [] }, ...stepsDown(k - 1, 0, false)] : []), dU],
  ];
  const scheme = resolveMarkScheme(exam.rnn.marks, exam.rnn.methodMarks, exam.rnn.marking);
  const parts = finals.map((part, i) => {
    // Many vector or scalar answers of a large question go side by side (a matrix's full value
    // wraps under it in blocks and needs a line of its own), with a shorter label.
    const inRow = !inFull && part.quantities.length > 1 && part.quantities.every((q) => typeof q.value === 'number' || typeof q.value[0] === 'number');
    return {
      number: part.number, title: part.title, marks: part.marks, methodMarks: methodMarksText(scheme[part.id]),
      steps: stepsByPart[i].filter((s) => s.caption || s.lines.length > 0),
      answers: part.quantities.map((q) => line(q.tex, [roundedValue(q.value, d), ...inColumnBlocks(fullValue(q.value), inRow ? 'full' : 'full value')], '\\approx')),
      answersInRow: inRow,
    };
  });
  return {
    header: buildDocumentHeader(exam, draw, 'Worked solution', true),
    note: `Working is shown to ${d} significant figures; every value was computed in full double precision and only rounded for display, so recomputing a line from the rounded numbers shown may differ in the last digit. Final answers are given to ${d} significant figures, with the full value beside them. Vectors are columns; $\\odot$ is the element-wise product; $\\mathbf{e}_k$ is the one-hot vector of class $k$ (classes from 0).`,
    written: draw.written.map((q) => ({ number: q.number, text: q.text, marks: q.marks, modelAnswer: q.modelAnswer.map((point, k) => `${point} [${q.pointMarks[k]} mark${q.pointMarks[k] === 1 ? '' : 's'}]`) })),
    rnnNumber: number,
    givens: buildGivens(p),
    parts,
    compact: !inFull,
  };
}
