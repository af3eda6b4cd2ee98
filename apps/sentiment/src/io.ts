// Terminal and file output shared by the commands: info lines, verbosity, atomic writes, Ctrl-C.
import { writeFileAtomic } from '@rnnkit/nn/node';
import type { PipelineOutput } from './pipeline.js';

/** How a command talks: results on stdout, everything else on stderr. */
export interface Console {
  /** Writes a result line to stdout. */
  out(line: string): void;
  /** Writes an informational line to stderr (unless quiet). */
  info(line: string): void;
  /** Progress settings for training. */
  pipeline: PipelineOutput;
}

/**
 * The process console: on a terminal a progress bar, otherwise one line per epoch on stderr
 * (so a log shows each epoch's validation accuracy); nothing with `quiet`.
 */
export function processConsole(quiet: boolean): Console {
  const info = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    info,
    pipeline: { info, verbose: quiet ? 0 : process.stderr.isTTY ? 1 : 2, stream: process.stderr },
  };
}

let writing = 0;
let interrupted = false;

/** Writes `data` to `file` atomically; Ctrl-C waits until it is written. */
export async function writeResult(file: string, data: string): Promise<void> {
  await guardWrite(() => writeFileAtomic(file, data));
}

/** Runs `write` with Ctrl-C deferred until it finishes, so no file is left half-written. */
export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
  writing++;
  try {
    return await write();
  } finally {
    writing--;
    if (interrupted && writing === 0) exitInterrupted();
  }
}

function exitInterrupted(): never {
  process.stderr.write('\ninterrupted: nothing was left half-written\n');
  process.exit(130);
}

/** Ctrl-C ends the process at once, or right after a write in progress. */
export function handleInterrupt(): void {
  process.on('SIGINT', () => {
    interrupted = true;
    if (writing === 0) exitInterrupted();
  });
}
