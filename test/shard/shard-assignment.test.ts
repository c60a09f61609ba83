import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/pipeline/shard.ts';

const ids = Array.from({ length: 2000 }, (_, i) => `${30_000_000 + i * 7919}`);

describe('shard assignment by student ID hash', () => {
  it('is pinned: the first 4 bytes of sha256(id), mod N, plus one', () => {
    // sha256("32881907") starts e6bcafe3 = 3871125475: mod 1, 2, 3, 4, 7 = 0, 1, 1, 3, 0.
    // A change here moves students between shards of runs already made: never change it.
    expect([1, 2, 3, 4, 7].map((n) => shardOf('32881907', n))).toEqual([1, 2, 2, 4, 1]);
  });

  it('every student is in exactly one of N shards, for several N', () => {
    for (const count of [1, 2, 3, 4, 7, 16]) {
      const counts = new Array<number>(count + 1).fill(0);
      for (const id of ids) {
        const homes = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(id, { index, count }));
        expect(homes).toEqual([shardOf(id, count)]);
        counts[homes[0]]++;
      }
      // balanced within a few percent: no shard gets far more than its share
      for (let k = 1; k <= count; k++) expect(Math.abs(counts[k] - ids.length / count)).toBeLessThan(ids.length / count * 0.25 + 10);
    }
  });

  it('depends on the ID alone, not on roster order', () => {
    const before = ids.map((id) => shardOf(id, 5));
    const reversed = [...ids].reverse().map((id) => shardOf(id, 5)).reverse();
    expect(reversed).toEqual(before);
  });

  it('no shard is every student: inShard without a shard keeps everyone', () => {
    expect(ids.every((id) => inShard(id, undefined))).toBe(true);
  });

  it('parses K/N and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/3', '1.5/3', '']) {
      expect(() => parseShard(bad), bad).toThrow(/--shard: .* is not a shard K\/N/);
    }
  });
});
