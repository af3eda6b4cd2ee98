// The numbers the page shows are the ones Node computes with the same code, backend and seed:
// every training step's loss, a sample, the sentiment probabilities and word contributions, and
// the gradient plot's end points.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBackend } from '@rnnkit/app-kit/backends';
import { sampleText } from '@rnnkit/char-lm/sample';
import { CharTrainer } from '@rnnkit/char-lm/trainer';
import { explain, predictTexts } from '@rnnkit/sentiment/predict';
import { decodeSavedModel } from '@rnnkit/sentiment/saved-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNorms } from '../src/format.js';
import { gradientNorms } from '../src/gradients.js';
import type { GradientRequest, TrainRequest } from '../src/protocol.js';
import { planTraining } from '../src/training_plan.js';
import {
  classify,
  closePage,
  openPlayground,
  type Session,
  sample,
  startSession,
  train,
} from './browser.js';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * How far the page's numbers may be from Node's. cpu and wasm run the same JavaScript and the
 * same WebAssembly in Chromium's V8 as in Node's, so they agree to the page's rounding (losses
 * shown with 6 decimals, probabilities with 4, contributions with 6: half a unit of the last
 * digit). gpujs runs on different GL implementations — SwiftShader in Chromium, Mesa's llvmpipe
 * under headless-gl in Node — whose float32 transcendental functions differ by a few ulps;
 * backend-gpujs's own browser test holds single ops to 1e-5 of the cpu backend, and six Adam steps
 * compound that, so losses get 1e-4 there.
 */
const TOLERANCE: Record<string, { loss: number; probability: number; contribution: number }> = {
  cpu: { loss: 5e-7, probability: 5e-5, contribution: 5e-7 },
  wasm: { loss: 5e-7, probability: 5e-5, contribution: 5e-7 },
  gpujs: { loss: 1e-4, probability: 1e-4, contribution: 1e-4 },
};

const REQUEST: TrainRequest = {
  defaultTextUrl: '',
  cell: 'gru',
  layers: 1,
  hidden: 24,
  embed: 8,
  seq: 16,
  batch: 8,
  lr: 0.01,
  seed: 5,
  budget: { steps: 6 },
  sampleEvery: 0,
};
const SAMPLE = { prime: 'KING', length: 60, temperature: 0.7, seed: 3 };
const SENTENCE = 'an utterly charming , clever film that never drags';
const GRADIENTS: GradientRequest = { cell: 'GRU', steps: 30, hidden: 16, seed: 1 };

let session: Session;
beforeAll(async () => {
  session = await startSession();
});
afterAll(async () => {
  await session?.close();
});

describe.each(['cpu', 'wasm', 'gpujs'])('on %s', (backend) => {
  it('the page shows what Node computes with the same code and seed', async () => {
    const tol = TOLERANCE[backend];
    const page = await openPlayground(session, backend);
    const pageLosses = await train(page, {
      cell: REQUEST.cell,
      hidden: REQUEST.hidden,
      embed: REQUEST.embed,
      seq: REQUEST.seq,
      batch: REQUEST.batch,
      lr: REQUEST.lr,
      seed: REQUEST.seed,
      budget: REQUEST.budget,
    });
    const pageSample = await sample(page, SAMPLE);
    const pageSentiment = await classify(page, SENTENCE);
    await page.selectOption('#gradient-cell', GRADIENTS.cell);
    await page.fill('#gradient-steps', String(GRADIENTS.steps));
    await page.fill('#gradient-hidden', String(GRADIENTS.hidden));
    await page.click('#gradients');
    await page.waitForFunction(() =>
      document.getElementById('gradient-summary')?.textContent?.startsWith('GRU:'),
    );
    const pageGradients = (await page.textContent('#gradient-summary')) ?? '';
    await closePage(page);

    await loadBackend(backend);
    const text = readFileSync(`${PUBLIC}data/tinyshakespeare.txt`, 'utf8');
    const plan = planTraining(REQUEST, text);
    const trainer = new CharTrainer(plan.ids, plan.modelConfig, plan.settings, plan.run);
    const nodeLosses = Array.from({ length: 6 }, () => trainer.step());
    expect(pageLosses).toHaveLength(6);
    pageLosses.forEach((loss, i) =>
      expect(Math.abs(loss - nodeLosses[i]), `step ${i + 1}`).toBeLessThanOrEqual(tol.loss),
    );
    if (backend !== 'gpujs')
      expect(pageSample).toBe(SAMPLE.prime + sampleText(trainer.model, plan.vocab, SAMPLE));
    trainer.dispose();
    trainer.model.net.dispose();

    const read = (f: string) => new Uint8Array(readFileSync(`${PUBLIC}models/sentiment/${f}`));
    const saved = decodeSavedModel(
      { meta: read('sentiment.json'), vocab: read('vocab.json'), weights: read('model.rnnkit') },
      'test',
      'public/models/sentiment',
    );
    const [prediction] = predictTexts(saved, [SENTENCE], () => 'test');
    for (const [label, p] of Object.entries(prediction.probabilities))
      expect(Math.abs(pageSentiment.probabilities[label] - p), label).toBeLessThanOrEqual(
        tol.probability,
      );
    const contributions = explain(saved, prediction);
    expect(pageSentiment.words.map(([w]) => w)).toEqual(contributions.map((c) => c.token));
    pageSentiment.words.forEach(([word, c], i) =>
      expect(Math.abs(c - contributions[i].contribution), word).toBeLessThanOrEqual(
        tol.contribution,
      ),
    );
    saved.model.dispose();

    expect(pageGradients).toBe(describeNorms(GRADIENTS.cell, gradientNorms(GRADIENTS)));
  });
});
