/**
 * The command line's training loop around {@link CharTrainer} (stateful truncated BPTT, Adam with
 * warm-up + cosine decay, clipping): a time or step budget (the schedule re-planned from the
 * measured speed), validation on the whole held-out part at a fixed wall-time interval,
 * metrics.jsonl + loss.svg, atomic checkpoints (last and best), and an exact `--resume`.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getBackend, type Variable } from '@rnnkit/core';
import { type Adam, lossCurveSvg, type RecurrentState } from '@rnnkit/nn';
import { saveCheckpoint, writeFileAtomic } from '@rnnkit/nn/node';
import type { Vocabulary } from './corpus.js';
import { CliError } from './errors.js';
import { meanLoss } from './evaluate.js';
import type { CharModel, ModelConfig } from './model.js';
import { type TrainDisplay, toBits } from './progress.js';
import type { LoadedRun } from './run_files.js';
import { APP_ID, packTensor, type RunState, type TrainSettings } from './run_state.js';
import { defaultPrime, sampleText } from './sample.js';
import { CharTrainer, TrainingDivergedError } from './trainer.js';

/** One row of metrics.jsonl. */
export interface MetricsRow {
  step: number;
  seconds: number;
  trainLoss: number;
  valLoss: number;
  valBitsPerChar: number;
  charsPerSecond: number;
  backend: string;
}

/** A training job, fully checked by the CLI. */
export interface TrainJob {
  /** The training text already split and encoded. */
  train: Int32Array;
  valid: Int32Array;
  vocab: Vocabulary;
  model: ModelConfig;
  settings: TrainSettings;
  /** Output directory (created; `last/`, `best/`, metrics.jsonl, loss.svg). */
  out: string;
  /** Seconds between validations (wall time). */
  evalEvery: number;
  /** The checkpoint to continue from. */
  resume?: LoadedRun;
  /** Stops the run after the current step; a checkpoint is written first. */
  signal?: AbortSignal;
  /** Where the display writes. */
  display: TrainDisplay;
  /** Called after every step (tests use it to interrupt). */
  onStep?(step: number): void;
}

/** What a run ends with. */
export interface TrainResult {
  model: CharModel;
  steps: number;
  seconds: number;
  lastValLoss: number | null;
  bestValLoss: number | null;
  interrupted: boolean;
}

