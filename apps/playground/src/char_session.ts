/**
 * The worker's character model: training it with char-lm's own trainer (live steps and samples),
 * sampling it with char-lm's sampler, and saving or loading it as a char-lm checkpoint directory
 * (the layout `@rnnkit/nn/node`'s saveCheckpoint writes, so the command line reads the page's
 * models and the page reads the command line's).
 */
import type { Vocabulary } from '@rnnkit/char-lm/corpus';
import { meanLoss } from '@rnnkit/char-lm/evaluate';
import type { CharModel } from '@rnnkit/char-lm/model';
import { checkRunState, type RunState, restoreModel } from '@rnnkit/char-lm/run-state';
import { sampleText } from '@rnnkit/char-lm/sample';
import { CharTrainer } from '@rnnkit/char-lm/trainer';
import { getBackend, ValueError } from '@rnnkit/core';
import { crc32, decodeContainer, encodeOptimizerState, serialize, toArtifacts } from '@rnnkit/nn';
import { checkInt, checkNumber } from './checks.js';
import type {
  LoadedModel,
  NamedFile,
  SampleRequest,
  TrainEvent,
  TrainRequest,
  TrainSummary,
} from './protocol.js';
import { planTraining } from './training_plan.js';

/** The index file of a checkpoint directory, and its format tag (as `@rnnkit/nn/node` writes them). */
const INDEX = 'checkpoint.json';
const CHECKPOINT_FORMAT = 'rnnkit-checkpoint';
/** Held-out characters the end-of-training validation reads (all of them would take minutes on cpu). */
const VALIDATION_CHARS = 8192;
/** Steps the reported final loss averages. */
const FINAL_LOSS_STEPS = 10;

const hex = (n: number) => n.toString(16).padStart(8, '0');
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/** A model the worker holds, with what saving it as a checkpoint needs. */
interface Current {
  model: CharModel;
  vocab: Vocabulary;
  run: RunState;
  optimizer?: Uint8Array;
}

let current: Current | undefined;
let stopRequested = false;

/** One line about a model. */
function summary({ model, vocab, run }: Current, origin: string): LoadedModel {
  const c = model.config;
  return {
    kind: 'char-lm',
    summary: `char-lm ${c.layers}×${c.cell.toUpperCase()} ${c.hidden} (embedding ${c.embed}), ${vocab.chars.length} characters, ${run.step} steps — ${origin}`,
  };
}

/** Replaces the model the worker holds. */
function hold(next: Current): void {
  current?.model.net.dispose();
  current = next;
}

/** The model, or an error saying how to get one. */
function need(): Current {
  if (!current)
    throw new ValueError('no character model yet: train one or load one (Load model) first');
  return current;
}

/**
 * Takes the model off the active backend (its weights read back to memory) before the backend
 * changes; the function returned rebuilds it on the backend active when it is called.
 */
export function detachModel(): () => void {
  if (!current) return () => {};
  const { model, vocab, run, optimizer } = current;
  const artifacts = toArtifacts(model.net);
  model.net.dispose();
  current = undefined;
  return () => {
    const restored = restoreModel(
      { checkpoint: { model: artifacts }, run, dir: 'the previous backend' },
      'Backend',
    );
    current = { model: restored.model, vocab, run, optimizer };
  };
}

/** Asks a running {@link train} to end after its current step. */
export function stopTraining(): void {
  stopRequested = true;
}

/** Trains a fresh model as `req` asks, calling `emit` with each step and live sample. */
export async function train(
  req: TrainRequest,
  emit: (event: TrainEvent) => void,
): Promise<TrainSummary> {
  const text =
    req.text ?? new TextDecoder().decode(await (await fetchOk(req.defaultTextUrl)).arrayBuffer());
  const plan = planTraining(req, text);
  const { ids, valid, vocab, modelConfig, settings, run } = plan;
  const { batch, seq } = settings;
  const steps = 'steps' in settings.budget ? settings.budget.steps : Infinity;
  const seconds = 'minutes' in settings.budget ? settings.budget.minutes * 60 : Infinity;
  run.backend = getBackend().name;
  const trainer = new CharTrainer(ids, modelConfig, settings, run);
  stopRequested = false;
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const losses: number[] = [];
  let rate = Number.NaN;
  let lastSampleAt = Number.NEGATIVE_INFINITY;
  try {
    while (run.step < steps && elapsed() < seconds && !stopRequested) {
      // let the worker read its messages (stop, sample, …) between steps
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (stopRequested) break;
      const lrNow = trainer.learningRate;
      const t0 = performance.now();
      const loss = trainer.step();
      const stepRate = (batch * seq) / ((performance.now() - t0) / 1000);
      rate = Number.isNaN(rate) ? stepRate : 0.9 * rate + 0.1 * stepRate;
      losses.push(loss);
      if (Number.isFinite(seconds) && run.step === 10)
        trainer.replan(
          run.step + Math.max(1, Math.floor(((seconds - elapsed()) * rate) / (batch * seq))),
        );
      emit({
        event: 'step',
        step: run.step,
        loss,
        charsPerSecond: rate,
        seconds: elapsed(),
        lr: lrNow,
      });
      if (req.sampleEvery > 0 && elapsed() - lastSampleAt >= req.sampleEvery) {
        lastSampleAt = elapsed();
        emit({
          event: 'sample',
          step: run.step,
          text: sampleText(trainer.model, vocab, {
            prime: vocab.ids.has('\n') ? '\n' : vocab.chars[0],
            length: 160,
            temperature: 0.8,
            seed: run.step,
          }),
        });
      }
    }
    run.seconds = elapsed();
    run.rng = { dropout: trainer.rng.getState(), data: trainer.dataRng.getState() };
    const valLoss = meanLoss(trainer.model, valid.subarray(0, VALIDATION_CHARS + 1));
    run.lastValLoss = valLoss;
    run.bestValLoss = valLoss;
    const optimizer = new Uint8Array(
      encodeOptimizerState(trainer.optimizer.getState(trainer.params)),
    );
    hold({ model: trainer.model, vocab, run, optimizer });
    const tail = losses.slice(-FINAL_LOSS_STEPS);
    return {
      steps: run.step,
      seconds: run.seconds,
      finalLoss: tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length),
      valLoss,
      stopped: stopRequested,
      model: summary(need(), `trained here on ${getBackend().name}`),
    };
  } catch (e) {
    trainer.model.net.dispose();
    throw e;
  } finally {
    trainer.dispose();
  }
}

