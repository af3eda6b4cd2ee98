// The sampler's distributions, checked exactly against the model's own logits: temperature → 0 is
// greedy, every draw is the inverse-CDF draw of the filtered distribution, top-k and top-p keep the
// right set, beam search of width 1 is greedy, and unseen prime characters are named.
import '@rnnkit/backend-cpu';
import { Random, setBackend, tensor, tidy } from '@rnnkit/core';
import { filteredProbabilities } from '@rnnkit/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import { distinctChars, encode, makeVocabulary } from '../src/corpus.js';
import { buildModel, runModel } from '../src/model.js';
import { sampleText } from '../src/sample.js';

const vocab = makeVocabulary(distinctChars('abcdefgh \n'));
const V = vocab.chars.length;
let model: ReturnType<typeof buildModel>;

beforeAll(async () => {
  await setBackend('cpu');
  // large embeddings make the untrained model's distributions sharp enough to tell sets apart
  model = buildModel(
    { cell: 'gru', layers: 2, hidden: 12, embed: 6, dropout: 0, vocabSize: V },
    new Random(3),
  );
});

/** Logits after reading `text` (the next character's). */
function nextLogits(text: string): Float64Array {
  const ids = encode(text, vocab, 'test');
  return tidy(() => {
    const { logits } = runModel(model, tensor(ids, [1, ids.length], 'int32'), undefined, false);
    return Float64Array.from(logits.dataSync().subarray((ids.length - 1) * V));
  });
}

const argmax = (row: ArrayLike<number>) =>
  Array.from(row).reduce((b, v, i, a) => (v > a[b] ? i : b), 0);

function greedyChain(prime: string, length: number): string {
  let text = prime;
  for (let i = 0; i < length; i++) text += vocab.chars[argmax(nextLogits(text))];
  return text.slice(prime.length);
}

describe('sampling', () => {
  it('temperature 0, and temperature → 0, are greedy', () => {
    const expected = greedyChain('ab', 12);
    for (const temperature of [0, 1e-6])
      expect(sampleText(model, vocab, { prime: 'ab', length: 12, temperature, seed: 5 })).toBe(
        expected,
      );
    expect(
      sampleText(model, vocab, { prime: 'ab', length: 12, temperature: 1, topK: 1, seed: 5 }),
    ).toBe(expected);
  });

  it('streams exactly what it returns, one character per call', () => {
    const chunks: string[] = [];
    const text = sampleText(
      model,
      vocab,
      { prime: 'h', length: 30, temperature: 1, seed: 2 },
      (c) => chunks.push(c),
    );
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((c) => c.length === 1)).toBe(true);
  });

  it('each draw is the inverse-CDF draw of the filtered distribution', () => {
    const logits = nextLogits('abc');
    for (const options of [
      { temperature: 0.7 },
      { temperature: 1.3, topK: 3 },
      { temperature: 1, topP: 0.5 },
    ]) {
      const probs = filteredProbabilities(logits, options);
      for (let seed = 0; seed < 25; seed++) {
        const u = new Random(seed).next();
        let acc = 0;
        let expected = -1;
        for (let i = 0; i < V && expected < 0; i++)
          if (probs[i] > 0 && u < (acc += probs[i])) expected = i;
        for (let i = V - 1; expected < 0 && i >= 0; i--) if (probs[i] > 0) expected = i;
        const got = sampleText(model, vocab, { prime: 'abc', length: 1, ...options, seed });
        expect(got).toBe(vocab.chars[expected]);
      }
    }
  });

  it('top-k keeps the k most likely characters and top-p the smallest set reaching p', () => {
    const logits = nextLogits('bad');
    const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a]);
    const kept = (p: Float64Array) =>
      Array.from(p.keys())
        .filter((i) => p[i] > 0)
        .sort();
    for (const k of [1, 2, 5, V])
      expect(kept(filteredProbabilities(logits, { topK: k }))).toEqual(order.slice(0, k).sort());
    const full = filteredProbabilities(logits);
    for (const p of [0.1, 0.5, 0.9, 1]) {
      let mass = 0;
      let n = 0;
      while (n < V && mass < p) mass += full[order[n++]];
      expect(kept(filteredProbabilities(logits, { topP: p }))).toEqual(order.slice(0, n).sort());
    }
    // draws never leave the kept set
    const allowed = new Set(order.slice(0, 2).map((i) => vocab.chars[i]));
    for (let seed = 0; seed < 20; seed++)
      expect(
        allowed.has(
          sampleText(model, vocab, { prime: 'bad', length: 1, temperature: 1, topK: 2, seed }),
        ),
      ).toBe(true);
  });

  it('beam search of width 1 is greedy; wider beams are deterministic', () => {
    const beam = (b: number, seed = 0) =>
      sampleText(model, vocab, { prime: 'ab', length: 8, temperature: 1, beam: b, seed });
    // a width-1 beam keeps the single most likely continuation at every step
    expect(beam(1)).toBe(greedyChain('ab', 8));
    expect(beam(3)).toBe(beam(3, 99));
    expect(beam(3)).toHaveLength(8);
  });

  it('names the prime characters the model never saw', () => {
    expect(() =>
      sampleText(model, vocab, { prime: 'abXyZ', length: 3, temperature: 1, seed: 0 }),
    ).toThrow(
      /--prime holds 3 characters the model never saw: "X", "Z", "y"|--prime holds 3 characters the model never saw: "X", "y", "Z"/,
    );
  });
});
