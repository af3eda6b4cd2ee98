// saveCheckpoint / loadCheckpoint: round trip, replacement of the previous files, damage detection.
import '@rnnkit/backend-cpu';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, onesLike, setBackend, tensor } from '@rnnkit/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../models/sequential.js';
import { Adam } from '../optimizers/adam.js';
import { loadCheckpoint, saveCheckpoint } from './node.js';
import { decodeOptimizerState, encodeOptimizerState } from './optimizer_state.js';
import { fromArtifacts } from './serialize.js';

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnnkit-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function trained(steps: number) {
  const model = new Sequential([new Dense({ inputSize: 3, units: 2, seed: 1 })]);
  const params = model.trainableParameters();
  const optimizer = new Adam({ lr: 0.01 });
  for (let i = 0; i < steps; i++)
    optimizer.applyGradients(
      params,
      params.map((p) => onesLike(p)),
    );
  return { model, params, optimizer };
}

describe('checkpoints', () => {
  it('round-trips the weights, the optimizer state and the JSON state', async () => {
    const { model, params, optimizer } = trained(2);
    await saveCheckpoint(dir, {
      model,
      optimizer: { optimizer, params },
      state: { step: 2, vocab: 'ab' },
    });
    const saved = await loadCheckpoint(dir);
    const again = fromArtifacts<Sequential>(saved.model.manifest, saved.model.weights);
    const x = tensor([[1, 2, 3]]);
    expect(Array.from(again.apply(x).dataSync())).toEqual(Array.from(model.apply(x).dataSync()));
    expect(saved.state).toEqual({ step: 2, vocab: 'ab' });
    expect(saved.optimizer).toEqual(optimizer.getState(params));
  });

  it('keeps only the newest checkpoint files', async () => {
    const { model, params, optimizer } = trained(1);
    for (let i = 0; i < 3; i++)
      await saveCheckpoint(dir, { model, optimizer: { optimizer, params }, state: { i } });
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toBe('checkpoint.json');
    expect((await loadCheckpoint(dir)).state).toEqual({ i: 2 });
  });

  it('names the missing or damaged file', async () => {
    await expect(loadCheckpoint(join(dir, 'nope'))).rejects.toThrow(
      /no checkpoint in .*nope.*checkpoint.json/,
    );
    const { model, params, optimizer } = trained(1);
    await saveCheckpoint(dir, { model, optimizer: { optimizer, params } });
    const optFile = (await readdir(dir)).find((f) => f.startsWith('optimizer-')) as string;
    const bytes = await readFile(join(dir, optFile));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(join(dir, optFile), bytes);
    await expect(loadCheckpoint(dir)).rejects.toThrow(new RegExp(`${optFile} is damaged: CRC-32`));
    const modelFile = (await readdir(dir)).find((f) => f.startsWith('model-')) as string;
    await writeFile(join(dir, modelFile), 'garbage');
    await expect(loadCheckpoint(dir)).rejects.toThrow(FormatError);
    await writeFile(join(dir, 'checkpoint.json'), '{');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/checkpoint.json is not valid JSON/);
  });

  it('optimizer state bytes reject other safetensors files', () => {
    const { params, optimizer } = trained(1);
    const bytes = encodeOptimizerState(optimizer.getState(params));
    expect(decodeOptimizerState(bytes)).toEqual(optimizer.getState(params));
    expect(() => decodeOptimizerState(new Uint8Array(new ArrayBuffer(16)))).toThrow(FormatError);
  });
});
