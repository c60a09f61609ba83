import { availableParallelism } from 'node:os';
import type { Browser, HTTPRequest, Page, PDFOptions } from 'puppeteer-core';
import { RnnExamError } from '../errors.ts';
import { makePdfDeterministic } from './deterministic-pdf.ts';
import { loadDocument } from './document-swap.ts';
import { browserTimeouts, killBrowserProcesses, launchBrowser } from './launch-browser.ts';
import { stampPageCodes } from './stamp-page-codes.ts';
import { printConcurrencyLimit } from './print-concurrency.ts';

export interface PrintDocument {
  /** a complete, self-contained HTML document (styles and fonts inline) */
  html: string;
  /**
   * Chromium header/footer templates, already HTML-escaped by the caller. They are rendered
   * in a separate context: page CSS and web fonts do not apply and the default font size is
   * tiny, so give them an inline `font-size` (e.g. 9pt) and a system font family.
   * `<span class="pageNumber">` / `<span class="totalPages">` are filled in by Chromium.
   */
  headerHtml: string;
  footerHtml: string;
  /** names the document in error messages, e.g. a student id */
  label?: string;
  /**
   * A tagged (accessible) PDF, with a structure tree for screen readers. Default false: Chromium
   * tags every element, which costs ~0.1 ms and ~0.25 KB per box; a worked solution's ~4,000
   * boxes of typeset math print about twice as fast untagged, and half the size.
   */
  tagged?: boolean;
  /** the text of the QR code stamped on page `page` of `pages` after printing (see stamp-page-codes.ts); none when absent */
  pageCode?: (page: number, pages: number) => string;
}

export interface PdfPrinterOptions {
  /** pages printing at once; default os.availableParallelism() */
  concurrency?: number;
  /** a Chrome/Chromium binary; default: findBrowser() */
  executablePath?: string;
  /** one attempt (load + print) longer than this counts as hung; default RNN_EXAM_PRINT_TIMEOUT_MS or 30 s */
  pageTimeoutMs?: number;
  /** documents per page before it is replaced with a fresh one; default 20 (see PAGE_REUSE_LIMIT) */
  pageReuseLimit?: number;
  /** @internal test hook, runs inside each timed attempt before the content is set */
  beforeAttempt?: (page: Page, attempt: number, doc: PrintDocument) => Promise<void> | void;
}

/** Attempts per document: the first plus two retries on a fresh page (or browser). */
const MAX_ATTEMPTS = 3;
/** With an empty template Chromium prints its own default header (date, title): never send one. */
const EMPTY_TEMPLATE = '<span></span>';
/**
 * Documents per page before it is replaced. A reused page slowly gets heavier: with setContent it
 * kept every earlier CSP meta policy (61 -> 245 ms per document after 500); with body swaps (see
 * document-swap.ts) its memory still grows ~0.9 MB per document. A fresh page and its shell cost
 * ~100 ms, so ~20 is about optimal (20, 50 and 100 measured alike).
 */
const PAGE_REUSE_LIMIT = 20;

/** The print settings of every exam document: A4, the running header and footer, tagged or not. */
export function pdfOptions(doc: PrintDocument, timeout: number): PDFOptions {
  return {
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: doc.headerHtml || EMPTY_TEMPLATE,
    footerTemplate: doc.footerHtml || EMPTY_TEMPLATE,
    margin: { top: '22mm', bottom: '20mm', left: '16mm', right: '16mm' },
    preferCSSPageSize: false,
    tagged: doc.tagged ?? false,
    timeout,
  };
}

interface Slot { page?: Page; uses: number }
interface Job { doc: PrintDocument; resolve: (pdf: Uint8Array) => void; reject: (error: unknown) => void }

/**
 * Prints a batch of HTML documents to PDF with one browser and a pool of reused pages.
 *
 * Pages run with JavaScript disabled (math is typeset server-side; `page.evaluate` still
 * works through DevTools) and every request except `data:`/`about:` URLs is aborted, so a
 * document can neither fetch nor leak anything. A hung or crashed page is replaced, a dead
 * browser relaunched, and the document retried; output bytes are made deterministic.
 */
export class PdfPrinter {
  readonly concurrency: number;
  readonly pageTimeoutMs: number;
  /** requests aborted so far across all pages; for tests and diagnostics */
  blockedRequests = 0;
  /** attempts that failed and were retried or given up on */
  failedAttempts = 0;
  /** how often the browser had to be relaunched */
  relaunches = 0;

