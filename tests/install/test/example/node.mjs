/**
 * Node entry of the installed example: `node node.mjs <backend>` runs the getting-started
 * example, saves the model to a file and loads it back with `@rnnkit/nn/node`, and prints one
 * JSON line of results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@rnnkit/backend-cpu';
import '@rnnkit/backend-wasm';
import { tensor } from '@rnnkit/core';
import { Dense, GRU, Sequential } from '@rnnkit/nn';
import { loadModel, saveModel } from '@rnnkit/nn/node';
import { gettingStarted } from './getting-started.mjs';

const backend = process.argv[2];
const result = await gettingStarted(backend);

const dir = mkdtempSync(join(tmpdir(), 'rnnkit-installed-'));
try {
  const model = new Sequential([
    new GRU({ inputSize: 2, hiddenSize: 4, returnSequences: false, seed: 5 }),
    new Dense({ inputSize: 4, units: 3, seed: 6 }),
  ]);
  const file = join(dir, 'model.rnnkit');
  await saveModel(model, file);
  const loaded = await loadModel(file);
  const x = tensor([0.1, 0.2, 0.3, 0.4], [1, 2, 2]);
  const same = Array.from(loaded.predict(x).dataSync()).every(
    (v, i) => v === model.predict(x).dataSync()[i],
  );
  if (!same) throw new Error('a model saved to a file and loaded back predicts differently');
  result.savedToFile = true;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
