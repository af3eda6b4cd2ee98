/**
 * Tests of `generate`: greedy and sampled continuation of a sequence model.
 */
import '@rnnkit/backend-cpu';
import {
  dispose,
  memory,
  reshape,
  setBackend,
  type Tensor,
  tensor,
  ValueError,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Embedding } from '../layers/embedding.js';
import { LSTM } from '../layers/lstm.js';
import type { RecurrentState } from '../layers/recurrent.js';
import { Sequential } from '../models/sequential.js';
import { beamSearch } from './beam_search.js';
import { generate } from './generate.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const V = 7;

function parts(stateful = false) {
  const embed = new Embedding({ numEmbeddings: V, embeddingDim: 4, seed: 1 });
  const lstm = new LSTM({ inputSize: 4, hiddenSize: 8, stateful, seed: 2 });
  const head = new Dense({ inputSize: 8, units: V, seed: 3 });
  return { embed, lstm, head, model: new Sequential([embed, lstm, head]) };
}

/** A step function over an explicit LSTM state that disposes nothing itself. */
function lstmStep(p: ReturnType<typeof parts>) {
  return (tokens: number[], state: RecurrentState | undefined) => {
    const x = p.embed.apply(tensor(tokens, [tokens.length, 1], 'int32'));
    const { output, hN, cN } = p.lstm.forward(x, { initialState: state });
    return {
      logits: reshape(p.head.apply(output), [tokens.length, V]),
      state: { h: hN, c: cN },
    };
  };
}

describe('generate', () => {
  it('keeps live tensors flat over 1,000 tokens (step function and stateful model)', () => {
    const p = parts();
    const counts: number[] = [];
    const step = lstmStep(p);
    const before = memory().numTensors;
    const tokens = generate<RecurrentState | undefined>({
      prompt: [1, 2],
      maxLength: 1000,
      seed: 3,
      step: (t, s) => {
        counts.push(memory().numTensors);
        return step(t, s);
      },
    });
    expect(tokens).toHaveLength(1000);
    expect(Math.max(...counts.slice(2)) - Math.min(...counts.slice(2))).toBe(0);
    expect(memory().numTensors).toBe(before);

    const s = parts(true);
    const start = memory().numTensors;
    const text = generate({ model: s.model, prompt: [3], maxLength: 1000, topP: 0.9, seed: 2 });
    expect(text).toHaveLength(1000);
    s.model.resetStates();
    expect(memory().numTensors).toBe(start);
  });

  it('feeds the prompt first: a stateful model, a step function and a re-reading model agree', () => {
    const a = parts(true);
    const b = parts();
    const options = { prompt: [1, 5, 2], maxLength: 12, seed: 4 } as const;
    const viaStateful = generate({ ...options, model: a.model });
    const fed: number[][] = [];
    const step = lstmStep(b);
    const viaStep = generate<RecurrentState | undefined>({
      ...options,
      step: (tokens, state) => {
        fed.push(tokens);
        return step(tokens, state);
      },
    });
    const viaRereading = generate({ ...options, model: b.model });
    expect(viaStep).toEqual(viaStateful);
    expect(viaRereading).toEqual(viaStateful);
    expect(fed.slice(0, 4)).toEqual([[1], [5], [2], [viaStep[0]]]);
    expect(fed).toHaveLength(3 + 11); // the prompt, then every generated token but the last
  });

  it('generates a batch: each row as if alone; initial state is optional and not freed', () => {
    const p = parts();
    const rows = generate({
      model: p.model,
      prompt: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      maxLength: 6,
      greedy: true,
    });
    expect(rows).toHaveLength(3);
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ].forEach((prompt, i) =>
      expect(generate({ model: p.model, prompt, maxLength: 6, greedy: true })).toEqual(rows[i]),
    );
    const h = tensor(new Float32Array(2 * 8).fill(0.5), [1, 2, 8]);
    const c = tensor(new Float32Array(2 * 8), [1, 2, 8]);
    const out = generate<RecurrentState | undefined>({
      step: lstmStep(p),
      initialState: { h, c },
      prompt: [[1], [2]],
      maxLength: 4,
      seed: 1,
    });
    expect(out.map((r) => r.length)).toEqual([4, 4]);
    expect(h.isDisposed || c.isDisposed).toBe(false);
    dispose([h, c]);
  });

  it('stops each row at the end token', () => {
    // deterministic chain t → t + 1 (mod 4); 3 ends
    const step = (toks: number[], s: null) => ({
      logits: toks.map((t) => [0, 1, 2, 3].map((v) => (v === (t + 1) % 4 ? 50 : 0))),
      state: s,
    });
    expect(
      generate({
        step,
        initialState: null,
        prompt: [[0], [2]],
        endToken: 3,
        maxLength: 10,
        greedy: true,
      }),
    ).toEqual([[1, 2, 3], [3]]);
  });

  it('beam search through the same call equals beamSearch, for a step function and a model', () => {
    const p = parts();
    const step = lstmStep(p);
    const viaGenerate = generate<RecurrentState | undefined>({
      step,
      prompt: [2],
      maxLength: 6,
      beamWidth: 3,
      endToken: 0,
    });
    const [best] = beamSearch<RecurrentState | undefined>({
      initialState: undefined,
      startToken: 2,
      beamWidth: 3,
      maxLength: 6,
      endToken: 0,
      step: (tokens, states) => {
        const joined = states.map((s) => s ?? { h: zeros(), c: zeros() });
        const h = concatStates(joined.map((s) => s.h));
        const c = concatStates(joined.map((s) => s.c!));
        const r = step(tokens, { h, c });
        return {
          logits: r.logits,
          states: tokens.map((_, i) => ({ h: rowOf(r.state.h, i), c: rowOf(r.state.c!, i) })),
        };
      },
    });
    expect(viaGenerate).toEqual(best.tokens);
    expect(
      generate({ model: p.model, prompt: [2], maxLength: 6, beamWidth: 3, endToken: 0 }),
    ).toEqual(best.tokens);
    // beam width 1 is greedy
    expect(generate({ model: p.model, prompt: [2], maxLength: 6, beamWidth: 1 })).toEqual(
      generate({ model: p.model, prompt: [2], maxLength: 6, greedy: true }),
    );
  });

  it('refuses what it cannot do, naming the option', () => {
    const p = parts(true);
    expect(() => generate({ model: p.model, prompt: [1], maxLength: 3, beamWidth: 2 })).toThrow(
      /stateful model/,
    );
    expect(() => generate({ model: p.model, maxLength: 3 })).toThrow(/'prompt'/);
    expect(() => generate({ model: p.model, prompt: [[1, 2], [3]], maxLength: 3 })).toThrow(
      /same, non-zero length/,
    );
    expect(() => generate({ model: p.model, prompt: [1.5], maxLength: 3 })).toThrow(ValueError);
    expect(() => generate({ model: p.model, prompt: [1], maxLength: 0 })).toThrow(/maxLength/);
    expect(() => generate({ prompt: [1], maxLength: 3 })).toThrow(/'model' and 'step'/);
  });
});

function zeros(): Tensor {
  return tensor(new Float32Array(8), [1, 1, 8]);
}
function concatStates(ts: Tensor[]): Tensor {
  const data = new Float32Array(ts.length * 8);
  ts.forEach((t, i) => data.set(t.dataSync(), i * 8));
  return tensor(data, [1, ts.length, 8]);
}
function rowOf(t: Tensor, i: number): Tensor {
  return tensor(t.dataSync().slice(i * 8, (i + 1) * 8), [1, 1, 8]);
}
