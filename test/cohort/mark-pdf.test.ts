import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { readZip } from './read-zip.ts';
import { answerRows, CSV_HEADER, EXAM_PATH, SECRET } from './simulated-cohort.ts';

/** The raw bytes of each ZIP entry (readZip gives text). */
function zipBytes(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const size = zip.readUInt32LE(at + 20), n = zip.readUInt16LE(at + 28), local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.set(zip.subarray(at + 46, at + 46 + n).toString('utf8'), inflateRawSync(zip.subarray(start, start + size)));
    at += 46 + n + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

describe('rnn-exam mark --pdf-feedback', () => {
  it('puts a PDF beside each feedback page, in roster order, the same bytes run after run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-exam-mark-pdf-'));
    const ids = ['32881907', '32904415', '32917736'];
    writeFileSync(join(dir, 'roster.csv'), `student_id,name\n${ids.map((id, i) => `${id},Student ${i}`).join('\n')}\n`);
    writeFileSync(join(dir, 'answers.csv'), `${CSV_HEADER}\n${ids.flatMap((id, i) => answerRows(id, i === 1 ? { kind: 'wrong', part: 'losses' } : { kind: 'rounded' })).join('\n')}\n`);
    const run = (out: string) => runCli(['mark', '--exam', EXAM_PATH, '--roster', join(dir, 'roster.csv'), '--answers', join(dir, 'answers.csv'), '--out', join(dir, out), '--pdf-feedback'], { env: { RNN_EXAM_SECRET: SECRET } });
    const first = run('a');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const zip = readFileSync(join(dir, 'a', 'feedback.zip'));
    const entries = zipBytes(zip);
    expect([...entries.keys()]).toEqual(ids.flatMap((id) => [`feedback-${id}.html`, `feedback-${id}.pdf`]));
    for (const id of ids) {
      const pdf = entries.get(`feedback-${id}.pdf`)!;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(5_000);
    }
    expect(readZip(zip).get(`feedback-${ids[1]}.html`)).toContain('3.3 Losses');
    expect(run('b').status).toBe(0);
    expect(readFileSync(join(dir, 'b', 'feedback.zip')).equals(zip)).toBe(true);
  }, 240_000);
});
