import { availableParallelism } from 'node:os';

/**
 * The most browser pages printing at once: each is a renderer process of ~100 MB, so beyond a
 * few per core they only add memory, never speed (1000 pages once took 6.8 GB in 7 s).
 */
export function printConcurrencyLimit(cores = availableParallelism()): number {
  return Math.max(4, cores * 4);
}
