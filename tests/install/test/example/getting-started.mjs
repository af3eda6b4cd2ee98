/**
 * The getting-started example (docs/guides/01-getting-started.md) as a stranger writes it in
 * plain JavaScript against the installed packages: build an LSTM classifier, train it, save
 * and load it, predict. Browser-safe (no Node built-ins): both the Node and the browser runs
 * use it. Returns what it measured; throws if a step does not do what the guide says.
 */
import { argMax, getBackend, Random, setBackend, tensor } from '@rnnkit/core';
import { Adam, Dense, deserialize, LSTM, Sequential, serialize } from '@rnnkit/nn';

/** Runs the example on `backend` (already registered); returns its figures. */
export async function gettingStarted(backend) {
  await setBackend(backend);
  const rng = new Random(42);
  const n = 256;
  const steps = 10;
  const values = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let t = 0; t < steps; t++) {
      const v = rng.next() * 2 - 1;
      values.push(v);
      total += v;
    }
    labels.push(total > 0 ? 1 : 0);
  }
  const x = tensor(values, [n, steps, 1]);
  const y = tensor(labels, [n], 'int32');
  const model = new Sequential([
    new LSTM({ inputSize: 1, hiddenSize: 16, returnSequences: false, seed: 1 }),
    new Dense({ inputSize: 16, units: 2, seed: 2 }),
  ]);
  model.compile({
    optimizer: new Adam({ lr: 0.02 }),
    loss: 'sparseCategoricalCrossEntropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(x, y, { epochs: 25, batchSize: 32, seed: 3, verbose: 0 });
  const { acc } = model.evaluate(x, y);
  if (!(acc > 0.9)) throw new Error(`${backend}: training reached accuracy ${acc}, expected > 0.9`);

  const loaded = deserialize(serialize(model));
  const probe = tensor([0.9, 0.5, 0.7, -0.8, -0.4, -0.9], [2, 3, 1]);
  const before = Array.from(model.predict(probe).dataSync());
  const after = Array.from(loaded.predict(probe).dataSync());
  if (before.some((v, i) => v !== after[i])) {
    throw new Error(`${backend}: the loaded model predicts ${after}, the saved one ${before}`);
  }
  const classes = Array.from(argMax(loaded.predict(probe), -1).dataSync());
  return {
    backend: getBackend().name,
    describe: getBackend().describe?.() ?? getBackend().name,
    firstLoss: history.history.loss[0],
    lastLoss: history.history.loss.at(-1),
    accuracy: acc,
    classes,
  };
}
