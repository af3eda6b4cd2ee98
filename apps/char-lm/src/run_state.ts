/**
 * What a char-LM checkpoint holds besides weights and optimizer, checking it, and rebuilding its
 * model. Browser-safe (reading checkpoint directories is in `run_files.ts`).
 */
import { Random, type RandomState, type Tensor, tensor } from '@rnnkit/core';
import { loadWeightsInto, type ModelArtifacts, type OptimizerState } from '@rnnkit/nn';
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
  const bytes = new Uint8Array(Float32Array.from(t.dataSync()).buffer);
  let binary = '';
  // in chunks: String.fromCharCode takes its bytes as arguments, and arguments are limited
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { shape: [...t.shape], base64: btoa(binary) };
}

/** The tensor {@link packTensor} packed. */
export function unpackTensor(p: PackedTensor): Tensor {
  const binary = atob(p.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return tensor(new Float32Array(bytes.buffer), p.shape, 'float32');
}

/** A checkpoint of this app, read back (from a directory, or from files in a browser). */
export interface LoadedRun {
  /** The model's manifest and weights, and the optimizer state when one was saved. */
  checkpoint: { model: ModelArtifacts; optimizer?: OptimizerState };
  run: RunState;
  /** Where it came from (a directory, a file name), for messages. */
  dir: string;
}

/**
 * `state` (a checkpoint's JSON) as this app's {@link RunState}; anything else is a
 * {@link CliError} naming `flag` and `where` it came from.
 */
export function checkRunState(state: unknown, flag: string, where: string): RunState {
  const run = state as RunState;
  const m = run?.model;
  const valid =
    run?.app === APP_ID &&
    Array.isArray(run.vocab) &&
    run.vocab.every((c) => typeof c === 'string') &&
    m !== null &&
    typeof m === 'object' &&
    CELLS.includes(m.cell) &&
    [m.layers, m.hidden, m.embed].every((v) => Number.isInteger(v) && v > 0) &&
    m.vocabSize === run.vocab.length;
  if (!valid)
    throw new CliError(
      `${flag}: '${where}' is not a char-lm checkpoint (its checkpoint.json lacks a valid model and vocabulary)`,
    );
  return run;
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
