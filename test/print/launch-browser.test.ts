import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RnnExamError } from '../../src/errors.ts';
import * as find from '../../src/print/find-browser.ts';
import { browserVersion, launchBrowser } from '../../src/print/launch-browser.ts';

vi.mock('../../src/print/find-browser.ts', async (importOriginal) => {
  const original = await importOriginal<typeof find>();
  return { ...original, findBrowser: vi.fn(original.findBrowser) };
});


describe('launchBrowser', () => {
  afterEach(() => vi.mocked(find.findBrowser).mockRestore());

  it('explains how to install a browser when none is found', async () => {
    vi.mocked(find.findBrowser).mockReturnValue(undefined);
    const error = await launchBrowser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RnnExamError);
    expect((error as RnnExamError).problems[0]).toMatchObject({ where: 'browser', fix: find.INSTALL_BROWSER_HINT });
  });

  it('names a missing executable', async () => {
    const error = await launchBrowser({ executablePath: '/nonexistent/chrome-for-test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RnnExamError);
    expect((error as Error).message).toContain('/nonexistent/chrome-for-test');
    expect((error as RnnExamError).problems[0].fix).toMatch(/RNN_EXAM_BROWSER/);
  });

  it('names an executable that is not a browser', async () => {
    const error = await launchBrowser({ executablePath: '/bin/false' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RnnExamError);
    expect((error as Error).message).toMatch(/could not start \/bin\/false: \S/);
  });

  it('uses a fresh profile directory and removes it on close', async () => {
    const browser = await launchBrowser();
    const arg = browser.process()?.spawnargs.find((a) => a.startsWith('--user-data-dir='));
    const dir = arg?.slice('--user-data-dir='.length) ?? '';
    expect(dir).toMatch(/rnn-exam-chrome-/);
    expect(existsSync(dir)).toBe(true);
    expect(await browserVersion(browser)).toMatch(/Chrom/);
    await browser.close();
    expect(existsSync(dir)).toBe(false);
  });
});
