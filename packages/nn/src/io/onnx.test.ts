// ONNX export: ONNX Runtime runs the exported graph and must agree with rnnkit's predict.
import '@rnnkit/backend-cpu';
import { Random, randomNormal, setBackend, type Tensor, ValueError } from '@rnnkit/core';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { GRU } from '../layers/gru.js';
import { LSTM } from '../layers/lstm.js';
import { Sequential } from '../models/sequential.js';
import { exportOnnx, type OnnxExportable } from './onnx.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/**
 * Both engines compute in float32 over the same weights but sum in different orders; an
 * output is a chain of T steps of (I+H)-term dot products (≤ 50·192 ≈ 10⁴ terms for W1), and
 * the statistical rounding estimate √N·2⁻²⁴ ≈ 6·10⁻⁶ of values ≤ 1 in size (tanh/sigmoid
 * bounded states, Dense logits a few units) gives the 2·10⁻⁵ bound.
 */
const TOL = 2e-5;

async function runOrt(bytes: Uint8Array, x: Tensor, inputName = 'input', outputName = 'output') {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = {
      [inputName]: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape),
    };
    const out = (await session.run(feeds))[outputName];
    return { dims: [...out.dims], data: out.data as Float32Array };
  } finally {
    await session.release();
  }
}

async function expectAgreement(
  model: OnnxExportable & { predict?: unknown },
  x: Tensor,
  expected: Tensor,
) {
  const got = await runOrt(exportOnnx(model), x);
  expect(got.dims).toEqual(expected.shape);
  const want = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want[i]));
  expect(worst).toBeLessThanOrEqual(TOL);
}

describe('exportOnnx', () => {
  it("runs the benchmark's W1 model (LSTM 64→128, last step, Dense 10) as rnnkit does", async () => {
    const model = new Sequential([
      new LSTM({ inputSize: 64, hiddenSize: 128, returnSequences: false, seed: 1 }),
      new Dense({ inputSize: 128, units: 10, seed: 2 }),
    ]);
    const x = randomNormal([32, 50, 64], 0, 1, 'float32', new Random(3));
    await expectAgreement(model, x, model.predict(x) as Tensor);
  });

  it('keeps batch and sequence sizes symbolic: one export runs other shapes', async () => {
    const model = new Sequential([
      new LSTM({ inputSize: 5, hiddenSize: 7, seed: 4 }),
      new Dense({ inputSize: 7, units: 3, activation: 'softmax', seed: 5 }),
    ]);
    const bytes = exportOnnx(model);
    for (const shape of [
      [1, 1, 5],
      [3, 9, 5],
    ]) {
      const x = randomNormal(shape, 0, 1, 'float32', new Random(shape[1]));
      const got = await runOrt(bytes, x);
      const want = (model.predict(x) as Tensor).dataSync();
      expect(got.dims).toEqual([shape[0], shape[1], 3]);
      got.data.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(TOL));
    }
  });

  it('exports stacked bidirectional layers, no-bias layers, dropout and every Dense activation', async () => {
    const model = new Sequential([
      new LSTM({ inputSize: 4, hiddenSize: 6, numLayers: 2, bidirectional: true, seed: 6 }),
      new Dropout({ rate: 0.5 }),
      new Dense({ inputSize: 12, units: 8, activation: 'tanh', seed: 7 }),
      new LSTM({
        inputSize: 8,
        hiddenSize: 5,
        bias: false,
        bidirectional: true,
        returnSequences: false,
        seed: 8,
      }),
      new Dense({ inputSize: 10, units: 6, activation: 'relu', seed: 9 }),
      new Dense({ inputSize: 6, units: 4, activation: 'sigmoid', seed: 10 }),
    ]);
    const x = randomNormal([3, 7, 4], 0, 1, 'float32', new Random(11));
    await expectAgreement(model, x, model.predict(x) as Tensor);
  });

  it('exports a bare layer and a list of layers, with chosen input and output names', async () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 12 });
    const head = new Dense({ inputSize: 4, units: 2, seed: 13 });
    const x = randomNormal([2, 5, 3], 0, 1, 'float32', new Random(14));
    await expectAgreement(lstm, x, lstm.apply(x));
    const bytes = exportOnnx([lstm, head], { inputName: 'x', outputName: 'logits' });
    const got = await runOrt(bytes, x, 'x', 'logits');
    const want = head.apply(lstm.apply(x)).dataSync();
    got.data.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(TOL));
  });

  it('refuses what it cannot export, naming the layer and the reason', () => {
    const gru = new GRU({ inputSize: 3, hiddenSize: 4, name: 'my_gru' });
    expect(() => exportOnnx(new Sequential([gru]))).toThrow(ValueError);
    expect(() => exportOnnx(new Sequential([gru]))).toThrow(
      /layer 0 my_gru \(GRU\).*LSTM, Dense, Dropout/,
    );
    const backwards = new LSTM({ inputSize: 3, hiddenSize: 4, goBackwards: true, name: 'rev' });
    expect(() => exportOnnx(backwards)).toThrow(/LSTM 'rev' uses 'goBackwards'/);
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4 });
    const wrong = new Dense({ inputSize: 5, units: 2, name: 'head' });
    expect(() => exportOnnx([lstm, wrong])).toThrow(
      /Dense 'head' expects 5 input features, the layer before gives 4/,
    );
    expect(() => exportOnnx(lstm, { inputName: 'a', outputName: 'a' })).toThrow(/must differ/);
    expect(() => exportOnnx([])).toThrow(/no layers/);
    expect(() => exportOnnx([new Dropout({ rate: 0.1 })])).toThrow(/only Dropout/);
  });
});
