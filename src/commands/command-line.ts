import type { Argv } from 'yargs';

/**
 * A mistake on the command line (unknown or misspelt option, missing value, bad number or
 * choice, extra argument): exit 2, before any file is read or written.
 */
export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

interface YargsOptions { key: Record<string, unknown>; alias: Record<string, string[]>; string: string[]; array: string[]; boolean: string[] }

/** The options the command being run understands, recorded before yargs validates (for "did you mean"). */
let knownOptions: string[] = [];

/**
 * Checks yargs leaves to us, run before its own validation for whichever command is chosen:
 * an unknown option (first, so that "--parms" is not reported as a missing --params), a
 * value-taking option given without a value ("--out" at the end of the line is not the
 * folder ""), or given twice where only one value is used.
 */
export function commandLineChecks(y: Argv, rawArgs: string[]): Argv {
  const check = (argv: Record<string, unknown>, inner: { getOptions(): YargsOptions }) => {
    const options = inner.getOptions();
    const aliases = Object.values(options.alias ?? {}).flat();
    knownOptions = [...new Set([...Object.keys(options.key), ...aliases])].filter((k) => k.length > 1 && !/[A-Z]/.test(k));
    const known = new Set([...Object.keys(options.key), ...aliases]);
    const unknown = optionNames(rawArgs).filter((name) => !known.has(name) && !known.has(name.replace(/^no-/, '')));
    if (unknown.length > 0) throw new CommandLineError(withSuggestions(`Unknown arguments: ${unknown.join(', ')}`, rawArgs));
    for (const key of Object.keys(options.key)) {
      if (/[A-Z]/.test(key) || !(key in argv) || options.boolean.includes(key)) continue;
      const value = argv[key] as unknown;
      // yargs makes a list of an option given twice, which code expecting one value misreads.
      if (Array.isArray(value) && !options.array.includes(key)) throw new CommandLineError(`--${key} is given ${value.length} times; give it once`);
      if (options.string.includes(key) && (Array.isArray(value) ? value : [value]).some((v) => v === '')) throw new CommandLineError(`--${key} needs a value`);
    }
    return argv;
  };
  // yargs passes the command's own instance as the second argument; its typings omit it.
  return y.middleware(check as never, true);
}

/** The option names typed: "--out=x" → "out", "-h" → "h"; "--" ends the options, "-1" is a value. */
function optionNames(rawArgs: string[]): string[] {
  const end = rawArgs.indexOf('--');
  return (end < 0 ? rawArgs : rawArgs.slice(0, end))
    .filter((arg) => /^-{1,2}[^-\d]/.test(arg))
    .flatMap((arg) => (arg.startsWith('--') ? [arg.slice(2).split('=')[0]] : [...arg.slice(1).split('=')[0]]));
}

/**
 * yargs' failure callback. Its own checks (strict mode, choices, missing values, our coerce
 * functions) become a CommandLineError; an error thrown by a command's handler is passed on
 * unchanged. Throwing is what stops yargs from running the handler after a failed check.
 */
export function commandLineFailure(rawArgs: string[]) {
  return (message: string | null | undefined, error: Error | undefined): never => {
    if (error && error.name !== 'YError') throw error;
    throw new CommandLineError(withSuggestions(message ?? error?.message ?? 'invalid command line', rawArgs));
  };
}

/** "Unknown argument: attemp" → "unknown option --attemp (did you mean --attempt?)". */
function withSuggestions(message: string, rawArgs: string[]): string {
  const noValue = /^Not enough arguments following: (.+)$/.exec(message);
  if (noValue) return `--${noValue[1]} needs a value`;
  const choices = [...message.matchAll(/Argument: (\S+), Given: (.+), Choices: (.+)/g)];
  if (choices.length > 0) return choices.map(([, option, given, allowed]) => `--${option} must be one of ${allowed}, not ${given}`).join('\n');
  const command = /^Did you mean (\S+)\?$/.exec(message);
  if (command) {
    // yargs suggests any command within 3 edits ("foo" → show); only a near miss is worth naming.
    const near = closest(rawArgs[0] ?? '', [command[1]]);
    return `unknown command ${JSON.stringify(rawArgs[0])}${near ? ` (did you mean ${near}?)` : ''}`;
  }
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (!unknown) return message;
  const typed = new Set(rawArgs.filter((a) => a.startsWith('-')).map((a) => a.replace(/^-+/, '').split('=')[0]));
  return unknown[1].split(', ').map((name) => {
    const guess = knownOptions.length > 0 && name.length > 1 ? closest(name, knownOptions) : undefined;
    const hint = guess ? ` (did you mean --${guess}?)` : '';
    if (name === rawArgs[0]) return `unknown command ${JSON.stringify(name)}`;
    // yargs reports an extra positional ("generate extra") the same way as an unknown option.
    if (!typed.has(name)) return `unexpected argument ${JSON.stringify(name)}: every value belongs to an option (e.g. --student ID); quote a value that contains spaces`;
    return `unknown option ${name.length === 1 ? '-' : '--'}${name}${hint}`;
  }).join('\n');
}

/** The known option nearest to `name` by edit distance, when it is close enough to be a typo. */
export function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const allowed = Math.max(1, Math.floor(Math.max(name.length, 3) / 3));
  const isPrefix = best !== undefined && name.length >= 3 && best.startsWith(name);
  return best !== undefined && (bestDistance <= allowed || isPrefix) ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment): "studnet" is one swap from "student". */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * A whole-number option within bounds, for yargs' `coerce`: "0", "1.5", "abc", "-1", a
 * missing value or the option given twice are refused (yargs turns the throw into exit 2).
 */
export function wholeNumber(option: string, min: number, max: number): (raw: unknown) => number | undefined {
  return (raw) => {
    if (raw === undefined) return undefined;
    if (Array.isArray(raw)) throw new Error(`--${option} is given ${raw.length} times; give it once`);
    const text = String(raw).trim();
    const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (text === '') throw new Error(`--${option} needs a value: a whole number from ${min} to ${max}`);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`--${option} must be a whole number from ${min} to ${max}, not ${JSON.stringify(String(raw))}`);
    }
    return value;
  };
}

/** A whole-number option, read as text so that "abc" or "0x10" reaches the check as typed instead of as NaN or 16. */
export function wholeNumberOption(option: string, min: number, max: number, extra: { describe: string; default?: number }) {
  return { type: 'string', requiresArg: true, coerce: wholeNumber(option, min, max), ...extra } as const;
}

/** Attempts beyond this are a typo, not a re-sit; also bounds `trace --max-attempt`. */
export const MAX_ATTEMPT = 100;
