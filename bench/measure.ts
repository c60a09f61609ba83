import { readdirSync, readFileSync } from 'node:fs';
import { launchBrowser } from '../src/print/launch-browser.ts';
import { PdfPrinter, pdfOptions, type PrintDocument } from '../src/print/pdf-printer.ts';

export interface Timed { pdfs: number; seconds: number; perSecond: number }

export function rate(pdfs: number, seconds: number): Timed {
  return { pdfs, seconds, perSecond: pdfs / seconds };
}

/**
 * Prints every document through one PdfPrinter pool and nothing else (launch and close
 * included, as the pipeline pays them too): the print floor, or the plain limit.
 */
export async function printAll(docs: PrintDocument[], concurrency: number, onPdf?: (i: number, pdf: Uint8Array) => void): Promise<Timed & { cpuMsPerPdf: number }> {
  const sampler = new TreeSampler();
  const started = performance.now();
  const printer = await PdfPrinter.start({ concurrency });
  try {
    await Promise.all(docs.map(async (doc, i) => {
      const pdf = await printer.print(doc);
      onPdf?.(i, pdf);
    }));
  } finally {
    sampler.sample();
    await printer.close();
  }
  const cpu = sampler.stop();
  return { ...rate(docs.length, (performance.now() - started) / 1000), cpuMsPerPdf: (cpu.browserCpuMs + cpu.nodeCpuMs) / docs.length };
}

/**
 * What a script without a pool does, for every PDF: launch a browser (same binary and flags),
 * open a page, setContent the whole document, print it with the same options, close the browser.
 * Plain Puppeteer: none of PdfPrinter's own speed-ups (background pages, the shared stylesheet
 * shell, JavaScript off) — those are what the pipeline is measured against.
 */
export async function printNaively(docs: PrintDocument[]): Promise<Timed> {
  const started = performance.now();
  for (const doc of docs) {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setContent(doc.html, { waitUntil: 'load' });
      await page.pdf(pdfOptions(doc, 60_000));
    } finally {
      await browser.close();
    }
  }
  return rate(docs.length, (performance.now() - started) / 1000);
}

/**
 * Samples this process's children (the browser and every process it started) from /proc:
 * the peak of their summed resident memory, and their CPU time. CPU time counts work done
 * whoever else is using the machine, so it compares runs made under different load; processes
 * that ended are counted through their parent's cutime (Chromium's zygote reaps its renderers).
 */
export class TreeSampler {
  peakRssKb = 0;
  #firstCpuMs?: number;
  #lastCpuMs = 0;
  readonly #nodeStart = process.cpuUsage();
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.#timer = setInterval(() => this.#sample(), everyMs);
    this.#timer.unref();
  }

  /** Call just before the browser closes (its counters vanish with it). */
  sample(): void {
    this.#sample();
  }

  stop(): { rssMb: number; browserCpuMs: number; nodeCpuMs: number } {
    clearInterval(this.#timer);
    const node = process.cpuUsage(this.#nodeStart);
    return { rssMb: this.peakRssKb / 1024, browserCpuMs: this.#lastCpuMs - (this.#firstCpuMs ?? 0), nodeCpuMs: (node.user + node.system) / 1000 };
  }

  #sample(): void {
    const { rssKb, cpuMs } = childTree(process.pid);
    this.peakRssKb = Math.max(this.peakRssKb, rssKb);
    this.#firstCpuMs ??= cpuMs;
    this.#lastCpuMs = Math.max(this.#lastCpuMs, cpuMs);
  }
}

const PAGE_KB = 4;
const TICK_MS = 10;

/** Summed VmRSS (kB) and CPU time (ms, children included) of every descendant of `root`. */
export function childTree(root: number): { rssKb: number; cpuMs: number } {
  const children = new Map<number, number[]>();
  const usage = new Map<number, { rssKb: number; cpuMs: number }>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return { rssKb: 0, cpuMs: 0 };
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      children.set(Number(f[1]), [...(children.get(Number(f[1])) ?? []), Number(entry)]);
      usage.set(Number(entry), { cpuMs: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS, rssKb: Number(f[21]) * PAGE_KB });
    } catch {
      // the process ended while we looked
    }
  }
  const total = { rssKb: 0, cpuMs: 0 };
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total.rssKb += usage.get(pid)?.rssKb ?? 0;
    total.cpuMs += usage.get(pid)?.cpuMs ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** This process's peak resident memory so far, in MB (maxRSS is in kB). */
export function nodePeakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
