import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_EXAM, runCliAsync, snapshot, tempDir, writeText, type CliResult } from '../reliability/helpers.ts';

/**
 * Any mistake on the command line stops before work starts: exit 2, nothing on stdout,
 * nothing written, one message saying what is wrong (with "did you mean" for a typo).
 */
const SECRET = 'command-line-secret-0123456789abcdef';
const dir = tempDir('command-line');
const roster = writeText(dir, 'roster.csv', 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\n');
const out = join(dir, 'out');
const exam = ['--exam', EXAMPLE_EXAM];
const env = { RNN_EXAM_SECRET: SECRET };

function expectRefused(result: CliResult, message: RegExp): void {
  expect(result.stdout, result.stderr).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.status, result.stderr).toBe(2);
}

interface Case { name: string; args: string[]; message: RegExp }

const generate = ['generate', ...exam, '--roster', roster, '--out', out, '--format', 'html'];
const misspelt: Case[] = [
  { name: 'generate --attemp', args: [...generate, '--attemp', '2', '--student', 'A-001'], message: /unknown option --attemp \(did you mean --attempt\?\)/ },
  { name: 'generate --studnet', args: [...generate, '--studnet', 'A-001'], message: /unknown option --studnet \(did you mean --student\?\)/ },
  { name: 'generate --forse', args: [...generate, '--forse'], message: /unknown option --forse \(did you mean --force\?\)/ },
  { name: 'show --studnet', args: ['show', ...exam, '--studnet', 'A-001'], message: /unknown option --studnet \(did you mean --student\?\)/ },
  { name: 'solve --parms', args: ['solve', '--parms', 'examples/sample-params.json'], message: /unknown option --parms \(did you mean --params\?\)/ },
  { name: 'check --answer', args: ['check', ...exam, '--student', 'A-001', '--answer', 'a.json'], message: /unknown option --answer \(did you mean --answers\?\)/ },
  { name: 'regenerate --studnet', args: ['regenerate', ...exam, '--roster', roster, '--studnet', 'A-001'], message: /did you mean --student\?/ },
  { name: 'verify --outt', args: ['verify', '--outt', out], message: /unknown option --outt \(did you mean --out\?\)/ },
  { name: 'trace --max-attempts', args: ['trace', ...exam, '--roster', roster, '--code', 'AAAA-BBBB', '--max-attempts', '3'], message: /did you mean --max-attempt\?/ },
  { name: 'merge-manifests --rooster', args: ['merge-manifests', '--rooster', roster, '--out', out, dir], message: /did you mean --roster\?/ },
  { name: 'a misspelt command', args: ['genrate', ...exam], message: /unknown command "genrate" \(did you mean generate\?\)/ },
  { name: 'an extra positional argument', args: [...generate, 'A-001'], message: /unexpected argument "A-001"/ },
  { name: 'a missing value', args: ['generate', ...exam, '--roster', roster, '--format', 'html', '--out'], message: /--out needs a value/ },
  { name: 'a bad choice', args: [...generate, '--only', 'paper'], message: /--only must be one of "papers", "booklets", "solutions", "keys", not "paper"/ },
  { name: 'a value-taking option given twice', args: [...generate, '--roster', roster], message: /--roster is given 2 times; give it once/ },
  { name: 'a malformed --shard', args: [...generate, '--shard', '3/2'], message: /--shard: "3\/2" is not a shard K\/N/ },
];

const numbers: Case[] = [];
for (const bad of ['0', '1.5', 'abc', '-1', '1e2', '']) {
  numbers.push({ name: `generate --attempt ${JSON.stringify(bad)}`, args: [...generate, '--attempt', bad], message: bad === '' ? /--attempt needs a value/ : /--attempt must be a whole number from 1 to 100/ });
}
numbers.push(
  { name: 'generate --concurrency abc', args: [...generate, '--concurrency', 'abc'], message: /--concurrency must be a whole number from 1/ },
  { name: 'generate --concurrency 0', args: [...generate, '--concurrency', '0'], message: /--concurrency must be a whole number from 1/ },
  { name: 'show --attempt 0', args: ['show', ...exam, '--student', 'A-001', '--attempt', '0'], message: /--attempt must be a whole number/ },
  { name: 'regenerate --attempt 1.5', args: ['regenerate', ...exam, '--roster', roster, '--student', 'A-001', '--attempt', '1.5'], message: /--attempt must be a whole number/ },
  { name: 'trace --max-attempt abc', args: ['trace', ...exam, '--roster', roster, '--code', 'AAAA-BBBB', '--max-attempt', 'abc'], message: /--max-attempt must be a whole number from 1 to 100/ },
  { name: 'solve --digits 1.5', args: ['solve', '--params', 'examples/sample-params.json', '--digits', '1.5'], message: /--digits must be a whole number/ },
  { name: 'check --question-number -1', args: ['check', '--params', 'examples/sample-params.json', '--answers', 'x.json', '--question-number', '-1'], message: /--question-number must be a whole number from 1/ },
  { name: 'check --gradient-step abc', args: ['check', '--params', 'examples/sample-params.json', '--answers', 'x.json', '--gradient-step', 'abc'], message: /--gradient-step must be a whole number from 0/ },
  { name: 'check --digits 0', args: ['check', '--params', 'examples/sample-params.json', '--answers', 'x.json', '--digits', '0'], message: /--digits must be a whole number from 2 to 6/ },
);

describe('command-line mistakes stop before any work, exit 2', () => {
  it.concurrent.each([...misspelt, ...numbers])('$name', async (c) => {
    const result = await runCliAsync(c.args, { env });
    expectRefused(result, c.message);
    expect(result.stderr).toMatch(/Run 'rnn-exam .*--help' for the options/);
    expect(snapshot(out)).toBe('absent');
  });

  it('--concurrency beyond a few pages per core is capped, with a message', async () => {
    const result = await runCliAsync([...generate, '--concurrency', '1000', '--student', 'A-001', '--only', 'papers', '--json'], { env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/--concurrency 1000 is more than this machine can use; printing \d+ pages at once \(4 per core\)/);
    expect(JSON.parse(result.stdout)).toMatchObject({ written: 1 });
  });
});
