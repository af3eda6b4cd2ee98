/**
 * Turning the page's training request into char-lm's trainer inputs: the checked settings, the
 * encoded text and its split, and the run state a checkpoint saves. Pure and browser-safe; the
 * tests build the same trainer in Node from the same plan.
 */
import {
  decodeCorpus,
  distinctChars,
  encode,
  makeVocabulary,
  splitCorpus,
  type Vocabulary,
} from '@rnnkit/char-lm/corpus';
import type { ModelConfig } from '@rnnkit/char-lm/model';
import { APP_ID, type RunState, type TrainSettings } from '@rnnkit/char-lm/run-state';
import { startPosition } from '@rnnkit/char-lm/trainer';
import { ValueError } from '@rnnkit/core';
import { checkInt, checkNumber } from './checks.js';
import type { TrainRequest } from './protocol.js';

/** Steps the schedule spans under a time budget until the measured speed re-plans it. */
const STEPS_BEFORE_REPLAN = 1000;

/** Everything a run starts from. */
export interface TrainingPlan {
  /** The training 90 % and held-out 10 % of the text, encoded. */
  ids: Int32Array;
  valid: Int32Array;
  vocab: Vocabulary;
  modelConfig: ModelConfig;
  settings: TrainSettings;
  /** The run state (position at step 0); the trainer advances it, a checkpoint saves it. */
  run: RunState;
}

/**
 * Checks `req` (errors name the page's controls) and plans the run on `text` (the pasted text,
 * or the shipped corpus when `req.text` is absent).
 */
export function planTraining(req: TrainRequest, text: string): TrainingPlan {
  const seq = checkInt('Window (seq)', req.seq, 2, 1024);
  const batch = checkInt('Batch', req.batch, 1, 1024);
  const lr = checkNumber('Learning rate', req.lr, 1e-6, 1);
  const seed = checkInt('Seed', req.seed, 0, 2 ** 31 - 1);
  if (!['lstm', 'gru', 'rnn'].includes(req.cell))
    throw new ValueError(`Cell must be lstm, gru or rnn, got ${JSON.stringify(req.cell)}`);
  const budget: TrainSettings['budget'] =
    'steps' in req.budget
      ? { steps: checkInt('Steps', req.budget.steps, 1, 1_000_000) }
      : { minutes: checkNumber('Seconds', req.budget.seconds, 0.5, 3600) / 60 };
  const source = req.text === undefined ? 'tinyshakespeare.txt' : 'the pasted text';
  const checked = decodeCorpus(new TextEncoder().encode(text), 'Text', source);
  const vocab = makeVocabulary(distinctChars(checked));
  const { train: ids, valid } = splitCorpus(encode(checked, vocab, 'Text'));
  if (ids.length < batch * seq + 1)
    throw new ValueError(
      `Text: the training part (90 %) of ${source} has ${ids.length} characters, fewer than Batch ${batch} × Window ${seq} + 1 = ${batch * seq + 1}; paste more text or lower Batch or Window`,
    );
  if (valid.length < 2)
    throw new ValueError(`Text: ${source} is too short to hold out 10 % for validation`);
  const plannedSteps = 'steps' in budget ? budget.steps : STEPS_BEFORE_REPLAN;
  const settings: TrainSettings = {
    text: source,
    seq,
    batch,
    lr,
    seed,
    warmupSteps: Math.min(100, Math.ceil(plannedSteps / 10)),
    budget,
  };
  const modelConfig: ModelConfig = {
    cell: req.cell,
    layers: checkInt('Layers', req.layers, 1, 4),
    hidden: checkInt('Hidden', req.hidden, 1, 1024),
    embed: checkInt('Embedding', req.embed, 1, 1024),
    dropout: 0,
    vocabSize: vocab.chars.length,
  };
  const run: RunState = {
    app: APP_ID,
    version: 1,
    model: modelConfig,
    vocab: vocab.chars,
    train: settings,
    ...startPosition(plannedSteps),
    seconds: 0,
    bestValLoss: null,
    lastValLoss: null,
    // the generators' states are recorded when the run ends
    rng: { dropout: { s: [] }, data: { s: [] } },
    carried: null,
  };
  return { ids, valid, vocab, modelConfig, settings, run };
}
