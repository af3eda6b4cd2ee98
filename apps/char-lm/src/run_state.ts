/** What a char-LM checkpoint holds besides weights and optimizer, and loading a model for `sample` / `eval`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Random, type RandomState, type Tensor, tensor } from '@rnnkit/core';
import { loadWeightsInto } from '@rnnkit/nn';
import { type LoadedCheckpoint, loadCheckpoint } from '@rnnkit/nn/node';
import { makeVocabulary, type Vocabulary } from './corpus.js';
import { CliError } from './errors.js';
import { buildModel, CELLS, type CharModel, type ModelConfig } from './model.js';

/** Marks a checkpoint's JSON as this app's. */
export const APP_ID = 'rnnkit-char-lm';

/** A float32 tensor as JSON (base64 of its little-endian bytes: exact and compact). */
export interface PackedTensor {
  shape: number[];
  base64: string;
}

/** How long to train: a wall-time budget or a number of optimizer steps. */
export type Budget = { minutes: number } | { steps: number };

/** The training settings a run keeps for `--resume`. */
export interface TrainSettings {
  text: string;
  seq: number;
  batch: number;
  lr: number;
  seed: number;
  warmupSteps: number;
  budget: Budget;
}

/** Everything besides weights and optimizer moments that `--resume` needs to continue exactly. */
export interface RunState {
  app: typeof APP_ID;
  version: 1;
  model: ModelConfig;
  vocab: string[];
  train: TrainSettings;
  /** Optimizer steps done. */
  step: number;
  /** Pass over the training text, from 0; `batchInEpoch` windows of it are done. */
  epoch: number;
  batchInEpoch: number;
  /** Where this pass's lanes start in the training text (a fresh shift every pass). */
  epochOffset: number;
  /** Steps the cosine schedule spans (re-estimated from speed under a `--minutes` budget). */
  plannedSteps: number;
  /** Wall seconds spent so far (training, evaluation, checkpoints). */
  seconds: number;
  /** Training characters processed so far. */
  trainChars: number;
  bestValLoss: number | null;
  lastValLoss: number | null;
  rng: { dropout: RandomState; data: RandomState };
  /**
   * The backend the last session trained on; `--resume` without `--backend` continues there,
   * because kernels of different backends round differently (absent in older checkpoints).
   */
  backend?: string;
  /** The recurrent state carried into the next window (null at the start of a pass). */
  carried: { h: PackedTensor; c?: PackedTensor } | null;
}

/** Packs a float32 tensor for JSON. */
export function packTensor(t: Tensor): PackedTensor {
  const data = Float32Array.from(t.dataSync());
  return { shape: [...t.shape], base64: Buffer.from(data.buffer).toString('base64') };
}

/** The tensor {@link packTensor} packed. */
export function unpackTensor(p: PackedTensor): Tensor {
  const bytes = Buffer.from(p.base64, 'base64');
  const data = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  return tensor(data, p.shape, 'float32');
}

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

/** A checkpoint of this app, read back. */
export interface LoadedRun {
  checkpoint: LoadedCheckpoint;
  run: RunState;
  /** Its directory. */
  dir: string;
}

/** Reads a checkpoint and checks it is one of this app's; errors name `flag` and the directory. */
export async function readRun(dir: string, flag: string): Promise<LoadedRun> {
  let checkpoint: LoadedCheckpoint;
  try {
    checkpoint = await loadCheckpoint(dir);
  } catch (e) {
    throw new CliError(`${flag}: ${(e as Error).message}`);
  }
  const run = checkpoint.state as unknown as RunState;
  const m = run.model;
  const valid =
    run.app === APP_ID &&
    Array.isArray(run.vocab) &&
    run.vocab.every((c) => typeof c === 'string') &&
    m !== null &&
    typeof m === 'object' &&
    CELLS.includes(m.cell) &&
    [m.layers, m.hidden, m.embed].every((v) => Number.isInteger(v) && v > 0) &&
    m.vocabSize === run.vocab.length;
  if (!valid)
    throw new CliError(
      `${flag}: '${dir}' is not a char-lm checkpoint (its checkpoint.json lacks a valid model and vocabulary)`,
    );
  return { checkpoint, run, dir };
}

/** Builds the model a checkpoint describes and loads its weights. */
export function restoreModel(
  { checkpoint, run, dir }: LoadedRun,
  flag: string,
): { model: CharModel; vocab: Vocabulary } {
  const rng = new Random(run.train?.seed ?? 0);
  const model = buildModel(run.model, rng);
  try {
    loadWeightsInto(model.net, checkpoint.model.manifest, checkpoint.model.weights);
  } catch (e) {
    model.net.dispose();
    throw new CliError(`${flag}: '${dir}': ${(e as Error).message}`);
  }
  return { model, vocab: makeVocabulary(run.vocab) };
}
