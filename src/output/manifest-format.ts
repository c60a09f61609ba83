import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { relativePathProblem, safeJoin } from './atomic-write.ts';
import { sameMac, SEAL_SCHEME, sealOf, type ManifestKeys } from './manifest-seal.ts';

/**
 * manifest.json: what a run wrote, and from what. It never holds a timestamp, so two runs
 * with the same inputs write byte-identical manifests and a diff shows real changes only.
 */
export const MANIFEST_FILE = 'manifest.json';
/** `as const`: stays the literal type when used in an object literal (a ManifestBase). */
export const MANIFEST_FORMAT = 'rnn-exam/manifest-v2' as const;
/** still read: upgraded in memory (no seal, no fingerprints; its unkeyed paramsHash is dropped) */
export const MANIFEST_FORMAT_V1 = 'rnn-exam/manifest-v1';
const FINGERPRINT_LABEL = 'rnn-exam/secret-fingerprint-v1';

export interface ManifestFile {
  /** relative to the output folder, '/' separators */
  path: string;
  sha256: string;
  bytes: number;
}

/** What a student's files were made from, to tell on resume whether they must be remade and why. */
export interface StudentInputs {
  /** keyed fingerprints (see manifest-seal.ts) of the roster entry (ID, name), the exam config and the templates */
  student: string;
  config: string;
  templates: string;
  tool: string;
  browser?: string;
  format: string;
}

/** One issued attempt of one student: a re-sit adds an entry, the earlier attempt's stays. */
export interface ManifestStudent {
  id: string;
  attempt: number;
  paperCode: string;
  seedScheme: string;
  /** keyed fingerprint of the numbers; absent in entries read from a v1 manifest */
  paramsFingerprint?: string;
  /** absent in entries read from a v1 manifest: they are remade when next asked for */
  inputs?: StudentInputs;
  files: ManifestFile[];
  /** this entry's seal (see manifest-seal.ts) */
  mac?: string;
}

export interface ManifestSeal {
  scheme: typeof SEAL_SCHEME;
  /** MACs of the header fields, the cohort files and the list of (student, attempt) entries */
  header: string;
  cohortFiles: string;
  entries: string;
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
  /** sorted by id, then attempt */
  students: ManifestStudent[];
  /** marking-key.csv, marking-key.pdf */
  cohortFiles: ManifestFile[];
  shard?: { index: number; count: number };
  /** keyed MACs: only someone holding the secret can make or check them; absent when read from v1 */
  seal?: ManifestSeal;
}

export type ManifestBase = Omit<Manifest, 'students' | 'cohortFiles' | 'seal'>;

/** A student's files for one attempt: `<id>/` for attempt 1 (as always), `<id>/attempt-N/` for a re-sit. */
export function studentFolder(id: string, attempt: number): string {
  return attempt === 1 ? id : `${id}/attempt-${attempt}`;
}

export function entryKey(id: string, attempt: number): string {
  return `${id}\u0000${attempt}`;
}

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

function normaliseStudent(s: ManifestStudent): Omit<ManifestStudent, 'mac'> {
  const { id, attempt, paperCode, seedScheme, paramsFingerprint, inputs, files } = s;
  const made = inputs && { student: inputs.student, config: inputs.config, templates: inputs.templates, tool: inputs.tool, browser: inputs.browser, format: inputs.format };
  return { id, attempt, paperCode, seedScheme, paramsFingerprint, inputs: made, files: sortFiles(files) };
}

function sortStudents(students: ManifestStudent[]): ManifestStudent[] {
  return [...students].sort((a, b) => compareCodeUnits(a.id, b.id) || a.attempt - b.attempt);
}

function headerOf(m: Manifest) {
  return {
    format: MANIFEST_FORMAT,
    tool: { name: m.tool.name, version: m.tool.version },
    examId: m.examId,
    examConfigSha256: m.examConfigSha256,
    secretFingerprint: m.secretFingerprint,
    seedScheme: m.seedScheme,
    browser: m.browser,
    options: JSON.parse(canonicalJson(m.options ?? {})) as unknown,
    shard: m.shard ? { index: m.shard.index, count: m.shard.count } : undefined,
  };
}

/** Every MAC of the manifest as it stands (existing MACs ignored). */
function sealsOf(m: Manifest, keys: ManifestKeys): { seal: ManifestSeal; students: string[] } {
  const students = sortStudents(m.students);
  return {
    seal: {
      scheme: SEAL_SCHEME,
      header: sealOf(keys, 'header', canonicalJson(headerOf(m))),
      cohortFiles: sealOf(keys, 'cohort-files', canonicalJson(sortFiles(m.cohortFiles))),
      entries: sealOf(keys, 'entries', canonicalJson(students.map((s) => [s.id, s.attempt, sealOf(keys, 'student', canonicalJson(normaliseStudent(s)))]))),
    },
    students: students.map((s) => sealOf(keys, 'student', canonicalJson(normaliseStudent(s)))),
  };
}

