/**
 * The page's Web Worker: every computation — loading a backend, training, sampling, classifying,
 * the gradient plot — runs here, so the page's own thread only draws. Requests are answered one
 * to one ({@link Request} → {@link Response}); training also posts {@link TrainEvent}s.
 */

import { loadBackend } from '@rnnkit/app-kit/backends';
import { detailsFor } from './capabilities.js';
import {
  detachModel,
  findCheckpointIndex,
  loadCheckpoint,
  sample,
  saveFiles,
  stopTraining,
  train,
} from './char_session.js';
import { gradientNorms } from './gradients.js';
import type { Method, Methods, NamedFile, Request, Response, TrainEvent } from './protocol.js';
import {
  classify,
  detachSentiment,
  isSentimentModel,
  loadDefaultSentiment,
  loadSentimentFiles,
} from './sentiment_session.js';
import { isTar, packTar, unpackTar } from './tar.js';

type Handlers = {
  [M in Method]: (args: Methods[M]['args']) => Promise<Methods[M]['result']> | Methods[M]['result'];
};

const post = (message: Response | TrainEvent, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

const handlers: Handlers = {
  async backend({ name }) {
    // tensors live on the backend that made them: the models move to the new one
    const reattach = [detachModel(), detachSentiment()];
    try {
      const description = await loadBackend(name);
      return { name, description, details: detailsFor(name) };
    } finally {
      for (const attach of reattach) attach();
    }
  },
  train: (args) => train(args, (event) => post(event)),
  stop() {
    stopTraining();
    return null;
  },
  sample: (args) => ({ text: sample(args) }),
  save() {
    const dir = 'char-lm-model';
    return { name: `${dir}.tar`, bytes: packTar(saveFiles(dir), Math.floor(Date.now() / 1000)) };
  },
  load({ files }) {
    const all: NamedFile[] = files.flatMap((f) =>
      isTar(f.bytes) ? unpackTar(f.bytes, f.name) : [f],
    );
    const index = findCheckpointIndex(all);
    if (index) return loadCheckpoint(index, all);
    if (isSentimentModel(all)) return loadSentimentFiles(all);
    throw new Error(
      `Load model: found neither a char-lm checkpoint (checkpoint.json and its model-*.rnnkit) nor a sentiment model (sentiment.json, vocab.json, model.rnnkit) in ${all.map((f) => f.name).join(', ') || 'no file'}`,
    );
  },
  defaultSentiment: ({ baseUrl }) => loadDefaultSentiment(baseUrl),
  classify: ({ text }) => classify(text),
  gradients: (args) => ({ norms: gradientNorms(args) }),
};

self.onmessage = async (message: MessageEvent<Request>) => {
  const { id, method, args } = message.data;
  try {
    const result = await (handlers[method] as (a: unknown) => unknown)(args);
    const bytes = (result as { bytes?: Uint8Array } | null)?.bytes;
    post({ id, result }, bytes ? [bytes.buffer] : []);
  } catch (e) {
    const error = e as Error;
    post({ id, error: { name: error?.name ?? 'Error', message: error?.message ?? String(e) } });
  }
};
