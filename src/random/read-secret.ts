import { readFile, stat } from 'node:fs/promises';
import { RnnExamError } from '../errors.ts';
import { MIN_SECRET_BITS, secretStrengthBits } from './secret-strength.ts';

export const MIN_SECRET_LENGTH = 16;
const MAKE_ONE = 'make one with `openssl rand -hex 32 > exam.secret` (keep it private and backed up: it is needed to regenerate papers for appeals), ' +
  'then pass --secret-file exam.secret or set RNN_EXAM_SECRET';

/** The secret `npm start` uses (scripts/demo.mjs): published, so anyone can recompute its papers. */
export const DEMO_SECRET = 'rnn-exam-demo-secret-NOT-FOR-REAL-EXAMS';
/** set to 1 (as `npm start` does) to allow the demo secret */
export const ALLOW_DEMO_SECRET = 'RNN_EXAM_ALLOW_DEMO_SECRET';

/**
 * The staff-held secret, from --secret-file or RNN_EXAM_SECRET; never printed anywhere. The
 * published demo secret is refused outside the demo, and so is a secret that is short, repetitive
 * or word-like: one printed paper code lets anyone test guesses offline. A secret file that group
 * or others may read is warned about.
 */
export async function readSecret(options: { secretFile?: string; env?: NodeJS.ProcessEnv; warn?: (message: string) => void }): Promise<string> {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`rnn-exam: warning: ${message}\n`));
  let secret: string;
  let where: string;
  if (options.secretFile) {
    where = options.secretFile;
    try {
      secret = (await readFile(options.secretFile, 'utf8')).trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new RnnExamError({
        where, what: `the secret file cannot be read (${code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder, not a file' : code})`,
        fix: `check the path and its permissions, or ${MAKE_ONE}`,
      });
    }
    const mode = await stat(options.secretFile).then((info) => info.mode, () => 0);
    if (process.platform !== 'win32' && (mode & 0o044) !== 0) {
      warn(`${options.secretFile} can be read by ${(mode & 0o004) ? 'every user on this machine' : 'its group'}: anyone who reads it can recompute every paper and answer. Run \`chmod 600 ${options.secretFile}\`.`);
    }
  } else if (env.RNN_EXAM_SECRET !== undefined) {
    where = 'RNN_EXAM_SECRET';
    secret = env.RNN_EXAM_SECRET.trim();
  } else {
    throw new RnnExamError({ where: 'secret', what: 'no secret given: seeds are derived from a staff-held secret', fix: MAKE_ONE });
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RnnExamError({ where, what: `the secret is too short (${secret.length} characters; at least ${MIN_SECRET_LENGTH} needed so that papers cannot be predicted)`, fix: MAKE_ONE });
  }
  if (secret === DEMO_SECRET) {
    if (env[ALLOW_DEMO_SECRET] === '1') return secret;
    throw new RnnExamError({
      where, what: 'this is the published demo secret: anyone can recompute every paper, answer and paper code made with it',
      fix: `${MAKE_ONE} (to try the tool with it anyway, set ${ALLOW_DEMO_SECRET}=1, as \`npm start\` does)`,
    });
  }
  const bits = secretStrengthBits(secret);
  if (bits < MIN_SECRET_BITS) {
    throw new RnnExamError({
      where, what: `the secret is too easy to guess (about ${Math.floor(bits)} bits: repeated characters, runs like 1234 or common words; at least ${MIN_SECRET_BITS} needed): one printed paper code lets anyone test guesses offline`,
      fix: MAKE_ONE,
    });
  }
  return secret;
}
