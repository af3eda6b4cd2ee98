// Training on a slice of Tiny Shakespeare: the loss falls, and an interrupted-then-resumed run ends
// with exactly the weights of an uninterrupted one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setBackend } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '@rnnkit/backend-cpu';
import { loadCheckpoint } from '@rnnkit/nn/node';
import type { TrainFlags } from '../src/args.js';
import { runTrain } from '../src/commands.js';
import { captureIo, corpusSlice, tempDir } from './helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('train', () => {
  it('lowers the validation loss well below the uniform guess on a slice, and writes its outputs', async () => {
    const dir = tempDir();
    const text = corpusSlice(dir, 20_000);
    const io = captureIo(dir);
    const r = await runTrain(
      {
        text,
        backend: 'cpu',
        layers: 1,
        hidden: 48,
        embed: 16,
        seq: 32,
        batch: 8,
        lr: 0.01,
        steps: 60,
        out: 'run',
      },
      io,
    );
    const V = new Set(readFileSync(text, 'utf8')).size;
    // a model that learnt nothing predicts uniformly: ln V nats (≈ 4.0 here); 60 steps reach the
    // character frequencies and common pairs, well over half a nat better
    expect(r.lastValLoss).toBeLessThan(Math.log(V) - 0.8);
    const rows = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.at(-1)).toMatchObject({ step: 60, backend: 'cpu' });
    expect(Object.keys(rows[0]).sort()).toEqual(
      [
        'backend',
        'charsPerSecond',
        'seconds',
        'step',
        'trainLoss',
        'valBitsPerChar',
        'valLoss',
      ].sort(),
    );
    expect(readFileSync(join(dir, 'run', 'loss.svg'), 'utf8')).toContain('validation loss');
    expect(readdirSync(join(dir, 'run')).sort()).toEqual([
      'best',
      'last',
      'loss.svg',
      'metrics.jsonl',
    ]);
    expect(io.text()).toMatch(
      /done: 60 steps .* validation \d\.\d{4} nats\/char \(\d\.\d{4} bits\/char\)/,
    );
  });

  // On each backend in turn. The resume names no backend: it must continue on the one the run
  // trained on (a cpu run continued on the default, wasm, ends last-bit different).
  it.each(['wasm', 'cpu'] as const)(
    'interrupted and resumed ends with the same weights and optimizer state as uninterrupted (%s)',
    async (backend) => {
      const dir = tempDir();
      // 8 streams of 64 over 2,700 training characters: 5 windows a pass, so 9 steps cross a pass
      // boundary (fresh data shift from the data RNG); 2 layers with dropout use the dropout RNG
      const flags: TrainFlags = {
        text: corpusSlice(dir, 3_000),
        backend,
        cell: 'lstm',
        layers: 2,
        hidden: 16,
        embed: 8,
        seq: 64,
        batch: 8,
        dropout: 0.25,
        steps: 9,
        seed: 7,
      };
      await runTrain({ ...flags, out: 'straight' }, captureIo(dir));
      const controller = new AbortController();
      const first = await runTrain(
        { ...flags, out: 'cut' },
        captureIo(dir, { signal: controller.signal, onStep: (s) => s === 4 && controller.abort() }),
      );
      expect(first).toMatchObject({ interrupted: true, steps: 4 });
      const resumeIo = captureIo(dir);
      const resumed = await runTrain({ resume: 'cut' }, resumeIo);
      expect(resumed).toMatchObject({ interrupted: false, steps: 9 });
      expect(resumeIo.text()).toMatch(new RegExp(`resuming at step 4: .* on ${backend}: `));
      const a = await loadCheckpoint(join(dir, 'straight', 'last'));
      const b = await loadCheckpoint(join(dir, 'cut', 'last'));
      expect(new Uint8Array(b.model.weights)).toEqual(new Uint8Array(a.model.weights));
      expect(b.optimizer).toEqual(a.optimizer);
      expect(b.state.rng).toEqual(a.state.rng);
      expect(b.state.carried).toEqual(a.state.carried);
    },
  );
});