  #browser: Browser;
  #relaunching?: Promise<Browser>;
  /** a relaunch that failed (the browser no longer starts or answers): every later document fails at once with it */
  #unusable?: unknown;
  #closing?: Promise<void>;
  readonly #slots: Slot[];
  readonly #idle: Slot[];
  readonly #queue: Job[] = [];
  readonly #options: PdfPrinterOptions;

  private constructor(browser: Browser, options: PdfPrinterOptions) {
    this.#browser = browser;
    this.#options = options;
    this.concurrency = Math.min(printConcurrencyLimit(), Math.max(1, Math.floor(options.concurrency ?? availableParallelism())));
    this.pageTimeoutMs = options.pageTimeoutMs ?? browserTimeouts().printMs;
    this.#slots = Array.from({ length: this.concurrency }, () => ({ uses: 0 }));
    this.#idle = [...this.#slots];
  }

  static async start(options: PdfPrinterOptions = {}): Promise<PdfPrinter> {
    const printer = new PdfPrinter(await launchBrowser({ executablePath: options.executablePath }), options);
    const ms = browserTimeouts().launchMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Open the whole pool up front so the first documents do not pay for it; a browser that
      // started but opens no page is stopped rather than waited for.
      await Promise.race([
        Promise.all(printer.#slots.map(async (slot) => { slot.page = await printer.#newPage(printer.#browser); })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            killBrowserProcesses(printer.#browser);
            reject(new RnnExamError({
              where: `browser ${options.executablePath ?? ''}`.trim(),
              what: `started but opened no page within ${ms} ms (it was stopped)`,
              fix: 'point RNN_EXAM_BROWSER at a working Chrome/Chromium (e.g. /usr/bin/chromium); on a very slow machine raise RNN_EXAM_BROWSER_TIMEOUT_MS; or use --format html',
            }));
          }, ms);
        }),
      ]);
    } catch (error) {
      await printer.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return printer;
  }

  /** The current browser (it changes after a relaunch). */
  get browser(): Browser {
    return this.#browser;
  }

  /** Queues a document; resolves to deterministic PDF bytes. At most `concurrency` print at once. */
  print(doc: PrintDocument): Promise<Uint8Array> {
    if (this.#closing) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.#queue.push({ doc, resolve, reject });
      this.#pump();
    });
  }

  /** Closes pages and browser; queued documents are rejected. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const slot = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#printWithRetries(slot, job.doc)
        .then(job.resolve, job.reject)
        .finally(() => {
          this.#idle.push(slot);
          this.#pump();
        });
    }
  }

  async #printWithRetries(slot: Slot, doc: PrintDocument): Promise<Uint8Array> {
    const failures: string[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (this.#closing) throw closedError();
      try {
        return await this.#attempt(slot, doc, attempt);
      } catch (error) {
        if (this.#closing) throw closedError();
        if (error instanceof RnnExamError) throw error; // the browser cannot be (re)started: retrying is pointless
        this.failedAttempts++;
        failures.push(error instanceof Error ? error.message.split('\n')[0] : String(error));
        await this.#discardPage(slot, error instanceof HangError);
      }
    }
    throw new RnnExamError({
      where: doc.label ? `printing ${doc.label}` : 'printing',
      what: `Chromium failed to print the document ${MAX_ATTEMPTS} times (${unique(failures).join('; ')})`,
      fix: 'check that the document is not enormous; raise the page timeout or lower the concurrency on a slow ' +
        'machine; or point RNN_EXAM_BROWSER at another Chrome/Chromium',
    });
  }

  /** One timed try; the page crashing or closing, or the browser exiting, fails it at once. */
  async #attempt(slot: Slot, doc: PrintDocument, attempt: number): Promise<Uint8Array> {
    const ms = this.pageTimeoutMs;
    const cleanups: Array<() => void> = [];
    let abandoned = false; // set once this attempt is over, so late steps of a timed-out try touch nothing
    const hung = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new HangError(`the page did not finish within ${ms} ms`)), ms);
      cleanups.push(() => clearTimeout(timer));
    });
    const work = (async () => {
      const browser = await this.#liveBrowser();
      if (abandoned) throw new Error('abandoned');
      // A page left over from a browser that has since been replaced is useless.
      if (slot.page && (slot.page.isClosed() || slot.page.browser() !== browser)) slot.page = undefined;
      if (slot.page && slot.uses >= (this.#options.pageReuseLimit ?? PAGE_REUSE_LIMIT)) this.#dropPage(slot);
      if (!slot.page) {
        const fresh = await this.#newPage(browser);
        if (abandoned) {
          fresh.close().catch(() => {});
          throw new Error('abandoned');
        }
        slot.page = fresh;
        slot.uses = 0;
      }
      const page = slot.page;
      const broken = new Promise<never>((_, reject) => {
        const onExit = () => reject(new Error('the browser exited'));
        const onCrash = (error: Error) => reject(new Error(`the page crashed: ${error.message}`));
        const onClose = () => reject(new Error('the page was closed'));
        // on, not once: puppeteer's once() registers a wrapper that off(handler) cannot remove, so
        // every attempt left a listener on the browser holding its finished PDF (~0.2 MB a document).
        browser.on('disconnected', onExit);
        page.on('error', onCrash);
        page.on('close', onClose);
        cleanups.push(() => {
          browser.off('disconnected', onExit);
          page.off('error', onCrash);
          page.off('close', onClose);
        });
      });
      broken.catch(() => {});
      const pdf = await Promise.race([broken, this.#render(page, doc, attempt)]);
      if (!abandoned) slot.uses++;
      return pdf;
    })();
    work.catch(() => {}); // it may still reject after the timeout gave up on it
    try {
      return await Promise.race([work, hung]);
    } finally {
      abandoned = true;
      for (const cleanup of cleanups) cleanup();
    }
  }

  async #render(page: Page, doc: PrintDocument, attempt: number): Promise<Uint8Array> {
    const timeout = this.pageTimeoutMs;
    await this.#options.beforeAttempt?.(page, attempt, doc);
    await loadDocument(page, doc.html, timeout);
    const pdf = makePdfDeterministic(await page.pdf(pdfOptions(doc, timeout)));
    return doc.pageCode ? stampPageCodes(pdf, doc.pageCode) : pdf;
  }

  async #newPage(browser: Browser): Promise<Page> {
    // In the background the page is hidden: Chromium skips painting it for the screen, a
    // third of its work per document, and printing is unaffected (same bytes).
    const page = await browser.newPage({ background: true });
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => this.#filter(request));
    page.setDefaultTimeout(this.pageTimeoutMs);
    return page;
  }

  /** Only the document's own data: URLs (inlined fonts, images) may load; everything else is aborted. */
  #filter(request: HTTPRequest): void {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('about:')) {
      request.continue().catch(() => {});
    } else {
      this.blockedRequests++;
      request.abort('blockedbyclient').catch(() => {});
    }
  }

  /** Forgets a failed page; after a hang, also kills a browser that no longer answers. */
  async #discardPage(slot: Slot, hung: boolean): Promise<void> {
    this.#dropPage(slot);
    const browser = this.#browser;
    if (hung && browser.connected && !(await answers(browser, Math.min(5_000, this.pageTimeoutMs)))) killBrowserProcesses(browser);
  }

  #dropPage(slot: Slot): void {
    const page = slot.page;
    slot.page = undefined;
    page?.close().catch(() => {}); // not awaited: closing a hung page can itself hang
  }

  /** The browser if it is alive, else one shared relaunch for all slots. */
  #liveBrowser(): Promise<Browser> {
    if (this.#closing) return Promise.reject(closedError());
    if (this.#browser.connected) return Promise.resolve(this.#browser);
    if (this.#unusable) return Promise.reject(this.#unusable);
    this.#relaunching ??= (async () => {
      const dead = this.#browser;
      dead.close().catch(() => {}); // kills a half-dead process and removes its profile
      try {
        const browser = await launchBrowser({ executablePath: this.#options.executablePath }).catch((error: unknown) => {
          this.#unusable = error;
          throw error;
        });
        this.relaunches++;
        this.#browser = browser;
        if (this.#closing) {
          await browser.close();
          throw closedError();
        }
        return browser;
      } finally {
        this.#relaunching = undefined;
      }
    })();
    return this.#relaunching;
  }

  async #shutdown(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(closedError());
    await this.#relaunching?.catch(() => {});
    await Promise.allSettled(this.#slots.map((slot) => slot.page?.close()));
    await this.#browser.close().catch(() => {});
  }
}

class HangError extends Error {}

async function answers(browser: Browser, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([browser.version().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function closedError(): RnnExamError {
  return new RnnExamError({ where: 'printing', what: 'the PDF printer was closed before the document was printed' });
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
