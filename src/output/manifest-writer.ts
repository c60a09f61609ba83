import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import type { ManifestKeys } from './manifest-seal.ts';
import { entryKey, MANIFEST_FILE, serializeManifest, type Manifest, type ManifestBase, type ManifestFile, type ManifestStudent } from './manifest-format.ts';

export interface ManifestWriterOptions {
  /** write at most this often while a batch runs (a final flush() always writes) */
  minIntervalMs?: number;
  /** ...but write at once after this many unwritten changes */
  everyChanges?: number;
  /** seal every write with these (from the secret); without, the manifest is written unsealed */
  keys?: ManifestKeys;
}

/**
 * Keeps manifest.json up to date during a long batch, so a killed run still leaves a
 * manifest describing every paper finished so far. Writes are atomic and one at a time;
 * each write takes the state as it is when the write starts, and flush() only resolves
 * once everything recorded before it is on disk, so the last state always wins.
 */
export class ManifestWriter {
  private readonly path: string;
  private readonly students = new Map<string, ManifestStudent>();
  private cohortFiles: ManifestFile[] = [];
  private readonly minIntervalMs: number;
  private readonly everyChanges: number;
  private readonly keys: ManifestKeys | undefined;
  /** bumped by every change; compared with what is on disk */
  private version = 0;
  private writtenVersion = -1;
  private unwrittenChanges = 0;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** a failed background write stops further background writes; flush() retries and reports */
  private backgroundFailed = false;

  constructor(dir: string, private readonly base: ManifestBase, existing?: Manifest, options: ManifestWriterOptions = {}) {
    this.path = join(dir, MANIFEST_FILE);
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.everyChanges = options.everyChanges ?? 100;
    this.keys = options.keys;
    // Keep what an earlier run recorded (other students, other shards) unless replaced.
    for (const s of existing?.students ?? []) this.students.set(entryKey(s.id, s.attempt), s);
    this.cohortFiles = existing?.cohortFiles ?? [];
  }

  /** Adds a student's attempt, replacing any earlier entry of the same student and attempt. Never throws. */
  recordStudent(student: ManifestStudent): void {
    this.students.set(entryKey(student.id, student.attempt), student);
    this.changed();
  }

  setCohortFiles(files: ManifestFile[]): void {
    this.cohortFiles = [...files];
    this.changed();
  }

  /** The manifest as it would be written now. */
  snapshot(): Manifest {
    return { ...this.base, students: [...this.students.values()], cohortFiles: this.cohortFiles };
  }

  /** Writes the current state (if not already on disk) and waits for it. Throws RnnExamError on failure. */
  async flush(): Promise<void> {
    this.clearTimer();
    this.backgroundFailed = false;
    while (this.writing || this.writtenVersion < this.version) {
      if (this.writing) {
        // Another flush is writing; its failure is reported by that caller, we try again.
        await this.writing.catch(() => undefined);
        continue;
      }
      this.writing = this.writeOnce().finally(() => { this.writing = undefined; });
      await this.writing;
    }
  }

  private async writeOnce(): Promise<void> {
    const version = this.version;
    this.unwrittenChanges = 0;
    await writeFileAtomic(this.path, serializeManifest(this.snapshot(), this.keys));
    this.writtenVersion = Math.max(this.writtenVersion, version);
  }

  private changed(): void {
    this.version++;
    this.unwrittenChanges++;
    if (this.unwrittenChanges >= this.everyChanges) this.flushInBackground();
    else this.scheduleBackground();
  }

  private scheduleBackground(): void {
    if (!this.backgroundFailed) this.timer ??= setTimeout(() => this.flushInBackground(), this.minIntervalMs);
  }

  /** One write of the current state; changes made meanwhile wait for the next turn. */
  private flushInBackground(): void {
    this.clearTimer();
    if (this.backgroundFailed) return;
    if (this.writing) {
      this.scheduleBackground();
      return;
    }
    this.writing = this.writeOnce().finally(() => { this.writing = undefined; });
    this.writing.then(
      () => { if (this.writtenVersion < this.version) this.scheduleBackground(); },
      () => { this.backgroundFailed = true; },
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
