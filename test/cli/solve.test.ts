import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRnnParams, solutionToJson, solveRnn } from '../../src/engine/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const SAMPLE = new URL('../engine/fixtures/sample-params.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-solve-'));
function paramsFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const good = { U: [[1, 2], [0, 1], [1, 1]], W: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], V: [[1, 0, 1], [0, 1, 1]], b: [0, 1, 0], c: [1, 0], x: [[1, 0], [0, 1]], y: [1, 0] };

describe('rnn-exam solve', () => {
  it('--json prints one object with every quantity at full precision', () => {
    const result = runCli(['solve', '--params', SAMPLE, '--json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(Object.keys(out)).toEqual(['hbar', 'h', 'z', 'yhat', 'loss', 'L', 'grad']);
    expect(Object.keys(out.grad)).toEqual(['z', 'h', 'hbar', 'V', 'c', 'U', 'W', 'b']);
    expect(out.L).toBe(2.014377146624615);
    expect(out.h[0][0]).toBe(Math.tanh(-1));
  });

  it('accepts one-hot targets, non-square sizes and lossReduction "sum"', () => {
    const oneHot = { ...good, y: [[0, 1], [1, 0]], lossReduction: 'sum' };
    const result = runCli(['solve', '--params', paramsFile('onehot.json', JSON.stringify(oneHot)), '--json']);
    expect(result.status).toBe(0);
    const expected = solutionToJson(solveRnn(parseRnnParams({ ...good, lossReduction: 'sum' })));
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('prints a readable summary to 3 significant figures without --json', () => {
    const result = runCli(['solve', '--params', SAMPLE]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('L = 2.01');
    expect(result.stdout).toContain('l = 0.310');
    expect(result.stdout).toMatch(/dL\/dU =\n\s+\[-0\.315, 0\.324, 0\]/);
  });

  const badCases: Array<[string, string, RegExp[]]> = [
    ['missing key', JSON.stringify({ ...good, V: undefined }), [/V: missing/]],
    ['wrong shape of W', JSON.stringify({ ...good, W: [[1, 0], [0, 1]] }), [/W: expected a 3×3 matrix \(hidden × hidden\), found 2×2/]],
    ['wrong length of b and c', JSON.stringify({ ...good, b: [1], c: [1, 2, 3] }), [/b: expected a vector of length 3 .* found length 1/, /c: expected a vector of length 2 .* found length 3/]],
    ['ragged x', JSON.stringify({ ...good, x: [[1, 0], [1]] }), [/x\[1\]: every row must have 2 entries like row 0, found 1/]],
    ['y out of range', JSON.stringify({ ...good, y: [1, 2] }), [/y\[1\]: class index 2 is out of range: expected 0\.\.1/]],
    ['y of the wrong length', JSON.stringify({ ...good, y: [1] }), [/y: expected 2 targets .* found 1/]],
    ['a non-number', JSON.stringify({ ...good, U: [[1, '2'], [0, 1], [1, 1]] }), [/U\[0\]\[1\]: expected a number, found string "2"/]],
    ['bad lossReduction', JSON.stringify({ ...good, lossReduction: 'avg' }), [/lossReduction: expected "mean" or "sum", found "avg"/]],
    ['unknown key', JSON.stringify({ ...good, lossreduction: 'sum' }), [/unknown key 'lossreduction'/]],
    ['invalid JSON', '{\n  "U": [[1, 2],\n  "W": }\n', [/line 3 column 6: invalid JSON: unexpected ":"/]],
    ['not an object', '[1, 2]', [/expected a JSON object/]],
  ];
  for (const [name, content, messages] of badCases) {
    it(`rejects ${name} with a message naming the key`, () => {
      const path = paramsFile(`${name.replace(/\W+/g, '-')}.json`, content);
      const result = runCli(['solve', '--params', path, '--json']);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      for (const message of messages) expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain(path);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('rejects an unreadable file', () => {
    const result = runCli(['solve', '--params', join(dir, 'nope.json')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/nope\.json: file not found/);
  });
});