/** Trains (or continues) a model; see the module comment. */
export async function train(job: TrainJob): Promise<TrainResult> {
  const { settings, display } = job;
  const B = settings.batch;
  const T = settings.seq;
  const budgetSeconds = 'minutes' in settings.budget ? settings.budget.minutes * 60 : Infinity;
  const budgetSteps = 'steps' in settings.budget ? settings.budget.steps : Infinity;

  const run: RunState = job.resume
    ? { ...(job.resume.run as RunState), train: settings }
    : freshRunState(job, budgetSteps);
  if (Number.isFinite(budgetSteps)) run.plannedSteps = budgetSteps;

  const trainer = new CharTrainer(job.train, job.model, settings, run);
  if (job.resume) trainer.resume(job.resume.checkpoint, run);
  const { model, optimizer, params, rng, dataRng } = trainer;
  run.rng = { dropout: rng.getState(), data: dataRng.getState() };

  const backend = getBackend().name;
  run.backend = backend;
  const sessionStart = performance.now();
  const secondsAtStart = run.seconds;
  const elapsed = () => secondsAtStart + (performance.now() - sessionStart) / 1000;
  let lastEvalAt = elapsed();
  let lastEvalSeconds = 0;
  let interval: Interval = { loss: 0, steps: 0, seconds: 0 };
  let rate = Number.NaN;
  let interrupted = false;
  const stepsAtStart = run.step;

  const snapshot = async (dir: string) => {
    run.seconds = elapsed();
    run.rng = { dropout: rng.getState(), data: dataRng.getState() };
    run.carried = packCarried(trainer.carried);
    await saveRun(join(job.out, dir), model, optimizer, params, run);
  };

  const evaluate = async () => {
    const t0 = performance.now();
    const valLoss = meanLoss(model, job.valid);
    run.lastValLoss = valLoss;
    const row = metricsRow(run.step, elapsed(), valLoss, interval, B * T, backend);
    interval = { loss: 0, steps: 0, seconds: 0 };
    await appendFile(join(job.out, 'metrics.jsonl'), `${JSON.stringify(row)}\n`);
    await writeLossSvg(job.out);
    if (run.bestValLoss === null || valLoss < run.bestValLoss) {
      run.bestValLoss = valLoss;
      await snapshot('best');
    }
    await snapshot('last');
    display.evaluation({ ...status(row.trainLoss), charsPerSecond: row.charsPerSecond });
    if (display.live) display.sample(sampleAt(model, job.vocab, run.step));
    lastEvalSeconds = (performance.now() - t0) / 1000;
    lastEvalAt = elapsed();
  };

  const status = (trainLoss: number) =>
    statusOf(run, trainLoss, rate, elapsed(), B * T, budgetSteps, budgetSeconds);

  const secondsPerStep = () =>
    run.step > stepsAtStart ? (elapsed() - secondsAtStart) / (run.step - stepsAtStart) : 0;
  // under a time budget, stop while two more steps and the final validation (timed by the last
  // one, with a margin: the machine's load may change) still fit
  const outOfBudget = () =>
    run.step >= budgetSteps ||
    elapsed() + (2 * B * T) / (rate || Infinity) + 1.25 * evalSeconds() + 1 >= budgetSeconds;
  // before the first validation its cost is guessed: a forward pass costs about a third of a
  // training step per character; half the training time per character leaves a margin
  const evalSeconds = () => lastEvalSeconds || job.valid.length / (2 * rate || Infinity);
  // an interval validation is skipped when the final one is less than half an interval away
  const evalDue = () =>
    elapsed() - lastEvalAt >= job.evalEvery &&
    !outOfBudget() &&
    budgetSeconds - elapsed() > job.evalEvery / 2;

  try {
    while (!outOfBudget()) {
      // let signal handlers (Ctrl-C) run: the steps themselves never yield to the event loop
      await new Promise((done) => setImmediate(done));
      if (job.signal?.aborted) {
        interrupted = true;
        break;
      }
      const t0 = performance.now();
      const loss = stepOrExplain(trainer, settings.lr);
      const stepSeconds = (performance.now() - t0) / 1000;
      interval = withStep(interval, loss, stepSeconds);
      rate = smoothedRate(rate, (B * T) / stepSeconds);
      job.onStep?.(run.step);
      if (
        Number.isFinite(budgetSeconds) &&
        (run.step - stepsAtStart === 20 || elapsed() - lastEvalAt >= job.evalEvery)
      ) {
        trainer.replan(
          run.step + Math.max(1, Math.floor((budgetSeconds - elapsed()) / secondsPerStep())),
        );
      }
      display.status(status(interval.loss / interval.steps));
      if (evalDue()) await evaluate();
    }
    if (interrupted) {
      await snapshot('last');
      display.line(
        `interrupted at step ${run.step}: checkpoint written to ${join(job.out, 'last')}`,
      );
    } else {
      await evaluate();
    }
  } finally {
    trainer.dispose();
  }
  return {
    model,
    steps: run.step,
    seconds: elapsed(),
    lastValLoss: run.lastValLoss,
    bestValLoss: run.bestValLoss,
    interrupted,
  };
}

/** Characters per second, smoothed over the last steps (the first step's own rate to start). */
function smoothedRate(rate: number, stepRate: number): number {
  return Number.isNaN(rate) ? stepRate : 0.9 * rate + 0.1 * stepRate;
}

/** What the display shows of the run: progress, losses, speed and the time left. */
function statusOf(
  run: RunState,
  trainLoss: number,
  rate: number,
  seconds: number,
  charsPerStep: number,
  budgetSteps: number,
  budgetSeconds: number,
) {
  return {
    step: run.step,
    trainLoss,
    valLoss: run.lastValLoss,
    charsPerSecond: rate,
    seconds,
    eta: Number.isFinite(budgetSteps)
      ? ((budgetSteps - run.step) * charsPerStep) / rate
      : Math.max(0, budgetSeconds - seconds),
  };
}

/** Writes a checkpoint of the model, the optimizer and the run state to `dir`. */
async function saveRun(
  dir: string,
  model: CharModel,
  optimizer: Adam,
  params: Variable[],
  run: RunState,
): Promise<void> {
  await saveCheckpoint(dir, {
    model: model.net,
    optimizer: { optimizer, params },
    state: run as unknown as Record<string, unknown>,
  });
}

/** Loss and training time summed since the last validation. */
interface Interval {
  loss: number;
  steps: number;
  seconds: number;
}

