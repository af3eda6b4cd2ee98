// Shared test helpers: captured output, temporary directories, small slices of the corpus.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../src/commands.js';
import { DEFAULT_TEXT } from '../src/commands.js';

/** An Io whose output is collected in `text()`. */
export function captureIo(cwd: string, extra: Partial<Io> = {}): Io & { text(): string } {
  let out = '';
  const sink = { write: (s: string) => void (out += s), isTTY: false };
  return { out: sink, err: sink, cwd, text: () => out, ...extra };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'char-lm-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes the first `chars` characters of Tiny Shakespeare to `dir/name` and returns its path. */
export function corpusSlice(dir: string, chars: number, name = 'slice.txt'): string {
  const path = join(dir, name);
  writeFileSync(path, readFileSync(DEFAULT_TEXT, 'utf8').slice(0, chars));
  return path;
}
