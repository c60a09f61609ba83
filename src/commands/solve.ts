import type { CommandModule } from 'yargs';
import { parseRnnParams, solutionToJson, solveRnn } from '../engine/index.ts';
import { nonFiniteEntries } from '../engine/non-finite.ts';
import { RnnExamError } from '../errors.ts';
import { readJsonFile } from '../io/read-json-file.ts';
import { formatSolveSummary } from '../solution/solve-summary.ts';
import { wholeNumberOption } from './command-line.ts';

interface SolveArgs { params: string; json: boolean; digits: number }

export function solveCommand(_setExit: (code: number) => void): CommandModule<object, SolveArgs> {
  return {
    command: 'solve',
    describe: 'Forward pass, losses and BPTT gradients for one parameter file',
    builder: (y) => y
      .option('params', { type: 'string', demandOption: true, describe: 'JSON file with U, W, V, b, c, x, y [, lossReduction]' })
      .option('json', { type: 'boolean', default: false, describe: 'print every quantity as one JSON object, full precision' })
      .option('digits', wholeNumberOption('digits', 1, 17, { default: 3, describe: 'significant figures for the readable summary' })) as never,
    handler: async (args) => {
      const params = parseRnnParams(await readJsonFile(args.params), args.params);
      const solution = solveRnn(params);
      const bad = nonFiniteEntries(solutionToJson(solution));
      if (bad.length > 0) {
        throw new RnnExamError({
          where: args.params,
          what: `the parameters give non-finite results (${bad.join(', ')})`,
          fix: 'use smaller values: the entries overflow in double precision',
        });
      }
      process.stdout.write(args.json
        ? `${JSON.stringify(solutionToJson(solution))}\n`
        : `${formatSolveSummary(params, solution, args.digits)}\n`);
    },
  };
}
