import type { ExamConfig } from '../config/exam-schema.ts';
import { assertDistinctDraws, drawStudent, type StudentDraw } from '../random/draw-student.ts';
import type { RosterStudent } from '../roster/parse-roster.ts';

/** Draws kept from the roster check for the run (~45 KB each at the example's shape): beyond this, students are drawn again when needed. */
export const KEPT_DRAWS_LIMIT = 1000;

/**
 * The draws of one run: a quality-checked draw costs ~10 ms and a batch needs each student's
 * three times (the roster check, the student's documents, the cohort key). The first
 * KEPT_DRAWS_LIMIT are kept from the roster check and handed out as often as the run will ask, then let go; any
 * other is drawn anew, which gives the same draw (it is a function of secret, exam and student).
 */
export class RunDraws {
  readonly #kept = new Map<string, { draw: StudentDraw; left: number }>();

  /** `usesOf(id)`: how often the run will take this student's draw after the roster check (0: none, not kept) */
  constructor(private readonly secret: string, private readonly exam: ExamConfig, private readonly source: string, private readonly usesOf: (id: string) => number) {}

  keep(draw: StudentDraw): void {
    const uses = this.usesOf(draw.student.id);
    if (this.#kept.size < KEPT_DRAWS_LIMIT && uses > 0) this.#kept.set(keyOf(draw.student.id, draw.attempt), { draw, left: uses });
  }

  /** The student's draw at `attempt`: the kept one (let go after its last use), else drawn anew. */
  take(student: RosterStudent, attempt: number): StudentDraw {
    const key = keyOf(student.id, attempt);
    const kept = this.#kept.get(key);
    // A kept draw is only used for the very same name: the name is printed and is part of the draw.
    if (kept === undefined || kept.draw.student.name !== student.name) return drawStudent(this.secret, this.exam, student, attempt, this.source);
    if (--kept.left === 0) this.#kept.delete(key);
    return kept.draw;
  }

  get keptCount(): number {
    return this.#kept.size;
  }
}

const keyOf = (id: string, attempt: number) => `${attempt}\u0000${id}`;

/**
 * Draws every student once before anything is written (every draw possible, no two alike),
 * giving the event loop a turn between students: a slow config (many rejected draws) on a
 * long roster can take minutes, and Ctrl-C or SIGTERM must be heard meanwhile. Stops at once,
 * with `onAbort()`'s error, when `signal` is aborted. The draws go to `draws` (which keeps
 * what it can for the rest of the run).
 */
export async function checkRosterDraws(
  secret: string, exam: ExamConfig, roster: RosterStudent[], attempt: number, source: string,
  signal?: AbortSignal, onAbort: () => Error = () => new Error('interrupted'), draws?: RunDraws,
): Promise<void> {
  const hashes = [];
  for (const student of roster) {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw onAbort();
    const draw = drawStudent(secret, exam, student, attempt, source);
    draws?.keep(draw);
    hashes.push({ student, paramsHash: draw.paramsHash });
  }
  assertDistinctDraws(hashes, source);
}
