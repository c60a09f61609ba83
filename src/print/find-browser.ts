import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Browser, computeExecutablePath, detectBrowserPlatform } from '@puppeteer/browsers';
import { PUPPETEER_REVISIONS } from 'puppeteer-core/internal/revisions.js';

export interface BrowserLocation {
  executablePath: string;
  /** how it was found, for messages and the manifest */
  source: 'environment' | 'puppeteer-download' | 'system';
}

/** Where `npm install` (scripts/install-browser.mjs) puts Puppeteer's own browser. */
export function puppeteerCacheDir(): string {
  return process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
}

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium', '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * The browser to print with: an explicit path first (RNN_EXAM_BROWSER or
 * PUPPETEER_EXECUTABLE_PATH), then Puppeteer's own download, then a system Chromium/Chrome.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserLocation | undefined {
  const explicit = env.RNN_EXAM_BROWSER || env.PUPPETEER_EXECUTABLE_PATH;
  if (explicit) return { executablePath: explicit, source: 'environment' };
  const platform = detectBrowserPlatform();
  if (platform) {
    for (const browser of [Browser.CHROMEHEADLESSSHELL, Browser.CHROME] as const) {
      const path = computeExecutablePath({
        browser, platform, buildId: PUPPETEER_REVISIONS[browser], cacheDir: puppeteerCacheDir(),
      });
      if (existsSync(path)) return { executablePath: path, source: 'puppeteer-download' };
    }
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  return system ? { executablePath: system, source: 'system' } : undefined;
}

export const INSTALL_BROWSER_HINT =
  'install one: on Debian/Ubuntu `sudo apt-get install -y chromium`; elsewhere re-run `npm install` with internet ' +
  'access (it downloads Puppeteer\'s browser), or set RNN_EXAM_BROWSER=/path/to/chrome';
