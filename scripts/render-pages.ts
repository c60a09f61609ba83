// Looks at documents as a reader would: every page of each PDF given as a PNG beside it
// (pdf.js inside the project's Chromium; no poppler needed). Usage: npx tsx scripts/render-pages.ts A.pdf ...
import { readFileSync, writeFileSync } from 'node:fs';
import { launchBrowser } from '../src/print/launch-browser.ts';
import { renderPdfPages } from '../test/helpers/pdf-pages.ts';

const browser = await launchBrowser();
try {
  for (const file of process.argv.slice(2)) {
    const pngs = await renderPdfPages(browser, readFileSync(file), Number(process.env.SCALE ?? 1.3));
    pngs.forEach((png, i) => writeFileSync(file.replace(/\.pdf$/, `-p${i + 1}.png`), png));
    console.log(`${file}: ${pngs.length} pages`);
  }
} finally {
  await browser.close();
}
