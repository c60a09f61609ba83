import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { RnnExamError } from '../errors.ts';
import { writeBrowserFontconfig } from './browser-fontconfig.ts';
import { findBrowser, INSTALL_BROWSER_HINT } from './find-browser.ts';

/**
 * Flags for a quiet, offline, reproducible print browser: no GPU, no background
 * traffic (updates, sync, QUIC probes), /tmp instead of a small /dev/shm in containers,
 * and no font hinting so glyph outlines do not depend on the host's hinting settings.
 * The resolver rule makes every host (IP literals too) unresolvable: request interception
 * cannot see preconnects (`<link rel=preconnect>`, iframes), which otherwise open TCP
 * connections; documents only ever need data: URLs.
 */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

export interface LaunchOptions {
  /** a Chrome/Chromium binary; default: findBrowser() */
  executablePath?: string;
}

/**
 * Starts headless Chromium with a fresh profile in a temporary directory, removed when
 * the browser process exits (close or crash), so runs never share cache or state.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? findBrowser()?.executablePath;
  if (!executablePath) {
    throw new RnnExamError({
      where: 'browser',
      what: 'no Chrome or Chromium was found to print the PDFs with',
      fix: INSTALL_BROWSER_HINT,
    });
  }

  const userDataDir = mkdtempSync(join(tmpdir(), 'rnn-exam-chrome-'));
  // Best effort, never a throw: when the browser is killed, its child processes can still be
  // writing to the profile for a moment (ENOTEMPTY), and this runs from an 'exit' event, where a
  // throw would bring the whole run down. Whatever is left is tried again a little later.
  const tryRemove = (): boolean => {
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      return true;
    } catch {
      return false;
    }
  };
  const removeProfile = () => {
    if (!tryRemove()) setTimeout(tryRemove, 1000).unref();
  };
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // A pipe instead of a debugging port: nothing else on the machine can attach.
      pipe: true,
      userDataDir,
      args: BROWSER_ARGS,
      env: { ...process.env, FONTCONFIG_FILE: writeBrowserFontconfig(userDataDir) },
      defaultViewport: null,
      timeout: 30_000,
    });
  } catch (error) {
    removeProfile();
    throw new RnnExamError({
      where: 'browser',
      what: `could not start ${executablePath}: ${firstLine(error)}`,
      fix: 'set RNN_EXAM_BROWSER to a working Chrome/Chromium binary, or install one ' +
        '(Debian/Ubuntu: `sudo apt-get install -y chromium`)',
    }, { cause: error });
  }

  // The process may exit before close() resolves (crash) or after (normal close): remove the
  // profile on exit, and make close() wait for the removal so callers can rely on it.
  browser.process()?.once('exit', removeProfile);
  const close = browser.close.bind(browser);
  browser.close = async () => {
    try {
      await close();
    } finally {
      removeProfile();
    }
  };
  return browser;
}

/** e.g. "Chrome/156.0.8078.108" or "HeadlessChrome/156…", for manifests and messages. */
export async function browserVersion(browser: Browser): Promise<string> {
  return browser.version();
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim())?.trim() ?? 'unknown error';
}
