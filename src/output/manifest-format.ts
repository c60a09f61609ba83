import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { relativePathProblem, safeJoin } from './atomic-write.ts';

/**
 * manifest.json: what a run wrote, and from what. It never holds a timestamp, so two runs
 * with the same inputs write byte-identical manifests and a diff shows real changes only.
 */
export const MANIFEST_FILE = 'manifest.json';
/** `as const`: stays the literal type when used in an object literal (a ManifestBase). */
export const MANIFEST_FORMAT = 'rnn-exam/manifest-v1' as const;
const FINGERPRINT_LABEL = 'rnn-exam/secret-fingerprint-v1';

export interface ManifestFile {
  /** relative to the output folder, '/' separators */
  path: string;
  sha256: string;
  bytes: number;
}

export interface ManifestStudent {
  id: string;
  attempt: number;
  paperCode: string;
  paramsHash: string;
  seedScheme: string;
  files: ManifestFile[];
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  tool: { name: 'rnn-exam'; version: string };
  examId: string;
  /** sha256 of the exam config as used (canonical JSON) */
  examConfigSha256: string;
  /** tells "same secret?" without revealing it; see secretFingerprint */
  secretFingerprint: string;
  seedScheme: string;
  /** e.g. "Chromium 156.0...": PDF bytes depend on it */
  browser?: string;
  /** options that change the output, e.g. format, only */
  options: Record<string, unknown>;
  /** sorted by id */
  students: ManifestStudent[];
  /** marking-key.csv, marking-key.pdf */
  cohortFiles: ManifestFile[];
  shard?: { index: number; count: number };
}

export type ManifestBase = Omit<Manifest, 'students' | 'cohortFiles'>;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** First 16 hex digits of an HMAC keyed by the secret: equal for equal secrets, useless for guessing it. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update(FINGERPRINT_LABEL).digest('hex').slice(0, 16);
}

/** Code-unit order, never localeCompare: the order must not depend on the machine's locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compact JSON with object keys sorted (by code unit) at every level, so equal values
 * always give equal text and equal hashes. Like JSON.stringify, undefined and functions
 * are dropped from objects and become null in arrays.
 */
export function canonicalJson(value: unknown): string {
  const v = value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ? (value as { toJSON: () => unknown }).toJSON()
    : value;
  if (Array.isArray(v)) return `[${v.map((item) => (isDropped(item) ? 'null' : canonicalJson(item))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.keys(v).sort(compareCodeUnits)
      .filter((key) => !isDropped((v as Record<string, unknown>)[key]))
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((v as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function isDropped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function sortFiles(files: ManifestFile[]): ManifestFile[] {
  return [...files].sort((a, b) => compareCodeUnits(a.path, b.path))
    .map(({ path, sha256, bytes }) => ({ path, sha256, bytes }));
}

function normaliseStudent(s: ManifestStudent): ManifestStudent {
  const { id, attempt, paperCode, paramsHash, seedScheme, files } = s;
  return { id, attempt, paperCode, paramsHash, seedScheme, files: sortFiles(files) };
}

/**
 * The manifest as text: fixed key order, students by id, files by path, 2-space indent and
 * a final newline. Insertion order never shows in the output.
 */
export function serializeManifest(m: Manifest): string {
  const students = [...m.students]
    .sort((a, b) => compareCodeUnits(a.id, b.id) || a.attempt - b.attempt)
    .map(normaliseStudent);
  const ordered = {
    format: m.format,
    tool: { name: m.tool.name, version: m.tool.version },
    examId: m.examId,
    examConfigSha256: m.examConfigSha256,
    secretFingerprint: m.secretFingerprint,
    seedScheme: m.seedScheme,
    browser: m.browser,
    options: JSON.parse(canonicalJson(m.options ?? {})) as unknown,
    shard: m.shard ? { index: m.shard.index, count: m.shard.count } : undefined,
    students,
    cohortFiles: sortFiles(m.cohortFiles),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

const relativePath = z.string().superRefine((path, ctx) => {
  const why = relativePathProblem(path);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});

const fileSchema = z.object({
  path: relativePath,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  bytes: z.number().int().nonnegative(),
});

const studentSchema = z.object({
  id: z.string().min(1),
  attempt: z.number().int().positive(),
  paperCode: z.string(),
  paramsHash: z.string(),
  seedScheme: z.string(),
  files: z.array(fileSchema),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  tool: z.object({ name: z.literal('rnn-exam'), version: z.string() }),
  examId: z.string(),
  examConfigSha256: z.string(),
  secretFingerprint: z.string(),
  seedScheme: z.string(),
  browser: z.string().optional(),
  options: z.record(z.string(), z.unknown()),
  students: z.array(studentSchema),
  cohortFiles: z.array(fileSchema),
  shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).optional(),
});

/** Checks parsed JSON is a v1 manifest; returns it, or a short reason it is not. */
export function parseManifestValue(value: unknown): { manifest: Manifest } | { problem: string } {
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== MANIFEST_FORMAT) {
    return { problem: `is not an rnn-exam manifest (format ${JSON.stringify(format ?? null)}, expected "${MANIFEST_FORMAT}")` };
  }
  const result = manifestSchema.safeParse(value);
  if (result.success) return { manifest: result.data as Manifest };
  const issue = result.error.issues[0];
  const at = issue.path.length > 0 ? issue.path.join('.') : 'top level';
  return { problem: `is not a valid rnn-exam manifest (${at}: ${issue.message})` };
}

/**
 * One manifest entry for bytes about to be (or just) written at `relativePath` in `dir`.
 * Accepts '\\' or '/' separators and stores '/'; refuses paths that leave `dir`.
 */
export function fileEntry(dir: string, relativePath: string, bytes: Uint8Array | string): ManifestFile {
  const parts = relativePath.split(/[\\/]/);
  safeJoin(dir, ...parts);
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
  return { path: parts.join('/'), sha256: sha256Hex(bytes), bytes: size };
}
