/** A student's answers as the marking reads them (parsed by src/pipeline/parse-answers.ts). */
import type { PartId } from '../solution/final-answers.ts';

export type AnswerValue = number | number[] | number[][];
/** part id → quantity name → the value given (a matrix may come transposed) */
export type GivenAnswers = Map<PartId, Map<string, AnswerValue>>;

/** A value flattened with the names of flattenQuantity: "h_1[2]", "dL/dV[0][1]", "L". */
export function flattenAnswer(name: string, value: AnswerValue): Array<[string, number]> {
  if (typeof value === 'number') return [[name, value]];
  return (value as Array<number | number[]>).flatMap((row, i) => (typeof row === 'number'
    ? [[`${name}[${i}]`, row] as [string, number]]
    : row.map((x, j) => [`${name}[${i}][${j}]`, x] as [string, number])));
}

/** Significant figures a number is written with (0.96 → 2, 0.0123 → 3, 120 → 2). */
export function figuresOf(value: number): number {
  const text = Math.abs(value).toString().toLowerCase();
  const [mantissa] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/^0+/, '');
  const kept = mantissa.includes('.') ? digits : digits.replace(/0+$/, '');
  return Math.max(1, kept.length);
}
