/** Loss of a model over a whole token stream (nats per character), state carried across windows. */
import { dispose, slice, sum, type Tensor, tensor, tidy } from '@rnnkit/core';
import { type RecurrentState, sparseCategoricalCrossEntropy } from '@rnnkit/nn';
import { type CharModel, runModel } from './model.js';

/** Parallel lanes and window length of an evaluation pass (throughput only: the result does not depend on them). */
const LANES = 64;
const WINDOW = 256;

/**
 * Mean negative log-likelihood (nats) of predicting every character of `ids` after the first
 * from all the characters before it in its lane: the stream is cut into up to 64 contiguous
 * lanes run side by side, each from a zero state; the last lane also scores the remainder.
 */
export function meanLoss(model: CharModel, ids: Int32Array): number {
  const predictions = ids.length - 1;
  if (predictions < 1)
    throw new RangeError(`meanLoss: ${ids.length} characters hold no prediction`);
  const lanes = Math.max(1, Math.min(LANES, Math.floor(predictions / WINDOW)));
  const lane = Math.floor(predictions / lanes);
  let total = 0;
  let state: RecurrentState | undefined;
  const score = (rows: number, start: (r: number) => number, len: number): void => {
    const xs = new Int32Array(rows * len);
    const ys = new Int32Array(rows * len);
    for (let r = 0; r < rows; r++)
      for (let t = 0; t < len; t++) {
        xs[r * len + t] = ids[start(r) + t];
        ys[r * len + t] = ids[start(r) + t + 1];
      }
    const next = tidy(() => {
      const out = runModel(model, tensor(xs, [rows, len], 'int32'), state, false);
      total += sum(
        sparseCategoricalCrossEntropy(out.logits, tensor(ys, [rows, len], 'int32'), {
          reduction: 'none',
        }),
      ).item();
      return out.state;
    });
    if (state) dispose(state);
    state = next;
  };
  for (let at = 0; at < lane; at += WINDOW)
    score(lanes, (r) => r * lane + at, Math.min(WINDOW, lane - at));
  const rest = predictions - lanes * lane;
  if (rest > 0) {
    const last = tidy(() => lastRow(state as RecurrentState, lanes - 1));
    dispose(state);
    state = last;
    for (let at = 0; at < rest; at += WINDOW)
      score(1, () => lanes * lane + at, Math.min(WINDOW, rest - at));
  }
  dispose(state);
  return total / predictions;
}

/** Row `r` of every state tensor (`[layers, B, H]` → `[layers, 1, H]`). */
function lastRow(state: RecurrentState, r: number): RecurrentState {
  const pick = (t: Tensor) => slice(t, [0, r, 0], [t.shape[0], 1, t.shape[2]]);
  return state.c ? { h: pick(state.h), c: pick(state.c) } : { h: pick(state.h) };
}