/** Generates text with the model the worker holds. */
export function sample(req: SampleRequest): string {
  const { model, vocab } = need();
  return sampleText(model, vocab, {
    prime: req.prime,
    primeLabel: 'Prime',
    length: checkInt('Length', req.length, 1, 100_000),
    temperature: checkNumber('Temperature', req.temperature, 0, 100),
    topK: req.topK === undefined ? undefined : checkInt('Top-k', req.topK, 1, vocab.chars.length),
    topP: req.topP === undefined ? undefined : checkNumber('Top-p', req.topP, 1e-6, 1),
    seed: checkInt('Seed', req.seed, 0, 2 ** 31 - 1),
  });
}

/** The model as checkpoint files under `dir/` (index, model container, optimizer moments). */
export function saveFiles(dir: string): NamedFile[] {
  const { model, run, optimizer } = need();
  const tag = `${Date.now().toString(36)}-${hex(Math.floor(Math.random() * 2 ** 32))}`;
  const modelFile = `model-${tag}.rnnkit`;
  const files: NamedFile[] = [
    { name: `${dir}/${modelFile}`, bytes: new Uint8Array(serialize(model.net)) },
  ];
  const index: Record<string, unknown> = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    model: modelFile,
  };
  if (optimizer) {
    const file = `optimizer-${tag}.safetensors`;
    index.optimizer = { file, crc32: hex(crc32(optimizer)) };
    files.push({ name: `${dir}/${file}`, bytes: optimizer });
  }
  index.state = run;
  files.unshift({
    name: `${dir}/${INDEX}`,
    bytes: new TextEncoder().encode(`${JSON.stringify(index, null, 2)}\n`),
  });
  return files;
}

/** The `checkpoint.json` among `files` to load: of `best/` before `last/` when a whole run was picked. */
export function findCheckpointIndex(files: readonly NamedFile[]): NamedFile | undefined {
  const indexes = files.filter((f) => baseName(f.name) === INDEX);
  return (
    indexes.find((f) => f.name.endsWith(`best/${INDEX}`)) ??
    indexes.find((f) => f.name.endsWith(`last/${INDEX}`)) ??
    indexes[0]
  );
}

/** Loads the char-lm checkpoint whose index is `index`, its model file found among `files`. */
export function loadCheckpoint(index: NamedFile, files: readonly NamedFile[]): LoadedModel {
  let parsed: { format?: unknown; model?: unknown; state?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(index.bytes));
  } catch (e) {
    throw new ValueError(`Load model: ${index.name} is not valid JSON (${(e as Error).message})`);
  }
  if (parsed?.format !== CHECKPOINT_FORMAT || typeof parsed.model !== 'string')
    throw new ValueError(
      `Load model: ${index.name} is not an rnnkit checkpoint index ('format' must be '${CHECKPOINT_FORMAT}')`,
    );
  const wanted = dirName(index.name) + parsed.model;
  const modelFile =
    files.find((f) => f.name === wanted) ?? files.find((f) => baseName(f.name) === parsed.model);
  if (!modelFile)
    throw new ValueError(
      `Load model: ${index.name} names ${parsed.model}, which is not among the files picked; pick the whole checkpoint folder (or its .tar)`,
    );
  const run = checkRunState(parsed.state, 'Load model', index.name);
  let artifacts: ReturnType<typeof decodeContainer>;
  try {
    artifacts = decodeContainer(modelFile.bytes);
  } catch (e) {
    throw new ValueError(`Load model: ${modelFile.name}: ${(e as Error).message}`);
  }
  const { model, vocab } = restoreModel(
    { checkpoint: { model: artifacts }, run, dir: dirName(index.name) || index.name },
    'Load model',
  );
  hold({ model, vocab, run });
  return summary(need(), `loaded from ${index.name}`);
}

/** Fetches `url`, failing with its status. */
export async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url} failed: HTTP ${response.status}`);
  return response;
}
