import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BIN } from '../helpers/run-cli.ts';

export const EXAMPLE_EXAM = 'examples/exam.json';
export const exampleExam = () => JSON.parse(readFileSync(EXAMPLE_EXAM, 'utf8')) as Record<string, any>;

/** A fresh temporary folder, removed when the test file is done (HTML runs leave ~1.5 MB per student). Call at the top level. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `rnn-exam-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeText(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  return writeText(dir, name, `${JSON.stringify(value, null, 2)}\n`);
}

/** `n` students S00001, S00002, … */
export function rosterText(n: number, name = (i: number) => `Student ${i}`): string {
  const rows = Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(5, '0')},${name(i + 1)}\n`);
  return `Student ID,Full name\n${rows.join('')}`;
}

/** Every file and folder under `dir` with a hash of its bytes; 'absent' when `dir` does not exist. */
export function snapshot(dir: string): Record<string, string> | 'absent' {
  if (!existsSync(dir)) return 'absent';
  if (!statSync(dir).isDirectory()) return { '': hashOf(readFileSync(dir)) };
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name).slice(dir.length + 1);
    out[path] = entry.isDirectory() ? 'folder' : hashOf(readFileSync(join(dir, path)));
  }
  return out;
}

function hashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Files only (no folders), relative paths, sorted. */
export function filesUnder(dir: string): string[] {
  const all = snapshot(dir);
  return all === 'absent' ? [] : Object.entries(all).filter(([, v]) => v !== 'folder').map(([k]) => k).sort();
}

/** The CLI as a child process we can signal, with its output collected. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })); // after its output has ended
  });
  return { child, done };
}

/** Waits until `check()` is true, polling every 20 ms; false if `stop()` turns true or time runs out first. */
export async function waitFor(check: () => boolean, stop: () => boolean, timeoutMs = 120_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    if (stop()) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** How many students manifest.json in `dir` lists now (0 when there is none yet). */
export function manifestStudents(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { students: unknown[] }).students.length;
  } catch {
    return 0;
  }
}

export interface CliResult { status: number | null; stdout: string; stderr: string }

/**
 * runCli without blocking the test worker: many synchronous runs in a row starve vitest's
 * own messages ("Timeout calling onTaskUpdate"). Same process, arguments and environment.
 */
export async function runCliAsync(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const { done } = startCli(args, options.env ?? {});
  const { code, stdout, stderr } = await done;
  return { status: code, stdout, stderr };
}
