import type { CommandModule } from 'yargs';
import { mergeManifests, type MergeSummary } from '../pipeline/merge-manifests.ts';

interface MergeArgs {
  out: string;
  roster: string;
  copy: boolean;
  secretFile?: string;
  json: boolean;
  shards: string[];
}

/** `rnn-exam merge-manifests --roster FILE --out DIR SHARD_DIR…`: the shards of `generate --shard K/N` as one run. */
export function mergeManifestsCommand(setExit: (code: number) => void): CommandModule<object, MergeArgs> {
  return {
    command: 'merge-manifests <shards..>',
    describe: 'Check that the shard folders of `generate --shard K/N` cover the roster exactly once, and write one manifest for them',
    builder: (y) => y
      .positional('shards', { type: 'string', array: true, describe: 'the output folder of every shard' })
      .option('out', { type: 'string', demandOption: true, describe: 'folder for the merged manifest.json (the shards\' files must be there, or use --copy)' })
      .option('roster', { type: 'string', demandOption: true, describe: 'the full roster CSV the shards were made from' })
      .option('copy', { type: 'boolean', default: false, describe: 'copy every shard\'s files into --out (checked against their hashes)' })
      .option('secret-file', { type: 'string', describe: 'file holding the staff secret (default: RNN_EXAM_SECRET): checks each shard\'s seal and seals the merged manifest' })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON' }) as never,
    handler: async (args) => {
      const summary = await mergeManifests({ outDir: args.out, shardDirs: args.shards, rosterPath: args.roster, copy: args.copy, secretFile: args.secretFile });
      report(summary, args.json);
      setExit(0);
    },
  };
}

function report(s: MergeSummary, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return;
  }
  process.stdout.write(`Merged ${s.shards} shards: ${s.students} students, ${s.files} files${s.copied ? ` (${s.copied} copied)` : ''}; manifest.json written to ${s.outDir}/.\n`);
}
