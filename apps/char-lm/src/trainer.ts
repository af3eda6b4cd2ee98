/**
 * The char model's optimisation, one step at a time: stateful truncated BPTT over B parallel
 * streams of the text (the state carried from window to window, reset each pass, each pass
 * shifted by a random offset), Adam with a warm-up + cosine schedule and global-norm clipping.
 * Browser-safe: the command line's train loop and the playground's Web Worker both drive it.
 */
import {
  dispose,
  keep,
  Random,
  RnnkitError,
  slice,
  type Tensor,
  type Variable,
  variableGrads,
} from '@rnnkit/core';
import {
  Adam,
  bpttBatches,
  cosineLR,
  loadWeightsInto,
  type ModelArtifacts,
  type OptimizerState,
  type RecurrentState,
  sparseCategoricalCrossEntropy,
  warmupLR,
} from '@rnnkit/nn';
import { buildModel, type CharModel, type ModelConfig, runModel } from './model.js';
import { type RunState, type TrainSettings, unpackTensor } from './run_state.js';

/** Final lr of the cosine decay, as a fraction of the peak lr. */
const MIN_LR_FACTOR = 0.1;

/** The settings that shape the optimisation. */
export type TrainerSettings = Pick<TrainSettings, 'seq' | 'batch' | 'lr' | 'seed' | 'warmupSteps'>;

/** Where the optimisation is; the trainer advances it in place (a {@link RunState} is one). */
export type TrainerPosition = Pick<
  RunState,
  'step' | 'epoch' | 'batchInEpoch' | 'epochOffset' | 'trainChars' | 'plannedSteps'
>;

/** The position of a fresh run whose schedule spans `plannedSteps`. */
export function startPosition(plannedSteps: number): TrainerPosition {
  return { step: 0, epoch: 0, batchInEpoch: 0, epochOffset: 0, trainChars: 0, plannedSteps };
}

/** A step's loss was not finite: the weights are no longer usable. */
export class TrainingDivergedError extends RnnkitError {
  /** The step (1-based) whose loss was not finite. */
  readonly step: number;
  /** That loss. */
  readonly loss: number;
  constructor(step: number, loss: number) {
    super(`training diverged at step ${step} (loss ${loss}); lower the learning rate`);
    this.step = step;
    this.loss = loss;
  }
}

/** Builds the model from `settings.seed` and trains it one window of B × T characters per {@link CharTrainer.step}. */
export class CharTrainer {
  /** The model being trained. */
  readonly model: CharModel;
  /** Its trainable parameters, in the order the optimizer state is saved. */
  readonly params: Variable[];
  /** The optimizer. */
  readonly optimizer: Adam;
  /** Draws the weights' initial values and then every dropout mask. */
  readonly rng: Random;
  /** Draws each pass's offset into the text. */
  readonly dataRng: Random;
  /** The recurrent state carried into the next window (undefined at the start of a pass). */
  carried: RecurrentState | undefined;
  private batches: { x: Tensor; y: Tensor; numBatches: number };
  private schedule: (step: number) => number;

  /**
   * @param ids - the encoded training text.
   * @param config - the architecture.
   * @param settings - window, batch, learning rate, seed and warm-up.
   * @param position - where the run is, advanced in place by every step.
   */
  constructor(
    readonly ids: Int32Array,
    config: ModelConfig,
    readonly settings: TrainerSettings,
    readonly position: TrainerPosition,
  ) {
    this.rng = new Random(settings.seed);
    this.model = buildModel(config, this.rng);
    this.params = this.model.net.trainableParameters();
    this.dataRng = new Random(settings.seed + 1);
    this.schedule = this.makeSchedule(position.plannedSteps);
    this.optimizer = new Adam({ lr: (s) => this.schedule(s), clipNorm: 1 });
    this.batches = this.epochBatches(position.epochOffset);
  }

  /** Continues a checkpoint: its weights, optimizer moments, random states and carried state. */
  resume(checkpoint: { model: ModelArtifacts; optimizer?: OptimizerState }, run: RunState): void {
    loadWeightsInto(this.model.net, checkpoint.model.manifest, checkpoint.model.weights);
    if (checkpoint.optimizer) this.optimizer.setState(this.params, checkpoint.optimizer);
    this.rng.setState(run.rng.dropout);
    this.dataRng.setState(run.rng.data);
    if (this.carried) dispose(this.carried);
    this.carried = run.carried
      ? run.carried.c
        ? { h: unpackTensor(run.carried.h), c: unpackTensor(run.carried.c) }
        : { h: unpackTensor(run.carried.h) }
      : undefined;
  }

  /** Makes the cosine schedule span `plannedSteps` (re-estimated under a time budget). */
  replan(plannedSteps: number): void {
    this.position.plannedSteps = plannedSteps;
    this.schedule = this.makeSchedule(plannedSteps);
  }

  /** The learning rate of the next step. */
  get learningRate(): number {
    return this.schedule(this.optimizer.iterations);
  }

  /**
   * One optimizer step on the next window; returns its mean loss in nats per character. A loss
   * that is not finite is a {@link TrainingDivergedError}, thrown before the position advances.
   */
  step(): number {
    const { batch: B, seq: T } = this.settings;
    const pos = this.position;
    if (pos.batchInEpoch === this.batches.numBatches) {
      pos.epoch++;
      pos.batchInEpoch = 0;
      pos.epochOffset = this.dataRng.int(T);
      dispose([this.batches.x, this.batches.y]);
      this.batches = this.epochBatches(pos.epochOffset);
      if (this.carried) dispose(this.carried);
      this.carried = undefined;
    }
    const k = pos.batchInEpoch;
    const x = slice(this.batches.x, [k * B, 0], [B, T]);
    const y = slice(this.batches.y, [k * B, 0], [B, T]);
    let next: RecurrentState | undefined;
    const { value, grads } = variableGrads(() => {
      const out = runModel(this.model, x, this.carried, true);
      next = out.state.c
        ? { h: keep(out.state.h), c: keep(out.state.c) }
        : { h: keep(out.state.h) };
      return sparseCategoricalCrossEntropy(out.logits, y);
    }, this.params);
    this.optimizer.applyGradients(this.params, grads);
    const loss = value.item();
    dispose([value, grads, x, y]);
    if (this.carried) dispose(this.carried);
    this.carried = next;
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(pos.step + 1, loss);
    pos.step++;
    pos.batchInEpoch++;
    pos.trainChars += B * T;
    return loss;
  }

  /** Frees the batches, the carried state and the optimizer's moments (not the model). */
  dispose(): void {
    dispose([this.batches.x, this.batches.y]);
    if (this.carried) dispose(this.carried);
    this.carried = undefined;
    this.optimizer.dispose();
  }

  /** Warm-up then cosine decay to a tenth of the lr over `plannedSteps`. */
  private makeSchedule(plannedSteps: number): (step: number) => number {
    const { lr, warmupSteps } = this.settings;
    return warmupLR(
      cosineLR({ lr, totalSteps: Math.max(1, plannedSteps), minLr: lr * MIN_LR_FACTOR }),
      { warmupSteps },
    );
  }

  /** One pass over the training text, its lanes starting `offset` characters in. */
  private epochBatches(offset: number): { x: Tensor; y: Tensor; numBatches: number } {
    const { batch: batchSize, seq: seqLen } = this.settings;
    return bpttBatches(this.ids.subarray(offset), { batchSize, seqLen });
  }
}
