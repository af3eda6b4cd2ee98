// A trained model on disk (Node): a directory holding the weights, the vocabulary, the tokenizer
// settings and the label names, written all-or-nothing; its contents are checked and decoded by
// saved_model.ts, which browsers use too.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { saveModel, writeFileAtomic } from '@rnnkit/nn/node';
import { InputError } from './errors.js';
import { decodeSavedModel, MODEL_FILES, type SavedModel } from './saved_model.js';

export { MODEL_FILES, type ModelMeta, type SavedModel } from './saved_model.js';

/**
 * Writes the model directory `dir`: every file goes into a fresh sibling directory first, which
 * then replaces `dir` by renames, so an interruption leaves either the old model or the new one.
 */
export async function saveModelDirectory(dir: string, saved: SavedModel): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  const tmp = path.join(parent, `.${path.basename(dir)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    await saveModel(saved.model, path.join(tmp, MODEL_FILES.weights));
    await writeFileAtomic(
      path.join(tmp, MODEL_FILES.vocab),
      `${JSON.stringify(saved.vocab.toJSON())}\n`,
    );
    await writeFileAtomic(
      path.join(tmp, MODEL_FILES.meta),
      `${JSON.stringify(saved.meta, null, 2)}\n`,
    );
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory())
        throw new InputError(`--out: '${dir}' exists and is not a directory`);
      const old = `${tmp}-old`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Loads a model directory written by {@link saveModelDirectory}. */
export async function loadModelDirectory(dir: string): Promise<SavedModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InputError(
      `--model: '${dir}' is not a model directory (train one with: rnnkit-sentiment train --out ${dir})`,
    );
  const read = (file: string) => {
    const p = path.join(dir, file);
    if (!existsSync(p))
      throw new InputError(`--model: '${dir}' lacks ${file}; it is not a complete model directory`);
    return new Uint8Array(readFileSync(p));
  };
  return decodeSavedModel(
    {
      meta: read(MODEL_FILES.meta),
      vocab: read(MODEL_FILES.vocab),
      weights: read(MODEL_FILES.weights),
    },
    '--model',
    dir,
  );
}
