/** The commands: train (and the no-command demo), sample and eval, on checked flags. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalFlags, SampleFlags, TrainFlags } from './args.js';
import { BACKENDS, type BackendName, useBackend } from './backends.js';
import { distinctChars, encode, makeVocabulary, splitCorpus } from './corpus.js';
import { readCorpus } from './corpus_file.js';
import { CliError } from './errors.js';
import { meanLoss } from './evaluate.js';
import type { ModelConfig } from './model.js';
import { type Output, TrainDisplay, toBits } from './progress.js';
import { checkpointDir, type LoadedRun, readRun } from './run_files.js';
import { type Budget, restoreModel, type TrainSettings } from './run_state.js';
import { defaultPrime, sampleText } from './sample.js';
import { checkResumable, type TrainResult, train } from './train.js';

/** The corpus shipped with the app (Tiny Shakespeare, public domain). */
export const DEFAULT_TEXT = fileURLToPath(new URL('../data/tinyshakespeare.txt', import.meta.url));

/** The recommended 20-minute setting (see the README). */
export const DEFAULTS = {
  cell: 'lstm',
  layers: 2,
  hidden: 256,
  embed: 64,
  seq: 64,
  batch: 32,
  lr: 3e-3,
  dropout: 0,
  minutes: 20,
  seed: 1,
} as const;

/** Where a command writes, and what it is told. */
export interface Io {
  out: Output;
  /** Messages that are not results (warnings). */
  err: Output;
  /** Directory relative paths are resolved against. */
  cwd: string;
  signal?: AbortSignal;
  onStep?(step: number): void;
}

/** Warm-up steps: 5 % of a step budget, or 5 per minute of a time budget; between 1 and 100. */
const warmupFor = (budget: Budget) =>
  Math.max(
    1,
    Math.min(100, Math.round('steps' in budget ? budget.steps * 0.05 : budget.minutes * 5)),
  );

/** Seconds between validations by default: a tenth of a time budget, between 30 s and 2 min. */
const evalEveryFor = (budget: Budget) =>
  'minutes' in budget ? Math.min(120, Math.max(30, budget.minutes * 6)) : 120;

/** The backend a resumed run trained on, when it is one this app knows. */
function resumedBackend(run: LoadedRun['run'] | undefined): BackendName | undefined {
  const name = run?.backend;
  return BACKENDS.find((b) => b === name);
}

/** `train`: checks every input before writing anything, then trains. */
export async function runTrain(flags: TrainFlags, io: Io): Promise<TrainResult & { out: string }> {
  const at = (p: string) => resolve(io.cwd, p);
  let resume: LoadedRun | undefined;
  if (flags.resume !== undefined)
    resume = await readRun(checkpointDir(at(flags.resume), '--resume', 'last'), '--resume');
  const saved = resume?.run;
  const model: Omit<ModelConfig, 'vocabSize'> = {
    cell: flags.cell ?? saved?.model.cell ?? DEFAULTS.cell,
    layers: flags.layers ?? saved?.model.layers ?? DEFAULTS.layers,
    hidden: flags.hidden ?? saved?.model.hidden ?? DEFAULTS.hidden,
    embed: flags.embed ?? saved?.model.embed ?? DEFAULTS.embed,
    dropout: flags.dropout ?? saved?.model.dropout ?? DEFAULTS.dropout,
  };
  const budget: Budget =
    flags.steps !== undefined
      ? { steps: flags.steps }
      : flags.minutes !== undefined
        ? { minutes: flags.minutes }
        : (saved?.train.budget ?? { minutes: DEFAULTS.minutes });
  const settings: TrainSettings = {
    text: flags.text !== undefined ? at(flags.text) : (saved?.train.text ?? DEFAULT_TEXT),
    seq: flags.seq ?? saved?.train.seq ?? DEFAULTS.seq,
    batch: flags.batch ?? saved?.train.batch ?? DEFAULTS.batch,
    lr: flags.lr ?? saved?.train.lr ?? DEFAULTS.lr,
    seed: flags.seed ?? saved?.train.seed ?? DEFAULTS.seed,
    warmupSteps: saved?.train.warmupSteps ?? warmupFor(budget),
    budget,
  };
  if (saved) {
    for (const key of ['seq', 'batch', 'lr', 'seed'] as const)
      if (settings[key] !== saved.train[key])
        throw new CliError(
          `--resume: '${resume?.dir}' was trained with --${key} ${saved.train[key]}, but this run asks for ${settings[key]}; an exact continuation needs the same value`,
        );
    if (model.dropout !== saved.model.dropout)
      throw new CliError(
        `--resume: '${resume?.dir}' was trained with --dropout ${saved.model.dropout}, but this run asks for ${model.dropout}`,
      );
  }
  const textFlag =
    flags.text !== undefined ? '--text' : resume ? '--resume (its text)' : 'the default corpus';
  const text = readCorpus(settings.text, textFlag);
  const vocab = makeVocabulary(distinctChars(text));
  const config: ModelConfig = { ...model, vocabSize: vocab.chars.length };
  if (resume) {
    checkResumable(resume.run, config, vocab, resume.dir);
    const { step, seconds } = resume.run;
    if ('steps' in budget ? step >= budget.steps : seconds >= budget.minutes * 60)
      throw new CliError(
        `--resume: '${resume.dir}' already used its budget (${step} steps, ${Math.round(seconds)} s); give a larger --minutes or --steps (they count the whole run)`,
      );
  }
  const { train: trainIds, valid } = splitCorpus(encode(text, vocab, textFlag));
  const { seq: T, batch: B } = settings;
  if (trainIds.length < T + 1)
    throw new CliError(
      `${textFlag}: '${settings.text}' is too short: its training part (90 %) has ${trainIds.length} characters, fewer than one window of --seq ${T} plus 1`,
    );
  if (trainIds.length < B * T + 1)
    throw new CliError(
      `${textFlag}: the training part of '${settings.text}' (${trainIds.length} characters) cannot hold --batch ${B} streams of --seq ${T} (needs ${B * T + 1}); lower --batch or --seq`,
    );
  if (valid.length < 2)
    throw new CliError(
      `${textFlag}: '${settings.text}' leaves no validation text (its last 10 % has ${valid.length} character)`,
    );
  const out =
    flags.out !== undefined
      ? at(flags.out)
      : resume
        ? basename(resume.dir) === 'last' || basename(resume.dir) === 'best'
          ? dirname(resume.dir)
          : resume.dir
        : at(join('char-lm-runs', new Date().toISOString().replace(/[:.]/g, '-')));
  if (
    !resume &&
    (existsSync(join(out, 'last', 'checkpoint.json')) || existsSync(join(out, 'metrics.jsonl')))
  )
    throw new CliError(
      `--out: '${out}' already holds a run; continue it with --resume '${out}' or choose another --out`,
    );
  const backend = await useBackend(flags.backend ?? resumedBackend(saved), (l) =>
    io.err.write(`${l}\n`),
  );
  if (
    saved?.backend !== undefined &&
    flags.backend !== undefined &&
    flags.backend !== saved.backend
  )
    io.err.write(
      `--backend ${flags.backend}: the run trained on ${saved.backend} so far; it continues, but not bit for bit as an uninterrupted run would\n`,
    );
  await mkdir(out, { recursive: true });
  const display = new TrainDisplay(io.out);
  const budgetText = 'steps' in budget ? `${budget.steps} steps` : `${budget.minutes} min`;
  display.line(
    `${resume ? `resuming at step ${resume.run.step}` : 'training'}: ${config.layers}×${config.cell.toUpperCase()}(${config.hidden}) embed ${config.embed}, vocab ${config.vocabSize}, ${trainIds.length} train / ${valid.length} validation chars, --seq ${T} --batch ${B} --lr ${settings.lr}, ${budgetText} on ${backend} → ${out}`,
  );
  const result = await train({
    train: trainIds,
    valid,
    vocab,
    model: config,
    settings,
    out,
    evalEvery: flags.evalEvery ?? evalEveryFor(budget),
    resume,
    signal: io.signal,
    display,
    onStep: io.onStep,
  });
  if (!result.interrupted && result.lastValLoss !== null)
    display.line(
      `done: ${result.steps} steps in ${result.seconds.toFixed(1)} s · validation ${result.lastValLoss.toFixed(4)} nats/char (${toBits(result.lastValLoss).toFixed(4)} bits/char) · best ${result.bestValLoss?.toFixed(4)} in ${join(out, 'best')}`,
    );
  return { ...result, out };
}

