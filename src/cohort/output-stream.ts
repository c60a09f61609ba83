/**
 * An output file filled piece by piece while the cohort is marked, and made visible only when
 * complete: pieces go through writeFileAtomic (temporary file, fsync, rename). A producer that
 * runs ahead of the disk waits, so at most a few pieces are held at any time. Its sha256 and
 * size are computed on the way, for the manifest.
 */
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../output/atomic-write.ts';

const HIGH_WATER = 64;

export class OutputStream {
  private readonly queue: Array<Buffer> = [];
  private wake?: () => void;
  private drained?: () => void;
  private done = false;
  private failure?: Error;
  private readonly hash = createHash('sha256');
  bytes = 0;
  readonly written: Promise<void>;

  constructor(readonly path: string) {
    this.written = writeFileAtomic(path, this.pieces());
    // A failed write (disk full) stops the consumer: release a waiting producer with the error.
    this.written.catch((error: Error) => { this.failure ??= error; this.drained?.(); });
  }

  private async *pieces(): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.queue.shift();
      if (next) {
        if (this.queue.length < HIGH_WATER / 2) this.drained?.();
        yield next;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((resolve) => { this.wake = resolve; });
      this.wake = undefined;
    }
  }

  async write(piece: string | Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    const data = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (data.length === 0) return;
    this.hash.update(data);
    this.bytes += data.length;
    this.queue.push(data);
    this.wake?.();
    if (this.queue.length >= HIGH_WATER) await new Promise<void>((resolve) => { this.drained = resolve; });
    if (this.failure) throw this.failure;
  }

  /** Ends the file; resolves once it is in place under its name. */
  async close(): Promise<{ sha256: string; bytes: number }> {
    this.done = true;
    this.wake?.();
    await this.written;
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Gives the file up: its temporary file is removed and nothing appears under its name. */
  async abort(reason: Error): Promise<void> {
    this.failure = reason;
    this.wake?.();
    this.drained?.();
    await this.written.catch(() => undefined);
  }
}
