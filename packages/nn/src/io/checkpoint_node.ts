/**
 * Training checkpoints as directories (Node only): the model, the optimizer's state and the
 * caller's JSON, replaced all at once so a crash or Ctrl-C never leaves a mixed or half-written one.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError, type Variable } from '@rnnkit/core';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import { writeFileAtomic } from './atomic_write.js';
import { crc32 } from './crc32.js';
import { decodeOptimizerState, encodeOptimizerState } from './optimizer_state.js';
import { decodeContainer, type ModelArtifacts, type Saveable, serialize } from './serialize.js';

/** The `format` value of a checkpoint's `checkpoint.json`. */
export const CHECKPOINT_FORMAT = 'rnnkit-checkpoint';
const INDEX = 'checkpoint.json';
const hex = (n: number) => n.toString(16).padStart(8, '0');

/** What {@link saveCheckpoint} writes. */
export interface CheckpointContents {
  /** The model (architecture and weights). */
  model: Saveable;
  /** The optimizer, with the parameters whose slots to save (in the order to restore them). */
  optimizer?: { optimizer: Optimizer; params: readonly Variable[] };
  /** Anything else to keep (JSON): configuration, vocabulary, data position, RNG states, … */
  state?: Record<string, unknown>;
}

/** What {@link loadCheckpoint} reads back. */
export interface LoadedCheckpoint {
  /** The model's manifest and weights: `fromArtifacts` rebuilds it, `loadWeightsInto` fills an existing one. */
  model: ModelArtifacts;
  /** The optimizer state, for `optimizer.setState(params, …)`, when one was saved. */
  optimizer?: OptimizerState;
  /** The caller's JSON. */
  state: Record<string, unknown>;
}

interface CheckpointIndex {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  model: string;
  optimizer?: { file: string; crc32: string };
  state: Record<string, unknown>;
}

/**
 * Writes a checkpoint into directory `dir` (created if needed): the model as one `.rnnkit`
 * container, the optimizer state as safetensors, each under a fresh name, then the
 * `checkpoint.json` that points at them, atomically, then removes the previous checkpoint's
 * files. Until the index is renamed into place a reader sees the previous checkpoint whole.
 * @example
 * ```ts
 * import { mkdtemp, rm } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadCheckpoint, saveCheckpoint } from '@rnnkit/nn/node';
 *
 * const model = new Sequential([new Dense({ inputSize: 2, units: 1, seed: 0 })]);
 * const params = model.trainableParameters();
 * const optimizer = new Adam({ lr: 0.01 });
 * optimizer.applyGradients(params, params.map((p) => onesLike(p)));
 * const dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
 * await saveCheckpoint(dir, { model, optimizer: { optimizer, params }, state: { epoch: 3 } });
 *
 * const saved = await loadCheckpoint(dir);
 * const again = fromArtifacts<Sequential>(saved.model.manifest, saved.model.weights);
 * const resumed = new Adam({ lr: 0.01 });
 * resumed.setState(again.trainableParameters(), saved.optimizer!);
 * check([saved.state.epoch, resumed.iterations], [3, 1]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  const tag = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const index: CheckpointIndex = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    model: `model-${tag}.rnnkit`,
    state: contents.state ?? {},
  };
  await writeFileAtomic(join(dir, index.model), new Uint8Array(serialize(contents.model)));
  if (contents.optimizer) {
    const { optimizer, params } = contents.optimizer;
    const bytes = new Uint8Array(encodeOptimizerState(optimizer.getState(params)));
    index.optimizer = { file: `optimizer-${tag}.safetensors`, crc32: hex(crc32(bytes)) };
    await writeFileAtomic(join(dir, index.optimizer.file), bytes);
  }
  await writeFileAtomic(join(dir, INDEX), `${JSON.stringify(index, null, 2)}\n`);
  const keep = new Set([INDEX, index.model, index.optimizer?.file]);
  for (const name of await readdir(dir)) {
    if (
      !keep.has(name) &&
      /^(model|optimizer)-[0-9a-z]+-[0-9a-f]{8}\.(rnnkit|safetensors)$/.test(name)
    )
      await rm(join(dir, name), { force: true });
  }
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}. A missing directory or index, or a
 * damaged file (CRC-32 mismatch, truncation, wrong format) is a `FormatError` naming the file.
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const indexPath = join(dir, INDEX);
  let text: string;
  try {
    text = await readFile(indexPath, 'utf8');
  } catch (e) {
    throw new FormatError(
      `no checkpoint in '${dir}': cannot read ${INDEX} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let index: CheckpointIndex;
  try {
    index = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${indexPath} is not valid JSON (${(e as Error).message})`);
  }
  if (index?.format !== CHECKPOINT_FORMAT || typeof index.model !== 'string')
    throw new FormatError(
      `${indexPath} is not an rnnkit checkpoint index ('format' must be '${CHECKPOINT_FORMAT}')`,
    );
  const read = async (file: string) => {
    try {
      return await readFile(join(dir, file));
    } catch (e) {
      throw new FormatError(
        `checkpoint '${dir}' is incomplete: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  };
  const wrap = <T>(file: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new FormatError(`${join(dir, file)}: ${(e as Error).message}`);
    }
  };
  const modelBytes = await read(index.model);
  const model = wrap(index.model, () => decodeContainer(modelBytes));
  let optimizer: OptimizerState | undefined;
  if (index.optimizer) {
    const { file, crc32: expected } = index.optimizer;
    const bytes = await read(file);
    if (hex(crc32(bytes)) !== expected)
      throw new FormatError(
        `${join(dir, file)} is damaged: CRC-32 ${hex(crc32(bytes))}, the index expects ${expected}`,
      );
    optimizer = wrap(file, () => decodeOptimizerState(bytes));
  }
  return { model, optimizer, state: index.state ?? {} };
}
