import { RnnExamError } from '../errors.ts';

/**
 * Permissions of what rnn-exam writes. Worked solutions, marking keys, the cohort key and the
 * manifest hold answers, so by default every file is created readable by its owner only (0600)
 * and every folder 0700. RNN_EXAM_OUTPUT_MODE (octal, e.g. 640 to let a marking group read)
 * widens that; folders get search (x) wherever they get read.
 */
export interface OutputModes { file: number; folder: number }

export const OUTPUT_MODE_VARIABLE = 'RNN_EXAM_OUTPUT_MODE';
const PRIVATE: OutputModes = { file: 0o600, folder: 0o700 };

export function outputModes(env: NodeJS.ProcessEnv = process.env): OutputModes {
  const text = env[OUTPUT_MODE_VARIABLE]?.trim();
  if (!text) return PRIVATE;
  if (!/^0?[0-7]{3}$/.test(text) || (Number.parseInt(text, 8) & 0o600) !== 0o600) {
    throw new RnnExamError({
      where: OUTPUT_MODE_VARIABLE, what: `${JSON.stringify(text)} is not a file mode rnn-exam can use`,
      fix: 'give three octal digits with owner read and write, e.g. 600 (the default: owner only) or 640 (group may read); or unset it',
    });
  }
  const file = Number.parseInt(text, 8) & 0o666;
  const folder = file | 0o700 | ((file & 0o044) >> 2);
  return { file, folder };
}