/** `sample`: streams generated characters to `io.out`. */
export async function runSample(flags: SampleFlags, io: Io): Promise<string> {
  const loaded = await readRun(
    checkpointDir(resolve(io.cwd, flags.model), '--model', 'best'),
    '--model',
  );
  await useBackend(flags.backend, (l) => io.err.write(`${l}\n`));
  const { model, vocab } = restoreModel(loaded, '--model');
  try {
    const prime = flags.prime ?? defaultPrime(vocab);
    encode(prime, vocab, '--prime');
    io.out.write(prime);
    const text = sampleText(
      model,
      vocab,
      {
        prime,
        length: flags.length,
        temperature: flags.temperature ?? 0.8,
        topK: flags.topK,
        topP: flags.topP,
        beam: flags.beam,
        seed: flags.seed,
      },
      (chunk) => io.out.write(chunk),
    );
    io.out.write('\n');
    return text;
  } finally {
    model.net.dispose();
  }
}

/** `eval`: the loss of a model on a text (default: its run's held-out 10 %). */
export async function runEval(
  flags: EvalFlags,
  io: Io,
): Promise<{ nats: number; bits: number; perplexity: number; chars: number }> {
  const loaded = await readRun(
    checkpointDir(resolve(io.cwd, flags.model), '--model', 'best'),
    '--model',
  );
  const path = flags.text !== undefined ? resolve(io.cwd, flags.text) : loaded.run.train.text;
  const flag = flags.text !== undefined ? '--text' : "--model (its run's text)";
  const text = readCorpus(path, flag);
  await useBackend(flags.backend, (l) => io.err.write(`${l}\n`));
  const { model, vocab } = restoreModel(loaded, '--model');
  try {
    const ids = encode(text, vocab, flag);
    const part = flags.text !== undefined ? ids : splitCorpus(ids).valid;
    if (part.length < 2)
      throw new CliError(
        `${flag}: '${path}' holds ${part.length} character; at least 2 are needed`,
      );
    const nats = meanLoss(model, part);
    const result = { nats, bits: toBits(nats), perplexity: Math.exp(nats), chars: part.length };
    io.out.write(
      `${flags.text !== undefined ? path : `${path} (held-out 10 %)`}: ${nats.toFixed(4)} nats/char · ${result.bits.toFixed(4)} bits/char · perplexity ${result.perplexity.toFixed(3)} over ${part.length - 1} predictions\n`,
    );
    return result;
  } finally {
    model.net.dispose();
  }
}
