/**
 * The model shapes the README promises, end to end: classification, tagging, a stateful language
 * model, generation, encoder–decoder.
 */
import '@rnnkit/backend-cpu';
import {
  concat,
  expandDims,
  memory,
  Random,
  reshape,
  setBackend,
  slice,
  stack,
  type Tensor,
  tensor,
  tidy,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional } from '../layers/bidirectional.js';
import { Dense } from '../layers/dense.js';
import { Embedding } from '../layers/embedding.js';
import { GRU } from '../layers/gru.js';
import { LSTM } from '../layers/lstm.js';
import { Adam } from '../optimizers/adam.js';
import { greedy } from '../sampling/sample.js';
import { bpttBatches } from '../training/bptt.js';
import { modelFromConfig } from './from_config.js';
import { type ForwardOptions, Model, type ModelInput } from './model.js';
import { registerLayer } from './registry.js';
import { Sequential } from './sequential.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('many-to-one: sequence classification with Sequential', () => {
  it('names parameters by position, trains, and round-trips its config', async () => {
    // label = does token 1 occur in the sequence?
    const rng = new Random(4);
    const N = 128;
    const T = 8;
    const ids = new Int32Array(N * T);
    const labels = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      for (let t = 0; t < T; t++) ids[i * T + t] = 2 + rng.int(3);
      if (i % 2 === 0) ids[i * T + rng.int(T)] = 1;
      labels[i] = i % 2 === 0 ? 1 : 0;
    }
    const model = new Sequential([
      new Embedding({ numEmbeddings: 5, embeddingDim: 4, seed: 1 }),
      new GRU({ inputSize: 4, hiddenSize: 8, returnSequences: false, seed: 2 }),
      new Dense({ inputSize: 8, units: 2, seed: 3 }),
    ]);
    expect([...model.namedParameters().keys()]).toEqual([
      '0.weight',
      '1.weight_ih_l0',
      '1.weight_hh_l0',
      '1.bias_ih_l0',
      '1.bias_hh_l0',
      '2.weight',
      '2.bias',
    ]);
    model.compile({
      optimizer: new Adam({ lr: 0.05 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const x = tensor(ids, [N, T], 'int32');
    const y = tensor(labels, [N], 'int32');
    const h = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
    expect(h.history.loss[14]).toBeLessThan(h.history.loss[0]);
    expect(model.evaluate(x, y).acc).toBeGreaterThan(0.9);

    const twin = modelFromConfig(model.getConfig()) as Sequential;
    expect(twin).toBeInstanceOf(Sequential);
    expect(twin.getConfig()).toEqual(model.getConfig());
    twin.loadStateDict(model.stateDict());
    expect(Array.from(twin.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    twin.dispose();
    model.dispose();
  });
});

describe('many-to-many: tagging with a bidirectional LSTM and a padding mask', () => {
  it('learns per-step tags and ignores padded steps', async () => {
    // tag of each step = its token's parity; steps after each sequence's length are padding
    const rng = new Random(9);
    const N = 64;
    const T = 6;
    const ids = new Int32Array(N * T);
    const tags = new Int32Array(N * T);
    const mask = new Float32Array(N * T);
    for (let i = 0; i < N; i++) {
      const len = 3 + rng.int(T - 2);
      for (let t = 0; t < T; t++) {
        const tok = t < len ? 1 + rng.int(6) : 0;
        ids[i * T + t] = tok;
        tags[i * T + t] = t < len ? tok % 2 : 7 % 2; // garbage tags on padding
        mask[i * T + t] = t < len ? 1 : 0;
      }
    }
    const model = new Sequential([
      new Embedding({ numEmbeddings: 7, embeddingDim: 6, seed: 1 }),
      new Bidirectional(new LSTM({ inputSize: 6, hiddenSize: 8, seed: 2 })),
      new Dense({ inputSize: 16, units: 2, seed: 3 }),
    ]);
    expect(model.namedParameters().has('1.weight_ih_l0_reverse')).toBe(true);
    model.compile({
      optimizer: new Adam({ lr: 0.03 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const x = tensor(ids, [N, T], 'int32');
    const y = tensor(tags, [N, T], 'int32');
    const m = tensor(mask, [N, T]);
    await model.fit(x, y, { epochs: 20, batchSize: 16, mask: m, verbose: 0 });
    expect(model.evaluate(x, y, { mask: m }).acc).toBeGreaterThan(0.95);
    expect(model.predict(x).shape).toEqual([N, T, 2]);
    model.dispose();
  });
});

describe('many-to-many: a stateful character language model with truncated BPTT', () => {
  it('carries state between consecutive batches and learns a periodic text', async () => {
    const text = 'abcdabcdabcdabcd'.repeat(40);
    const vocab = [...new Set(text)];
    const tokens = [...text].map((c) => vocab.indexOf(c));
    const B = 4;
    const T = 5;
    const { x, y, numBatches } = bpttBatches(tokens, { batchSize: B, seqLen: T });
    // lane continuity: row b of batch k+1 continues row b of batch k
    const xs = x.arraySync() as number[][];
    expect(tokens.indexOf(xs[B][0])).toBeGreaterThanOrEqual(0);
    const lane = Math.floor((tokens.length - 1) / B);
    expect(xs[B + 1][0]).toBe(tokens[lane + T]);
    const lstm = new LSTM({ inputSize: 8, hiddenSize: 16, stateful: true, seed: 3 });
    const lm = new Sequential([
      new Embedding({ numEmbeddings: vocab.length, embeddingDim: 8, seed: 1 }),
      lstm,
      new Dense({ inputSize: 16, units: vocab.length, seed: 2 }),
    ]);
    expect(lm.isStateful()).toBe(true);
    lm.compile({
      optimizer: new Adam({ lr: 0.02 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['perplexity'],
    });
    await expect(lm.fit(x, y, { batchSize: B, shuffle: true })).rejects.toThrow(/stateful/);
    const seen: number[] = [];
    const h = await lm.fit(x, y, {
      epochs: 6,
      batchSize: B,
      verbose: 0,
      callbacks: { onBatchEnd: () => void seen.push(lstm.getStates()!.h.shape[1]) },
    });
    expect(seen.length).toBe(6 * numBatches);
    expect(seen.every((b) => b === B)).toBe(true);
    expect(h.history.perplexity[5]).toBeLessThan(1.5);
    expect(h.history.perplexity[0]).toBeGreaterThan(h.history.perplexity[5]);
    lm.dispose();
  });
});

/** One-to-many: a vector sets the initial state; the decoder unrolls its own greedy outputs. */
class VectorToSequence extends Model {
  static override readonly className = 'VectorToSequence';
  readonly init: Dense;
  readonly embed: Embedding;
  readonly gru: GRU;
  readonly head: Dense;

  constructor(
    readonly cfg: { features: number; vocab: number; hidden: number; steps: number; name?: string },
  ) {
    super(cfg);
    this.init = this.register(
      'init',
      new Dense({ inputSize: cfg.features, units: cfg.hidden, activation: 'tanh', seed: 1 }),
    );
    this.embed = this.register(
      'embed',
      new Embedding({ numEmbeddings: cfg.vocab + 1, embeddingDim: 4, seed: 2 }),
    );
    this.gru = this.register('gru', new GRU({ inputSize: 4, hiddenSize: cfg.hidden, seed: 3 }));
    this.head = this.register(
      'head',
      new Dense({ inputSize: cfg.hidden, units: cfg.vocab, seed: 4 }),
    );
  }

  /** Teacher forcing: input `[vector [B, F], previous tokens [B, T] int32 (start token = vocab)]` → logits `[B, T, vocab]`. */
  forward(input: ModelInput, options: ForwardOptions = {}): Tensor {
    const [vec, prev] = input as Tensor[];
    const h0 = expandDims(this.init.apply(vec), 0);
    const { output } = this.gru.forward(this.embed.apply(prev), {
      initialState: { h: h0 },
      training: options.training,
    });
    return this.head.apply(output);
  }

  /** Free-running generation from vectors: greedy tokens `[B][steps]`. */
  generate(vec: Tensor): number[][] {
    const B = vec.shape[0];
    const out: number[][] = Array.from({ length: B }, () => []);
    let h = tidy(() => expandDims(this.init.apply(vec), 0));
    let prev = Array.from({ length: B }, () => this.cfg.vocab);
    for (let t = 0; t < this.cfg.steps; t++) {
      const { logits, hN } = tidy(() => {
        const r = this.gru.forward(this.embed.apply(tensor(prev, [B, 1], 'int32')), {
          initialState: { h },
        });
        return { logits: reshape(this.head.apply(r.output), [B, this.cfg.vocab]), hN: r.hN };
      });
      h.dispose();
      h = hN;
      const rows = logits.arraySync() as number[][];
      logits.dispose();
      prev = rows.map((r) => greedy(r));
      prev.forEach((tok, b) => out[b].push(tok));
    }
    h.dispose();
    return out;
  }
}
registerLayer('VectorToSequence', (cfg) => new VectorToSequence(cfg as VectorToSequence['cfg']));

describe('one-to-many: generating a sequence from a vector', () => {
  it('learns to count up from the digit encoded in a one-hot vector', async () => {
    const V = 6;
    const T = 4;
    const N = 24;
    const vec = new Float32Array(N * V);
    const prev = new Int32Array(N * T);
    const tgt = new Int32Array(N * T);
    for (let i = 0; i < N; i++) {
      const s = i % V;
      vec[i * V + s] = 1;
      for (let t = 0; t < T; t++) {
        tgt[i * T + t] = (s + t) % V;
        prev[i * T + t] = t === 0 ? V : (s + t - 1) % V;
      }
    }
    const model = new VectorToSequence({ features: V, vocab: V, hidden: 16, steps: T });
    expect([...model.namedParameters().keys()].slice(0, 3)).toEqual([
      'init.weight',
      'init.bias',
      'embed.weight',
    ]);
    model.compile({
      optimizer: new Adam({ lr: 0.03 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const vx = tensor(vec, [N, V]);
    await model.fit([vx, tensor(prev, [N, T], 'int32')], tensor(tgt, [N, T], 'int32'), {
      epochs: 40,
      batchSize: 8,
      verbose: 0,
    });
    const gen = model.generate(slice(vx, [0, 0], [V, V]));
    expect(gen).toEqual(
      Array.from({ length: V }, (_, s) => Array.from({ length: T }, (_, t) => (s + t) % V)),
    );
    // the custom model rebuilds from its config through the registry
    const twin = modelFromConfig(model.getConfig()) as VectorToSequence;
    expect(twin).toBeInstanceOf(VectorToSequence);
    expect(twin.paramCount()).toBe(model.paramCount());
    twin.dispose();
    model.dispose();
  });
});

/** Encoder–decoder: an LSTM encoder's final (h, c) starts an LSTM decoder (teacher forcing). */
class Seq2Seq extends Model {
  static override readonly className = 'Seq2Seq';
  readonly srcEmbed: Embedding;
  readonly tgtEmbed: Embedding;
  readonly encoder: LSTM;
  readonly decoder: LSTM;
  readonly head: Dense;

  constructor(readonly cfg: { vocab: number; hidden: number; name?: string }) {
    super(cfg);
    const { vocab, hidden } = cfg;
    this.srcEmbed = this.register(
      'src_embed',
      new Embedding({ numEmbeddings: vocab, embeddingDim: 8, seed: 1 }),
    );
    this.tgtEmbed = this.register(
      'tgt_embed',
      new Embedding({ numEmbeddings: vocab + 1, embeddingDim: 8, seed: 2 }),
    );
    this.encoder = this.register(
      'encoder',
      new LSTM({ inputSize: 8, hiddenSize: hidden, seed: 3 }),
    );
    this.decoder = this.register(
      'decoder',
      new LSTM({ inputSize: 8, hiddenSize: hidden, seed: 4 }),
    );
    this.head = this.register('head', new Dense({ inputSize: hidden, units: vocab, seed: 5 }));
  }

  encode(src: Tensor, training = false): { h: Tensor; c: Tensor } {
    const { hN, cN } = this.encoder.forward(this.srcEmbed.apply(src), { training });
    return { h: hN, c: cN! };
  }

  forward(input: ModelInput, options: ForwardOptions = {}): Tensor {
    const [src, tgtIn] = input as Tensor[];
    const state = this.encode(src, options.training);
    const { output } = this.decoder.forward(this.tgtEmbed.apply(tgtIn), {
      initialState: state,
      training: options.training,
    });
    return this.head.apply(output);
  }

  /** Greedy decoding of `steps` tokens for one source sequence. */
  translate(src: Tensor, steps: number): number[] {
    let state = tidy(() => this.encode(src));
    let tok = this.cfg.vocab;
    const out: number[] = [];
    for (let t = 0; t < steps; t++) {
      const r = tidy(() => {
        const d = this.decoder.forward(this.tgtEmbed.apply(tensor([[tok]], [1, 1], 'int32')), {
          initialState: state,
        });
        return { logits: reshape(this.head.apply(d.output), [this.cfg.vocab]), h: d.hN, c: d.cN! };
      });
      state.h.dispose();
      state.c.dispose();
      state = { h: r.h, c: r.c };
      tok = greedy(r.logits);
      r.logits.dispose();
      out.push(tok);
    }
    state.h.dispose();
    state.c.dispose();
    return out;
  }
}

describe('encoder–decoder: sequence reversal', () => {
  it('learns to reverse short sequences and decodes them greedily', async () => {
    const V = 4;
    const T = 3;
    const all: number[][] = [];
    for (let a = 0; a < V; a++)
      for (let b = 0; b < V; b++) for (let c = 0; c < V; c++) all.push([a, b, c]);
    const N = all.length;
    const src = tensor(all, [N, T], 'int32');
    const rev = all.map((s) => [...s].reverse());
    const tgtIn = tensor(
      rev.map((r) => [V, ...r.slice(0, -1)]),
      [N, T],
      'int32',
    );
    const tgt = tensor(rev, [N, T], 'int32');
    const model = new Seq2Seq({ vocab: V, hidden: 24 });
    expect(model.namedParameters().has('encoder.weight_ih_l0')).toBe(true);
    expect(model.namedParameters().has('decoder.bias_hh_l0')).toBe(true);
    model.compile({
      optimizer: new Adam({ lr: 0.02 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const h = await model.fit([src, tgtIn], tgt, {
      epochs: 60,
      batchSize: 16,
      verbose: 0,
      seed: 1,
    });
    expect(h.history.acc[59]).toBeGreaterThan(0.95);
    let correct = 0;
    for (let i = 0; i < N; i += 7) {
      const one = slice(src, [i, 0], [1, T]);
      if (model.translate(one, T).join() === rev[i].join()) correct++;
      one.dispose();
    }
    expect(correct).toBeGreaterThanOrEqual(Math.ceil(N / 7) - 1);
    model.dispose();
  });
});

describe('Model basics', () => {
  it('refuses duplicate child names, counts parameters, forwards several inputs', async () => {
    class Two extends Model {
      readonly a = this.register('a', new Dense({ inputSize: 2, units: 3, seed: 1 }));
      forward(input: ModelInput): Tensor {
        const [p, q] = input as Tensor[];
        return this.a.apply(concat([p, q], 0));
      }
      tryDuplicate() {
        this.register('a', new Dense({ inputSize: 1, units: 1 }));
      }
    }
    const m = new Two();
    expect(() => m.tryDuplicate()).toThrow(/already registered/);
    expect(m.paramCount()).toBe(9);
    const before = memory().numTensors;
    const out = m.apply([tensor([[1, 2]]), tensor([[3, 4]])]);
    expect(out.shape).toEqual([2, 3]);
    expect(stack([out]).shape).toEqual([1, 2, 3]);
    await expect(m.fit(tensor([[1, 2]]), tensor([1]))).rejects.toThrow(/compile/);
    expect(() => m.evaluate(tensor([[1, 2]]), tensor([1]))).toThrow(/compile/);
    m.dispose();
    expect(memory().numTensors).toBeLessThan(before + 10);
  });
});
