import { readdirSync, readFileSync } from 'node:fs';
import { PdfPrinter, type PrintDocument } from '../src/print/pdf-printer.ts';

export interface Timed { pdfs: number; seconds: number; perSecond: number }

export function rate(pdfs: number, seconds: number): Timed {
  return { pdfs, seconds, perSecond: pdfs / seconds };
}

/**
 * Prints every document through one PdfPrinter pool and nothing else (launch and close
 * included, as the pipeline pays them too): the print floor, or the plain limit.
 */
export async function printAll(docs: PrintDocument[], concurrency: number, onPdf?: (i: number, pdf: Uint8Array) => void): Promise<Timed> {
  const started = performance.now();
  const printer = await PdfPrinter.start({ concurrency });
  try {
    await Promise.all(docs.map(async (doc, i) => {
      const pdf = await printer.print(doc);
      onPdf?.(i, pdf);
    }));
  } finally {
    await printer.close();
  }
  return rate(docs.length, (performance.now() - started) / 1000);
}

/** A new browser for every PDF, one after another: what a script without a pool does. */
export async function printNaively(docs: PrintDocument[]): Promise<Timed> {
  const started = performance.now();
  for (const doc of docs) {
    const printer = await PdfPrinter.start({ concurrency: 1 });
    try {
      await printer.print(doc);
    } finally {
      await printer.close();
    }
  }
  return rate(docs.length, (performance.now() - started) / 1000);
}

/**
 * Peak resident memory of this process's children (the browser and its renderers), sampled:
 * the sum of VmRSS over the whole process tree, every `everyMs`.
 */
export class ChildRssSampler {
  peakKb = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.#timer = setInterval(() => { this.peakKb = Math.max(this.peakKb, childTreeRssKb(process.pid)); }, everyMs);
    this.#timer.unref();
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.peakKb / 1024;
  }
}

/** Sum of VmRSS (kB) of every descendant of `root`, from /proc (0 where /proc is missing). */
export function childTreeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const entry of entries) {
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const parent = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** This process's peak resident memory so far, in MB (maxRSS is in kB). */
export function nodePeakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
