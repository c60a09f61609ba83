/**
 * `rnn-exam identify SCAN.pdf`: whose pages are in a scanned pile. Every page is drawn as
 * pixels and its QR code read (as from a real scanner's PDF), each code's fingerprint checked
 * against the exam's secret, and the pages sorted per student and document.
 */
import { readFile } from 'node:fs/promises';
import { RnnExamError } from '../errors.ts';
import { fileSystemProblem } from '../output/atomic-write.ts';
import { identifyPages, type IdentifyReport } from '../scan/identify-pages.ts';
import { PdfPageReader } from '../scan/pdf-page-reader.ts';
import { splitScan } from '../scan/split-scan.ts';
import { pageCodeKey } from '../solution/page-code.ts';
import { loadExamInputs } from './load-inputs.ts';
import { printBrowserPath } from './preflight.ts';

export interface IdentifyOptions {
  scanPath: string;
  examPath: string;
  rosterPath: string;
  secretFile?: string;
  env?: NodeJS.ProcessEnv;
  /** write one PDF per student (and unidentified.pdf) into this folder */
  splitDir?: string;
  /** called after each scan page is read */
  onPage?: (page: number, pages: number) => void;
}

export async function identify(o: IdentifyOptions): Promise<IdentifyReport & { split?: string[] }> {
  const [inputs, scan] = await Promise.all([
    loadExamInputs({ examPath: o.examPath, rosterPath: o.rosterPath, secretFile: o.secretFile, env: o.env }),
    readFile(o.scanPath).catch((error: unknown) => {
      throw new RnnExamError({ ...fileSystemProblem(o.scanPath, error, 'cannot be read'), fix: 'give the path of the scanned PDF' }, { cause: error });
    }),
  ]);
  const reader = await PdfPageReader.start(printBrowserPath(o.env ?? process.env));
  let scans;
  try {
    const pages = await reader.open(scan, o.scanPath);
    scans = [];
    for (let page = 1; page <= pages; page++) {
      scans.push(await reader.readPage(page));
      o.onPage?.(page, pages);
    }
  } finally {
    await reader.close();
  }
  const report = identifyPages(scans, { scan: o.scanPath, examId: inputs.exam.examId, key: pageCodeKey(inputs.secret), roster: inputs.roster ?? [] });
  if (!o.splitDir) return report;
  return { ...report, split: await splitScan(scan, report, o.splitDir) };
}
