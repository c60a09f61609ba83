// postinstall: fetch Puppeteer's own headless browser when the network allows it. Never fails
// the install: where the download is blocked, rnn-exam uses a system Chromium instead.
import { Browser, detectBrowserPlatform, install } from '@puppeteer/browsers';
import { PUPPETEER_REVISIONS } from 'puppeteer-core/internal/revisions.js';
import { homedir } from 'node:os';
import { join } from 'node:path';

if (process.env.PUPPETEER_SKIP_DOWNLOAD || process.env.RNN_EXAM_SKIP_BROWSER_DOWNLOAD) process.exit(0);
const platform = detectBrowserPlatform();
const cacheDir = process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
const browser = Browser.CHROMEHEADLESSSHELL;
const timer = setTimeout(() => {
  console.warn('rnn-exam: browser download is taking too long; skipped (a system Chromium will be used).');
  process.exit(0);
}, 300_000);
try {
  if (!platform) throw new Error('unknown platform');
  const installed = await install({ browser, platform, buildId: PUPPETEER_REVISIONS[browser], cacheDir });
  console.log(`rnn-exam: Puppeteer's browser is at ${installed.executablePath}`);
} catch (error) {
  console.warn(`rnn-exam: could not download Puppeteer's browser (${error?.cause?.message ?? error?.message ?? error}).`);
  console.warn('rnn-exam: that is fine where a system Chromium is installed (Debian: apt-get install -y chromium).');
} finally {
  clearTimeout(timer);
}
