import { PDFDocument } from 'pdf-lib';
import { ensureWritableDir, safeJoin, writeFileAtomic } from '../output/atomic-write.ts';
import type { IdentifyReport } from './identify-pages.ts';

export const UNIDENTIFIED_FILE = 'unidentified.pdf';

/**
 * One PDF per student on the roster with their pages in order (document by document, page by
 * page, a duplicated page once), as Gradescope or Crowdmark take them; pages without a usable
 * code (blank sheets apart), and those of students not on the roster, go to unidentified.pdf. Returns the files written.
 */
export async function splitScan(scan: Uint8Array, report: IdentifyReport, dir: string): Promise<string[]> {
  const source = await PDFDocument.load(scan, { updateMetadata: false });
  const written: string[] = [];
  await ensureWritableDir(dir);
  const write = async (name: string, scanPages: number[]) => {
    const out = await PDFDocument.create({ updateMetadata: false });
    const pages = await out.copyPages(source, scanPages.map((p) => p - 1));
    for (const page of pages) out.addPage(page);
    const path = safeJoin(dir, name);
    await writeFileAtomic(path, await out.save());
    written.push(path);
  };
  // Blank sheets are nobody's and need nobody: left out.
  const unidentified = report.rejected.filter((p) => p.reason !== 'blank').map((p) => p.scanPage);
  for (const student of report.students) {
    const pages = student.documents.flatMap((d) => d.found.map((f) => f.scanPages[0]));
    if (student.onRoster) await write(`${student.id}.pdf`, pages);
    else unidentified.push(...student.documents.flatMap((d) => d.found.flatMap((f) => f.scanPages)));
  }
  if (unidentified.length > 0) await write(UNIDENTIFIED_FILE, unidentified.sort((a, b) => a - b));
  return written;
}
