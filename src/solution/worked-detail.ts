/**
 * How much of the RNN question a worked solution writes out, decided by the question's shape
 * alone (never by one student's numbers), so every student of an exam gets the same layout.
 */
export interface QuestionShape { hidden: number; output: number; T: number }

/**
 * A worked time step is about as tall as its longest vector (hidden or output units), and each
 * pass has T of them. Up to this many rows in all every step of both passes is worked with each
 * product written out: the example's 3 units up to T = 4 (8 pages), 4 units up to T = 3, 6 up
 * to T = 2, 8 at T = 1. Beyond it a full solution grows long: 9 pages at 3 units and T = 5,
 * 28 at 8 units and T = 8.
 */
export const FULL_WORKING_MAX_ROWS = 12;

/** True: every step in full. False: the first steps of each pass in full, the later ones as their resulting vectors. */
export function everyStepInFull(shape: QuestionShape): boolean {
  return Math.max(shape.hidden, shape.output) * shape.T <= FULL_WORKING_MAX_ROWS;
}

/**
 * Steps worked in full when the later ones are summarised: in the forward pass t = 0 and t = 1
 * (the first with the recurrent term W h_{t-1}); in the outputs t = 0 (every step is alike); in
 * the backward pass t = T-1 and t = T-2 (the first with the term through the next step).
 */
export const FULL_FORWARD_STEPS = 2;
export const FULL_OUTPUT_STEPS = 1;
export const FULL_BACKWARD_STEPS = 2;

/**
 * A sum of T outer products: every term worked while the sum is short and its matrices narrow;
 * otherwise the first term worked and the sum's result given (the other terms are the same
 * computation), so 8 steps of 8×8 matrices do not wrap over pages.
 */
export function everyOuterTermWorked(T: number, rows: number, columns: number): boolean {
  return T <= 4 && rows <= 4 && columns <= 4;
}
