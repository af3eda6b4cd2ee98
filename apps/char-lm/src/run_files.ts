/** Checkpoint directories on disk (Node only): which one `--model` / `--resume` means, and reading it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedCheckpoint, loadCheckpoint } from '@rnnkit/nn/node';
import { CliError } from './errors.js';
import { checkRunState, type LoadedRun } from './run_state.js';

export type { LoadedRun };

/** The checkpoint directory `--model DIR` / `--resume DIR` means: `DIR/best` or `DIR/last` of a run, or `DIR` itself. */
export function checkpointDir(dir: string, flag: string, prefer: 'best' | 'last'): string {
  const order = prefer === 'best' ? ['best', 'last'] : ['last', 'best'];
  for (const sub of order) if (existsSync(join(dir, sub, 'checkpoint.json'))) return join(dir, sub);
  if (existsSync(join(dir, 'checkpoint.json'))) return dir;
  throw new CliError(
    existsSync(dir)
      ? `${flag}: '${dir}' holds no checkpoint (expected ${join(dir, order[0], 'checkpoint.json')} from a train run)`
      : `${flag}: '${dir}' does not exist`,
  );
}

/** Reads a checkpoint and checks it is one of this app's; errors name `flag` and the directory. */
export async function readRun(dir: string, flag: string): Promise<LoadedRun> {
  let checkpoint: LoadedCheckpoint;
  try {
    checkpoint = await loadCheckpoint(dir);
  } catch (e) {
    throw new CliError(`${flag}: ${(e as Error).message}`);
  }
  return { checkpoint, run: checkRunState(checkpoint.state, flag, dir), dir };
}