/** `interval` with one more step of `loss` that took `seconds`. */
function withStep(interval: Interval, loss: number, seconds: number): Interval {
  return {
    loss: interval.loss + loss,
    steps: interval.steps + 1,
    seconds: interval.seconds + seconds,
  };
}

/** One step of `trainer`; a loss that stopped being a number stops the run, saying what to change. */
function stepOrExplain(trainer: CharTrainer, lr: number): number {
  try {
    return trainer.step();
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
    throw new CliError(
      `training diverged at step ${e.step} (loss ${e.loss}); lower --lr (now ${lr})`,
    );
  }
}

/** The metrics line of one validation. */
function metricsRow(
  step: number,
  seconds: number,
  valLoss: number,
  interval: Interval,
  charsPerStep: number,
  backend: string,
): MetricsRow {
  const trainLoss = interval.steps > 0 ? interval.loss / interval.steps : Number.NaN;
  return {
    step,
    seconds: round(seconds, 2),
    trainLoss: round(trainLoss, 5),
    valLoss: round(valLoss, 5),
    valBitsPerChar: round(toBits(valLoss), 5),
    charsPerSecond: Math.round(
      interval.seconds > 0 ? (interval.steps * charsPerStep) / interval.seconds : 0,
    ),
    backend,
  };
}

/** The 200-character sample shown after a validation on a terminal. */
function sampleAt(model: CharModel, vocab: Vocabulary, step: number): string {
  return sampleText(model, vocab, {
    prime: defaultPrime(vocab),
    length: 200,
    temperature: 0.8,
    seed: step,
  });
}

/** The run state of a new training run (step 0; the generators' states are set by the trainer). */
function freshRunState(job: TrainJob, budgetSteps: number): RunState {
  return {
    app: APP_ID,
    version: 1,
    model: job.model,
    vocab: job.vocab.chars,
    train: job.settings,
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    epochOffset: 0,
    plannedSteps: Number.isFinite(budgetSteps) ? budgetSteps : 1e9,
    seconds: 0,
    trainChars: 0,
    bestValLoss: null,
    lastValLoss: null,
    rng: { dropout: { s: [] }, data: { s: [] } },
    carried: null,
  };
}

/** The recurrent state carried between batches, as the run state stores it. */
function packCarried(carried: RecurrentState | undefined): RunState['carried'] {
  if (!carried) return null;
  return carried.c
    ? { h: packTensor(carried.h), c: packTensor(carried.c) }
    : { h: packTensor(carried.h) };
}

/** Redraws loss.svg from metrics.jsonl (train and validation loss against wall time). */
async function writeLossSvg(out: string): Promise<void> {
  const rows = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MetricsRow)
    .filter((r) => Number.isFinite(r.trainLoss));
  const seen = new Set<number>();
  const points = rows.filter((r) => !seen.has(r.seconds) && seen.add(r.seconds));
  if (points.length === 0) return;
  const svg = lossCurveSvg(
    {
      'train loss': points.map((r) => r.trainLoss),
      'validation loss': points.map((r) => r.valLoss),
    },
    {
      x: points.map((r) => r.seconds),
      xLabel: 'seconds of training (wall time)',
      title: 'char-lm: loss in nats per character',
    },
  );
  await writeFileAtomic(join(out, 'loss.svg'), svg);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Throws unless `run` (a checkpoint's state) can continue with `model` and `vocab`. */
export function checkResumable(
  run: RunState,
  model: ModelConfig,
  vocab: Vocabulary,
  dir: string,
): void {
  const keys: (keyof ModelConfig)[] = ['cell', 'layers', 'hidden', 'embed'];
  for (const key of keys) {
    if (run.model[key] !== model[key])
      throw new CliError(
        `--resume: '${dir}' was trained with --${key === 'layers' ? 'layers' : key} ${run.model[key]}, but this run asks for ${model[key]}; drop the flag or start a new --out`,
      );
  }
  const saved = run.vocab.join('');
  if (saved !== vocab.chars.join('')) {
    const missing = vocab.chars.filter((c) => !run.vocab.includes(c));
    throw new CliError(
      `--resume: the text's vocabulary (${vocab.chars.length} characters) differs from the checkpoint's (${run.vocab.length})${
        missing.length
          ? `; new: ${missing
              .slice(0, 10)
              .map((c) => JSON.stringify(c))
              .join(', ')}`
          : ''
      }`,
    );
  }
}
