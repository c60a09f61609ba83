import { createHash } from 'node:crypto';
import { RnnExamError } from '../errors.ts';
import type { Manifest } from '../output/manifest.ts';

/** Shard `index` (1-based) of `count`: one machine's part of a roster. */
export interface Shard { index: number; count: number }

/**
 * The shard a student belongs to: the first 4 bytes of sha256(student ID), modulo the shard
 * count, plus one. It depends on the ID alone, never on roster order or on the secret, so a
 * reordered or extended roster keeps everyone where they were and anyone can recompute it.
 */
export function shardOf(studentId: string, count: number): number {
  return (createHash('sha256').update(studentId, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

export function inShard(studentId: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(studentId, shard.count) === shard.index;
}

/** `--shard K/N`, e.g. "2/8"; the error names the option and the fix. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || count > 100_000) {
    throw new RnnExamError({
      where: '--shard', what: `${JSON.stringify(text)} is not a shard K/N with 1 ≤ K ≤ N`,
      fix: 'write e.g. --shard 2/4 for the second of four shards (in a Slurm array: --shard $SLURM_ARRAY_TASK_ID/4)',
    });
  }
  return { index, count };
}

export const shardLabel = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * A folder holds one shard, or a whole run: mixing them would make one manifest describe two
 * different sets of students. Each shard gets its own --out folder.
 */
export function checkSameShard(existing: Manifest | undefined, shard: Shard | undefined, outDir: string): void {
  if (!existing || existing.students.length === 0) return;
  const before = existing.shard;
  if (before?.index === shard?.index && before?.count === shard?.count) return;
  const what = (s: Shard | undefined) => (s ? `shard ${shardLabel(s)}` : 'a whole (unsharded) run');
  throw new RnnExamError({
    where: outDir,
    what: `this folder holds ${what(before)}, and this run is ${what(shard)}`,
    fix: 'give every shard its own --out folder (e.g. output/<exam>/shard-K), then combine them with `rnn-exam merge-manifests`',
  });
}
