import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossEntropyFromLogits } from '../../src/engine/index.ts';
import { runCli } from '../helpers/run-cli.ts';

describe('solve on extreme numbers', () => {
  it('exits 1 with a clear message when results are not finite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-finite-'));
    const path = join(dir, 'huge.json');
    writeFileSync(path, JSON.stringify({ U: [[1e308, 1e308]], W: [[1]], V: [[1e308], [-1e308]], b: [0], c: [0, 0], x: [[1e308, 1e308]], y: [0] }));
    const run = runCli(['solve', '--params', path, '--json']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('non-finite results');
    expect(run.stderr).toContain('huge.json');
  });

  it('loss from logits is exact for huge logits and matches the naive formula for small ones', () => {
    expect(crossEntropyFromLogits([1e16, 1e16 + 2], 0)).toBeCloseTo(2 + Math.log(1 + Math.exp(-2)), 12);
    expect(crossEntropyFromLogits([1e16, 1e16 + 2], 1)).toBeCloseTo(Math.log(1 + Math.exp(-2)), 12);
    expect(crossEntropyFromLogits([1e300, 0], 1)).toBe(1e300);
    const z = [0.3, -1.2, 2];
    expect(crossEntropyFromLogits(z, 1)).toBeCloseTo(-Math.log(Math.exp(-1.2) / z.reduce((s, x) => s + Math.exp(x), 0)), 14);
  });
});
