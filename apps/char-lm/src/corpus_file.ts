/** Reading a corpus file (Node only); the checks are `decodeCorpus`'s. */
import { readFileSync } from 'node:fs';
import { decodeCorpus } from './corpus.js';
import { CliError } from './errors.js';

/**
 * Reads a UTF-8 text file for `flag`. Refuses, naming the file: a missing file, an empty one, a
 * binary one (NUL bytes or invalid UTF-8) and one with fewer than two distinct characters.
 */
export function readCorpus(path: string, flag: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CliError(
      `${flag}: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return decodeCorpus(bytes, flag, path);
}
