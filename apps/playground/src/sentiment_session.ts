/**
 * The worker's sentiment model: one trained by `rnnkit-sentiment train` (the page ships one, and
 * loads any model directory the user picks), read with the app's own decoder, and sentences
 * classified and explained with the app's own prediction code.
 */
import { ValueError } from '@rnnkit/core';
import { deserialize, serialize } from '@rnnkit/nn';
import type { SentimentClassifier } from '@rnnkit/sentiment/model';
import { explain, predictTexts } from '@rnnkit/sentiment/predict';
import { decodeSavedModel, MODEL_FILES, type SavedModel } from '@rnnkit/sentiment/saved-model';
import { fetchOk } from './char_session.js';
import type { Classification, LoadedModel, NamedFile } from './protocol.js';

let current: SavedModel | undefined;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Takes the model off the active backend before the backend changes; the function returned
 * rebuilds it on the backend active when it is called.
 */
export function detachSentiment(): () => void {
  if (!current) return () => {};
  const { model, vocab, meta } = current;
  const bytes = serialize(model);
  model.dispose();
  current = undefined;
  return () => {
    current = { model: deserialize<SentimentClassifier>(bytes), vocab, meta };
  };
}

/** Whether `files` hold a sentiment model directory (its `sentiment.json`). */
export function isSentimentModel(files: readonly NamedFile[]): boolean {
  return files.some((f) => baseName(f.name) === MODEL_FILES.meta);
}

function hold(saved: SavedModel, origin: string): LoadedModel {
  current?.model.dispose();
  current = saved;
  const c = saved.model.spec;
  return {
    kind: 'sentiment',
    summary: `sentiment ${c.bidirectional ? 'bi-' : ''}${c.cell.toUpperCase()} ${c.hidden}, ${c.pool} pooling, ${saved.vocab.size} words, labels ${saved.meta.labels.join('/')} — ${origin}`,
  };
}

/** Loads the model directory among `files` (`sentiment.json`, `vocab.json`, `model.rnnkit`). */
export function loadSentimentFiles(files: readonly NamedFile[]): LoadedModel {
  const pick = (name: string) => {
    const file = files.find((f) => baseName(f.name) === name);
    if (!file)
      throw new ValueError(
        `Load model: a sentiment model needs ${Object.values(MODEL_FILES).join(', ')}; ${name} is not among the files picked`,
      );
    return file;
  };
  const meta = pick(MODEL_FILES.meta);
  const source = meta.name.includes('/')
    ? meta.name.slice(0, meta.name.lastIndexOf('/'))
    : 'the files picked';
  const saved = decodeSavedModel(
    {
      meta: meta.bytes,
      vocab: pick(MODEL_FILES.vocab).bytes,
      weights: pick(MODEL_FILES.weights).bytes,
    },
    'Load model',
    source,
  );
  return hold(saved, `loaded from ${source}`);
}

/** Loads the model shipped with the page, from `baseUrl` (its directory URL, ending in `/`). */
export async function loadDefaultSentiment(baseUrl: string): Promise<LoadedModel> {
  const files = await Promise.all(
    Object.values(MODEL_FILES).map(async (name) => ({
      name: `sentiment/${name}`,
      bytes: new Uint8Array(await (await fetchOk(new URL(name, baseUrl).href)).arrayBuffer()),
    })),
  );
  const loaded = loadSentimentFiles(files);
  return {
    ...loaded,
    summary: loaded.summary.replace(
      /loaded from .*$/,
      'shipped with the page (trained by rnnkit-sentiment train)',
    ),
  };
}

/** The sentence's probabilities and each word's contribution to the predicted label. */
export function classify(text: string): Classification {
  if (!current)
    throw new ValueError('no sentiment model yet: it loads with the page, or Load model picks one');
  const [prediction] = predictTexts(current, [text], () => 'Sentence');
  return {
    label: prediction.label,
    probabilities: prediction.probabilities,
    words: explain(current, prediction),
  };
}
