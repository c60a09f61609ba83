import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputStream } from '../../src/cohort/output-stream.ts';

describe('OutputStream', () => {
  it('writes many pieces in order, visible only once closed, with their sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-stream-'));
    const path = join(dir, 'out.csv');
    writeFileSync(path, 'old');
    const s = new OutputStream(path);
    const pieces = Array.from({ length: 500 }, (_, i) => `line ${i}\n`);
    for (const p of pieces) await s.write(p);
    expect(readFileSync(path, 'utf8')).toBe('old');
    const { sha256, bytes } = await s.close();
    const text = pieces.join('');
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(bytes).toBe(Buffer.byteLength(text));
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('aborted: the old file stays and no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-stream-'));
    const path = join(dir, 'out.csv');
    writeFileSync(path, 'old');
    const s = new OutputStream(path);
    for (let i = 0; i < 200; i++) await s.write(`piece ${i}\n`);
    await s.abort(new Error('marking failed'));
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('a write that cannot happen fails the producer instead of leaving it waiting', async () => {
    const s = new OutputStream(join(tmpdir(), 'no-such-folder-rnn-exam', 'out.csv'));
    await expect((async () => { for (let i = 0; i < 1000; i++) await s.write(`piece ${i}\n`); })()).rejects.toThrow(/cannot be written/);
  });
});
