import { createHmac } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson, checkOutputCompatible, fileEntry, readManifest, secretFingerprint, serializeManifest, sha256Hex, writeManifest,
  type Manifest,
} from '../../src/output/manifest.ts';
import { base, manifest, student } from './fixtures.ts';
import { rnnError, tempDir } from './helpers.ts';

describe('hashes and canonical JSON', () => {
  it('fingerprints a secret without revealing it', () => {
    const fp = secretFingerprint('correct horse battery staple');
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fp).toBe(createHmac('sha256', 'correct horse battery staple').update('rnn-exam/secret-fingerprint-v1').digest('hex').slice(0, 16));
    expect(secretFingerprint('another secret')).not.toBe(fp);
  });

  it('hashes strings and bytes alike', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
  });

  it('sorts keys at every level and ignores insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined }))
      .toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson([undefined, null, 'é'])).toBe('[null,null,"é"]');
  });
});

describe('serializeManifest', () => {
  it('is byte-stable whatever order students, files and keys were added in', () => {
    const a = manifest(['S2', 'S10', 'S1']);
    const reordered = {
      ...manifest([]),
      options: { only: ['S2', 'S1'], format: 'pdf' },
      students: ['S10', 'S1', 'S2'].map((id) => ({ ...student(id), files: [...student(id).files].reverse() })),
      cohortFiles: [...a.cohortFiles].reverse(),
    };
    // Same content, top-level keys inserted in the opposite order too.
    const b = Object.fromEntries(Object.entries(reordered).reverse()) as unknown as Manifest;
    const text = serializeManifest(a);
    expect(serializeManifest(b)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "format": "rnn-exam/manifest-v2",\n');
    const parsed = JSON.parse(text) as Manifest;
    expect(parsed.students.map((s) => s.id)).toEqual(['S1', 'S10', 'S2']);
    expect(parsed.students[0].files.map((f) => f.path)).toEqual(['S1/paper.pdf', 'S1/solution.pdf']);
    expect(parsed.cohortFiles.map((f) => f.path)).toEqual(['marking-key.csv', 'marking-key.pdf']);
    expect(text).not.toMatch(/"browser"|"shard"/);
  });

  it('includes the browser and shard when given', () => {
    const text = serializeManifest({ ...manifest([]), browser: 'Chromium 156.0.1', shard: { index: 1, count: 4 } });
    expect(JSON.parse(text)).toMatchObject({ browser: 'Chromium 156.0.1', shard: { index: 1, count: 4 } });
  });
});

describe('readManifest and writeManifest', () => {
  it('round-trips, and a missing manifest is undefined', async () => {
    const dir = await tempDir();
    expect(await readManifest(dir)).toBeUndefined();
    const m = manifest(['S1', 'S2']);
    await writeManifest(dir, m);
    const read = await readManifest(dir);
    expect(read && serializeManifest(read)).toBe(serializeManifest(m));
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(serializeManifest(m));
  });

  it('names the file and the fix for malformed JSON, a foreign format or a bad entry', async () => {
    const dir = await tempDir();
    const path = join(dir, 'manifest.json');
    const cases: Array<[string, RegExp]> = [
      ['{"format": "rnn-exam/manifest-v2",', /is not valid JSON/],
      ['{"format": "other-tool"}', /is not an rnn-exam manifest \(format "other-tool", expected "rnn-exam\/manifest-v2"\)/],
      ['[1, 2]', /is not an rnn-exam manifest \(format null/],
      [JSON.stringify({ ...manifest(['S1']), examId: 7 }), /is not a valid rnn-exam manifest \(examId: /],
      [serializeManifest(manifest(['S1'])).replace('"S1/paper.pdf"', '"../../etc/passwd"'),
        /students\.0\.files\.\d\.path: "\.\.\/\.\.\/etc\/passwd" is not a plain relative path/],
    ];
    for (const [text, what] of cases) {
      await writeFile(path, text);
      const message = await rnnError(() => readManifest(dir));
      expect(message.startsWith(`${path}: `), message).toBe(true);
      expect(message).toMatch(what);
      expect(message).toMatch(/Fix: delete it or re-run with --force\.$/);
      expect(await readManifest(dir, { force: true })).toBeUndefined();
    }
  });

  it('reports a manifest that cannot be read', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'manifest.json'));
    expect(await rnnError(() => readManifest(dir))).toMatch(/manifest\.json: cannot be read.*Fix: fix its permissions, or delete it or re-run with --force/);
  });
});

describe('checkOutputCompatible', () => {
  const existing = manifest(['S1']);
  const same = { examId: existing.examId, secretFingerprint: existing.secretFingerprint, examConfigSha256: existing.examConfigSha256 };

  it('accepts an empty folder and the same exam, secret and config', () => {
    expect(() => checkOutputCompatible(undefined, same, 'out', false)).not.toThrow();
    expect(() => checkOutputCompatible(existing, same, 'out', false)).not.toThrow();
  });

  it('refuses a different exam, secret or config unless forced, never printing fingerprints', async () => {
    const fix = 'Fix: use another --out folder, or pass --force to replace them.';
    expect(await rnnError(() => checkOutputCompatible(existing, { ...same, secretFingerprint: 'ffffffffffffffff' }, 'out', false)))
      .toBe(`out: this folder already holds papers made with a different secret. ${fix}`);
    expect(await rnnError(() => checkOutputCompatible(existing, { ...same, examConfigSha256: 'd'.repeat(64) }, 'out', false)))
      .toBe(`out: this folder already holds papers made from a different exam config. ${fix}`);
    const all = await rnnError(() => checkOutputCompatible(existing,
      { examId: 'other', secretFingerprint: 'ffffffffffffffff', examConfigSha256: 'd'.repeat(64) }, 'out', false));
    expect(all).toBe(`out: this folder already holds papers of exam 'comp4-2025' (this run is exam 'other'), ` +
      `made with a different secret and made from a different exam config. ${fix}`);
    expect(all).not.toMatch(/0123456789abcdef|ffffffffffffffff/);
    expect(() => checkOutputCompatible(existing, { ...same, examId: 'other', secretFingerprint: 'f' }, 'out', true)).not.toThrow();
  });

  it('compares the seed scheme when given', async () => {
    expect(await rnnError(() => checkOutputCompatible(existing, { ...same, seedScheme: 'rnn-exam/seed-v2' }, 'out', false)))
      .toMatch(/drawn with seed scheme 'rnn-exam\/seed-v1' \(this run uses 'rnn-exam\/seed-v2'\)/);
    expect(() => checkOutputCompatible(existing, { ...same, seedScheme: base().seedScheme }, 'out', false)).not.toThrow();
  });
});

describe('fileEntry', () => {
  it('hashes and sizes bytes under a posix path', async () => {
    expect(fileEntry('/out', 'S1\\paper.pdf', new Uint8Array([1, 2]))).toEqual({ path: 'S1/paper.pdf', sha256: sha256Hex(new Uint8Array([1, 2])), bytes: 2 });
    expect(fileEntry('/out', 'key.csv', 'é').bytes).toBe(2);
    expect(await rnnError(() => fileEntry('/out', '../x', 'a'))).toMatch(/refusing to use "\.\."/);
  });
});
