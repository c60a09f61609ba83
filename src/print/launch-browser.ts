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
  /** how long the browser may take to start and answer; default RNN_EXAM_BROWSER_TIMEOUT_MS or 30 s */
  timeoutMs?: number;
}

export const LAUNCH_TIMEOUT_VARIABLE = 'RNN_EXAM_BROWSER_TIMEOUT_MS';
export const PRINT_TIMEOUT_VARIABLE = 'RNN_EXAM_PRINT_TIMEOUT_MS';

function millisecondsFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000) {
    throw new RnnExamError({ where: name, what: `${JSON.stringify(text)} is not a time rnn-exam can use`, fix: 'give milliseconds from 100 to 3600000 (e.g. 60000 on a slow machine), or unset it' });
  }
  return ms;
}

/** Launch and per-document print time limits: a browser that never answers must not hang a run. */
export function browserTimeouts(env: NodeJS.ProcessEnv = process.env): { launchMs: number; printMs: number } {
  return { launchMs: millisecondsFrom(env, LAUNCH_TIMEOUT_VARIABLE, 30_000), printMs: millisecondsFrom(env, PRINT_TIMEOUT_VARIABLE, 30_000) };
}

/**
 * The browser's environment: ours without the secret (or anything else named like one). A
 * browser, its crash reporter and its child processes have no business holding it.
 */
export function browserEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/SECRET|PASSWORD|PASSPHRASE|TOKEN|PRIVATE_KEY/i.test(name)));
}

/** Kills the browser and everything it started (it leads its own process group); the process alone if that fails. */
export function killBrowserProcesses(browser: Browser): void {
  const child = browser.process();
  if (!child?.pid) return;
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

class LaunchTimeout extends Error {}

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
  const ms = options.timeoutMs ?? browserTimeouts().launchMs;
  let browser: Browser | undefined;
  // A browser that starts but never answers is killed (its whole process group) and tried once more.
  for (let attempt = 1; !browser; attempt++) {
    try {
      browser = await launchOnce(executablePath, userDataDir, ms);
    } catch (error) {
      if (error instanceof LaunchTimeout && attempt < 2) continue;
      removeProfile();
      throw new RnnExamError({
        ...(error instanceof LaunchTimeout
          ? { where: `browser ${executablePath}`, what: `started but did not answer within ${ms} ms, twice (it was stopped each time)` }
          : { where: 'browser', what: `could not start ${executablePath}: ${firstLine(error)}` }),
        fix: 'set RNN_EXAM_BROWSER to a working Chrome/Chromium binary (e.g. /usr/bin/chromium), or install one ' +
          `(Debian/Ubuntu: \`sudo apt-get install -y chromium\`); on a very slow machine raise ${LAUNCH_TIMEOUT_VARIABLE}; or use --format html, which needs no browser`,
      }, { cause: error });
    }
  }

  // The process may exit before close() resolves (crash) or after (normal close): remove the
  // profile on exit, and make close() wait for the removal so callers can rely on it.
  browser.process()?.once('exit', removeProfile);
  const opened = browser;
  const close = browser.close.bind(browser) as () => Promise<void>;
  opened.close = async () => {
    try {
      await close();
    } finally {
      removeProfile();
    }
  };
  return opened;
}

/** One launch, killed with its process group when it has not answered within `ms`. */
async function launchOnce(executablePath: string, userDataDir: string, ms: number): Promise<Browser> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort(); // puppeteer kills the browser's process group
      reject(new LaunchTimeout(`no answer within ${ms} ms`));
    }, ms);
  });
  const launching = puppeteer.launch({
    executablePath,
    headless: true,
    // A pipe instead of a debugging port: nothing else on the machine can attach.
    pipe: true,
    userDataDir,
    args: BROWSER_ARGS,
    defaultViewport: null,
    timeout: 2 * ms, // ours (above) comes first: it kills the whole process group
    env: { ...browserEnvironment(), FONTCONFIG_FILE: writeBrowserFontconfig(userDataDir) },
    signal: abort.signal,
  });
  // Answering just after the time limit: that browser is not used, and must not outlive the run.
  launching.then((late) => { if (abort.signal.aborted) killBrowserProcesses(late); }, () => {});
  try {
    return await Promise.race([launching, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** e.g. "Chrome/156.0.8078.108" or "HeadlessChrome/156…", for manifests and messages. */
export async function browserVersion(browser: Browser): Promise<string> {
  return browser.version();
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim())?.trim() ?? 'unknown error';
}
