/**
 * The digits figure of guide 4: trains the guide's LSTM (8 rows of 8 pixels → 64 units → 10
 * classes) on four fifths of the 1,797 UCI handwritten digits, prints the held-out accuracy, and
 * draws 24 held-out digits with their predictions (wrong ones in red) and the loss curves as SVGs.
 *
 * Run from the repository root: `pnpm docs:figures`. Options: --backend cpu|wasm (default wasm).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import '@rnnkit/backend-cpu';
import '@rnnkit/backend-wasm';
import { argMax, Random, setBackend, tensor } from '@rnnkit/core';
import { Adam, cosineLR, Dense, LSTM, lossCurveSvg, Sequential } from '@rnnkit/nn';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' } } });
if (values.backend !== 'cpu' && values.backend !== 'wasm') {
  throw new Error(`--backend must be cpu or wasm, got '${values.backend}'`);
}
await setBackend(values.backend);
const docs = join(dirname(fileURLToPath(import.meta.url)), '..');

// One image a line: 64 pixels (0–16, row-major) then the label.
const rows = gunzipSync(readFileSync(join(docs, 'data', 'digits', 'digits.csv.gz')))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(',').map(Number));
const rng = new Random(0);
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rng.next() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const heldOut = order.slice(0, Math.round(rows.length / 5));
const training = order.slice(heldOut.length);
const asTensors = (idx: number[]) => ({
  x: tensor(
    idx.flatMap((i) => rows[i].slice(0, 64).map((v) => v / 16)),
    [idx.length, 8, 8],
  ),
  y: tensor(
    idx.map((i) => rows[i][64]),
    [idx.length],
    'int32',
  ),
});
const train = asTensors(training);
const test = asTensors(heldOut);

const epochs = 15;
const batchSize = 32;
const model = new Sequential([
  new LSTM({ inputSize: 8, hiddenSize: 64, returnSequences: false, seed: 1 }),
  new Dense({ inputSize: 64, units: 10, seed: 2 }),
]);
const totalSteps = epochs * Math.ceil(training.length / batchSize);
model.compile({
  optimizer: new Adam({ lr: cosineLR({ lr: 0.01, totalSteps }) }),
  loss: 'sparseCategoricalCrossEntropy',
  metrics: ['accuracy'],
});
const started = performance.now();
// the held-out fifth is scored after each epoch for the loss curve only: nothing is selected on it
const history = await model.fit(train.x, train.y, {
  epochs,
  batchSize,
  seed: 3,
  verbose: 0,
  validationData: [test.x, test.y],
});
const seconds = (performance.now() - started) / 1000;
const { acc } = model.evaluate(test.x, test.y);
const predicted = argMax(model.predict(test.x), -1).dataSync();
const last = (v: number[] | undefined) => (v ? v[v.length - 1].toFixed(3) : '?');
console.log(
  `final loss: training ${last(history.history.loss)}, held-out ${last(history.history.val_loss)} nats`,
);
console.log(
  `digits on ${values.backend}: held-out accuracy ${(acc * 100).toFixed(1)} % on ${heldOut.length} digits after ${epochs} epochs (${seconds.toFixed(1)} s of training)`,
);

// The first 24 held-out digits, wrong predictions first so the picture shows some if any.
const shown = heldOut
  .map((row, k) => ({ row, predicted: predicted[k], label: rows[row][64] }))
  .sort((a, b) => Number(a.predicted === a.label) - Number(b.predicted === b.label))
  .slice(0, 24);
const cell = 10;
const tile = 8 * cell + 24;
const perRow = 8;
const width = perRow * tile + 16;
const height = Math.ceil(shown.length / perRow) * (tile + 8) + 40;
const caption = `Held-out digits: LSTM prediction (true label), ${(acc * 100).toFixed(1)} % correct`;
const parts = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  `<title>${caption}</title>`,
  `<rect width="${width}" height="${height}" fill="white"/>`,
  `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${caption}</text>`,
];
shown.forEach((d, k) => {
  const ox = 8 + (k % perRow) * tile + 12;
  const oy = 36 + Math.floor(k / perRow) * (tile + 8);
  rows[d.row].slice(0, 64).forEach((v, p) => {
    const shade = Math.round(255 - (v / 16) * 255);
    parts.push(
      `<rect x="${ox + (p % 8) * cell}" y="${oy + Math.floor(p / 8) * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},${shade})"/>`,
    );
  });
  const right = d.predicted === d.label;
  parts.push(
    `<text x="${ox + 4 * cell}" y="${oy + 8 * cell + 15}" text-anchor="middle" fill="${right ? '#2ca02c' : '#d62728'}">${d.predicted} (${d.label})</text>`,
  );
});
parts.push('</svg>');
const out = join(docs, 'guides', 'media', 'digits.svg');
writeFileSync(out, parts.join('\n'));
const curve = join(docs, 'guides', 'media', 'digits-loss.svg');
writeFileSync(
  curve,
  lossCurveSvg(
    { 'training loss': history.history.loss, 'held-out loss': history.history.val_loss },
    { title: 'LSTM reading digits row by row: cross-entropy per epoch', yLabel: 'loss (nats)' },
  ),
);
console.log(`wrote ${out} and ${curve}`);
