import { readFile } from 'node:fs/promises';
import { RnnExamError } from '../errors.ts';

export const MIN_SECRET_LENGTH = 16;
const MAKE_ONE = 'make one with `openssl rand -hex 32 > exam.secret` (keep it private and backed up: it is needed to regenerate papers for appeals), ' +
  'then pass --secret-file exam.secret or set RNN_EXAM_SECRET';

/** The staff-held secret, from --secret-file or RNN_EXAM_SECRET; never printed anywhere. */
export async function readSecret(options: { secretFile?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  const env = options.env ?? process.env;
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
  } else if (env.RNN_EXAM_SECRET !== undefined) {
    where = 'RNN_EXAM_SECRET';
    secret = env.RNN_EXAM_SECRET.trim();
  } else {
    throw new RnnExamError({ where: 'secret', what: 'no secret given: seeds are derived from a staff-held secret', fix: MAKE_ONE });
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RnnExamError({ where, what: `the secret is too short (${secret.length} characters; at least ${MIN_SECRET_LENGTH} needed so that papers cannot be predicted)`, fix: MAKE_ONE });
  }
  return secret;
}
