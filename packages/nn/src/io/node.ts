/**
 * `@rnnkit/nn/node`: saving and loading models as files (Node only; browser code uses
 * `serialize`/`deserialize`/`loadModelFromUrl` from the main entry).
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError, NotFoundError } from '@rnnkit/core';
import type { AnyLayer } from '../models/registry.js';
import { writeFileAtomic } from './atomic_write.js';
import { deserialize, fromArtifacts, type Saveable, serialize, toArtifacts } from './serialize.js';

export { writeFileAtomic } from './atomic_write.js';

/**
 * Saves a model as one file (the {@link serialize} container: manifest + weights + CRCs),
 * written atomically so a crash never leaves a half-written model under `path`.
 * @example
 * ```ts
 * import { mkdtemp, rm } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadModel, saveModel } from '@rnnkit/nn/node';
 *
 * const model = new Sequential([new Dense({ inputSize: 3, units: 2, seed: 0 })]);
 * const dir = await mkdtemp(join(tmpdir(), 'rnnkit-')); // e.g. 'checkpoints'
 * await saveModel(model, join(dir, 'classifier.rnnkit'));
 * const again = await loadModel<Sequential>(join(dir, 'classifier.rnnkit'));
 * const x = tensor([[1, 2, 3]]);
 * check(again.apply(x), model.apply(x));
 * await rm(dir, { recursive: true });
 * ```
 */
export async function saveModel(model: Saveable, path: string): Promise<void> {
  await writeFileAtomic(path, new Uint8Array(serialize(model)));
}

/**
 * Saves the two-file form into directory `dir`: `weights.bin`, then `model.json` (each atomic;
 * the manifest holds the weights' size and CRC-32, so a mismatched pair is detected on load).
 */
export async function saveModelDir(model: Saveable, dir: string): Promise<void> {
  const { manifest, weights } = toArtifacts(model);
  await writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(weights));
  await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
}

/**
 * Loads a model saved with {@link saveModel} (a file) or {@link saveModelDir} (a directory).
 * @throws NotFoundError "no model file at PATH" when the file (or a file of the directory
 * form) does not exist; FormatError when it is not a valid model.
 */
export async function loadModel<T extends AnyLayer = AnyLayer>(path: string): Promise<T> {
  const found = await stat(path).catch(rethrowMissing(path));
  if (found.isDirectory()) {
    const [json, weights] = await Promise.all([
      readFile(join(path, 'model.json'), 'utf8').catch(rethrowMissing(join(path, 'model.json'))),
      readFile(join(path, 'weights.bin')).catch(rethrowMissing(join(path, 'weights.bin'))),
    ]);
    let manifest: unknown;
    try {
      manifest = JSON.parse(json);
    } catch (e) {
      throw new FormatError(
        `${join(path, 'model.json')} is not valid JSON (${(e as Error).message})`,
      );
    }
    return fromArtifacts<T>(manifest, weights);
  }
  return deserialize<T>(await readFile(path));
}

/** Turns a file system "no such file" into a {@link NotFoundError} naming `path`. */
function rethrowMissing(path: string): (e: unknown) => never {
  return (e) => {
    if ((e as { code?: string })?.code === 'ENOENT')
      throw new NotFoundError(`no model file at ${path}`);
    throw e;
  };
}

export type { CheckpointContents, LoadedCheckpoint } from './checkpoint_node.js';
export { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint } from './checkpoint_node.js';
