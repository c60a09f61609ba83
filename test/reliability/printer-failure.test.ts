import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { readManifest, verifyFilesAgainstManifest } from '../../src/output/manifest.ts';
import { generate, type GenerateOptions } from '../../src/pipeline/generate.ts';
import type { PrintDocument } from '../../src/print/pdf-printer.ts';
import { EXAMPLE_EXAM, tempDir, writeText } from './helpers.ts';

/**
 * The browser dies or a page hangs in the middle of a batch: the printer replaces it and the
 * run finishes. A student whose documents keep failing is reported, the others are kept, and
 * a re-run makes only that student. Failures are injected through the library's test hook.
 */
const dir = tempDir('printer-failure');
const roster = writeText(dir, 'roster.csv', 'Student ID,Full name\nA-001,Ann Lee\nB-002,Bo Chen\nC-003,Cy Diaz\n');
const options = (outDir: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({
  examPath: EXAMPLE_EXAM, rosterPath: roster, outDir, only: 'papers', format: 'pdf', concurrency: 1,
  env: { RNN_EXAM_SECRET: 'printer-failure-secret-0123' }, ...extra,
});
const isFor = (doc: PrintDocument, id: string) => doc.label?.startsWith(id) ?? doc.html.includes(id);

async function expectConsistent(outDir: string, ids: string[]) {
  const manifest = (await readManifest(outDir))!;
  expect(manifest.students.map((s) => s.id)).toEqual(ids);
  const check = await verifyFilesAgainstManifest(outDir, manifest);
  expect(check).toMatchObject({ missing: [], changed: [], foreign: [] });
}

describe('generate when printing fails mid-batch', () => {
  it('a killed browser and a hung page are replaced, and every student is printed', async () => {
    const outDir = join(dir, 'recovered');
    const events: string[] = [];
    const beforeAttempt = async (page: Page, attempt: number, doc: PrintDocument) => {
      if (isFor(doc, 'B-002') && attempt === 1) {
        events.push('kill');
        page.browser().process()?.kill('SIGKILL');
      }
      if (isFor(doc, 'C-003') && attempt === 1) {
        events.push('hang');
        await new Promise(() => {});
      }
    };
    const summary = await generate(options(outDir, { printerOptions: { beforeAttempt, pageTimeoutMs: 8_000 } }));
    expect(events).toEqual(['kill', 'hang']);
    expect(summary).toMatchObject({ students: 3, written: 3, skipped: 0, failed: [], interrupted: false });
    await expectConsistent(outDir, ['A-001', 'B-002', 'C-003']);
  }, 120_000);

  it('a student who always fails is reported; the others are kept; a re-run makes only that one', async () => {
    const outDir = join(dir, 'one-fails');
    const beforeAttempt = (_page: Page, _attempt: number, doc: PrintDocument) => {
      if (isFor(doc, 'B-002')) throw new Error('simulated renderer crash');
    };
    const first = await generate(options(outDir, { printerOptions: { beforeAttempt } }));
    expect(first).toMatchObject({ written: 2, skipped: 0, interrupted: false });
    expect(first.failed).toEqual([{ id: 'B-002', error: expect.stringMatching(/Chromium failed to print the document 3 times \(simulated renderer crash\)/) }]);
    expect(existsSync(join(outDir, 'B-002'))).toBe(false); // a failed student leaves nothing behind
    await expectConsistent(outDir, ['A-001', 'C-003']);

    const second = await generate(options(outDir));
    expect(second).toMatchObject({ written: 1, skipped: 2, failed: [] });
    await expectConsistent(outDir, ['A-001', 'B-002', 'C-003']);
  }, 120_000);
});