/**
 * The manifest as text: fixed key order, students by id then attempt, files by path, 2-space
 * indent and a final newline. Insertion order never shows in the output. With the keys it is
 * sealed (every MAC computed afresh); without, it carries no seal.
 */
export function serializeManifest(m: Manifest, keys?: ManifestKeys): string {
  const seals = keys ? sealsOf(m, keys) : undefined;
  const ordered = {
    ...headerOf(m),
    students: sortStudents(m.students).map((s, i) => ({ ...normaliseStudent(s), mac: seals?.students[i] })),
    cohortFiles: sortFiles(m.cohortFiles),
    seal: seals?.seal,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export interface SealCheck {
  sealed: boolean;
  /** what no longer matches its MAC: the subject (a student ID, 'header', …) and a sentence */
  altered: Array<{ subject: string; message: string }>;
}

/** Checks every MAC of a manifest read from disk against the keys of the secret given. */
export function checkManifestSeal(m: Manifest, keys: ManifestKeys): SealCheck {
  if (!m.seal) return { sealed: false, altered: [] };
  const expected = sealsOf(m, keys);
  const altered: SealCheck['altered'] = [];
  if (!sameMac(m.seal.header, expected.seal.header)) {
    altered.push({ subject: 'header', message: 'the manifest\'s header (exam, config hash, tool, browser, options or shard) was altered after it was written' });
  }
  sortStudents(m.students).forEach((s, i) => {
    if (!sameMac(s.mac, expected.students[i])) {
      altered.push({ subject: s.id, message: `the manifest entry of student '${s.id}' (attempt ${s.attempt}) was altered after it was written (its files, sha256s, paper code or fingerprints)` });
    }
  });
  if (!sameMac(m.seal.cohortFiles, expected.seal.cohortFiles)) {
    altered.push({ subject: 'cohort', message: `the manifest's cohort key entries (${m.cohortFiles.map((f) => f.path).join(', ') || 'none'}) were altered after it was written` });
  }
  if (altered.length === 0 && !sameMac(m.seal.entries, expected.seal.entries)) {
    altered.push({ subject: 'entries', message: 'student entries were added to or removed from the manifest after it was written' });
  }
  return { sealed: true, altered };
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

const hex = (digits: number) => z.string().regex(new RegExp(`^[0-9a-f]{${digits}}$`), `expected ${digits} lowercase hex digits`);

const studentSchema = z.object({
  id: z.string().min(1),
  attempt: z.number().int().positive(),
  paperCode: z.string(),
  seedScheme: z.string(),
  paramsFingerprint: hex(32).optional(),
  inputs: z.object({
    student: hex(32), config: hex(32), templates: hex(32), tool: z.string(), browser: z.string().optional(), format: z.string(),
  }).optional(),
  files: z.array(fileSchema),
  mac: hex(64).optional(),
});

const v1StudentSchema = z.object({
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
  seal: z.object({ scheme: z.literal(SEAL_SCHEME), header: hex(64), cohortFiles: hex(64), entries: hex(64) }).optional(),
});

const v1ManifestSchema = manifestSchema.omit({ seal: true }).extend({ format: z.literal(MANIFEST_FORMAT_V1), students: z.array(v1StudentSchema) });

/** A v1 manifest as v2: no seal, no fingerprints (its unkeyed paramsHash gave the numbers away and is dropped). */
function upgradeV1(v1: z.infer<typeof v1ManifestSchema>): Manifest {
  return {
    ...v1, format: MANIFEST_FORMAT,
    students: v1.students.map(({ id, attempt, paperCode, seedScheme, files }) => ({ id, attempt, paperCode, seedScheme, files })),
  };
}

/** Checks parsed JSON is a v2 (or v1, upgraded) manifest; returns it, or a short reason it is not. */
export function parseManifestValue(value: unknown): { manifest: Manifest; upgradedFrom?: string } | { problem: string } {
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== MANIFEST_FORMAT && format !== MANIFEST_FORMAT_V1) {
    return { problem: `is not an rnn-exam manifest (format ${JSON.stringify(format ?? null)}, expected "${MANIFEST_FORMAT}")` };
  }
  const result = format === MANIFEST_FORMAT ? manifestSchema.safeParse(value) : v1ManifestSchema.safeParse(value);
  if (result.success) {
    return format === MANIFEST_FORMAT
      ? { manifest: result.data as Manifest }
      : { manifest: upgradeV1(result.data as z.infer<typeof v1ManifestSchema>), upgradedFrom: MANIFEST_FORMAT_V1 };
  }
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
