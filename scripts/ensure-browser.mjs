// Runs before `npm start` and `npm test`: makes sure a browser is there to print with. On a
// Debian/Ubuntu machine where we are root, installs Debian's chromium; elsewhere says what to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { findBrowser, INSTALL_BROWSER_HINT } = await import('../src/print/find-browser.ts');

if (findBrowser()) process.exit(0);
const isRoot = process.getuid?.() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('rnn-exam: no browser found; installing Debian\'s chromium (apt-get install -y chromium) ...');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.error('rnn-exam: apt-get could not install chromium.');
  }
  if (findBrowser()) process.exit(0);
}
console.error(`rnn-exam: no Chrome or Chromium found to print PDFs with: ${INSTALL_BROWSER_HINT}.`);
process.exit(1);
