/**
 * One recurrent layer's loss and gradients through a chosen path on the active backend: the
 * fused kernels (`rnnSequence`) or core's composed reference (`rnnSequenceReference`, built
 * from elementary ops). A backend's fused kernels are checked against its own elementary
 * kernels this way, with no other backend. Free of Node APIs: the gpujs browser test bundles
 * it (subpath `@rnnkit/test-utils/rnn-paths`).
 */
import {
  add,
  GATES_PER_MODE,
  mul,
  type RnnMode,
  rnnSequence,
  rnnSequenceReference,
  sum,
  type Tensor,
  tensor,
  valueAndGrads,
} from '@rnnkit/core';
import { type RandomSource, uniform } from './random.js';

/** One layer's sizes, options and input values (row-major). */
export interface RnnPathProblem {
  mode: RnnMode;
  B: number;
  T: number;
  I: number;
  H: number;
  reverse: boolean;
  /** Valid lengths per batch row (absent: every row runs `T` steps). */
  lengths?: number[];
  /** `x, wIh, wHh, bIh, bHh, h0, c0` (LSTM only) and the output cotangent `dy`. */
  values: Record<string, number[]>;
}

/** What a path computes: `y`, the loss `Σ y·dy + Σ hN² (+ Σ cN²)` and its gradients. */
export interface RnnPathResult {
  y: number[];
  loss: number;
  /** Gradients of `x, wIh, wHh, bIh, bHh`, in that order. */
  grads: number[][];
}

/** A problem of the given sizes with uniform random values (weights in ±1/√H). */
export function randomRnnPathProblem(
  random: RandomSource,
  sizes: Omit<RnnPathProblem, 'values'>,
): RnnPathProblem {
  const { mode, B, T, I, H } = sizes;
  const GH = GATES_PER_MODE[mode] * H;
  const bound = 1 / Math.sqrt(H);
  const values: Record<string, number[]> = {
    x: uniform(random, B * T * I),
    wIh: uniform(random, GH * I, -bound, bound),
    wHh: uniform(random, GH * H, -bound, bound),
    bIh: uniform(random, GH, -bound, bound),
    bHh: uniform(random, GH, -bound, bound),
    h0: uniform(random, B * H, -0.5, 0.5),
    dy: uniform(random, B * T * H),
  };
  if (mode === 'LSTM') values.c0 = uniform(random, B * H, -0.5, 0.5);
  return { ...sizes, values };
}

/** Runs `p` through the fused kernels or the composed reference on the active backend. */
export async function runRnnPath(
  path: 'fused' | 'composed',
  p: RnnPathProblem,
): Promise<RnnPathResult> {
  const { mode, B, T, I, H, values } = p;
  const GH = GATES_PER_MODE[mode] * H;
  const sequence = path === 'fused' ? rnnSequence : rnnSequenceReference;
  const h0 = tensor(values.h0, [B, H]);
  const c0 = values.c0 ? tensor(values.c0, [B, H]) : undefined;
  const dy = tensor(values.dy, [B, T, H]);
  const lengths = p.lengths ? tensor(p.lengths, [B], 'int32') : undefined;
  let y: number[] = [];
  const loss = (x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor, bHh: Tensor) => {
    const out = sequence({ mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths, reverse: p.reverse });
    y = Array.from(out.y.dataSync());
    const states = add(sum(mul(out.y, dy)), sum(mul(out.hN, out.hN)));
    return out.cN ? add(states, sum(mul(out.cN, out.cN))) : states;
  };
  const inputs = [
    tensor(values.x, [B, T, I]),
    tensor(values.wIh, [GH, I]),
    tensor(values.wHh, [GH, H]),
    tensor(values.bIh, [GH]),
    tensor(values.bHh, [GH]),
  ];
  const { value, grads } = valueAndGrads(loss)(inputs);
  const result = {
    y,
    loss: (await value.data())[0],
    grads: await Promise.all(grads.map(async (g) => Array.from(await g.data()))),
  };
  for (const t of [h0, c0, dy, lengths, value, ...grads, ...inputs]) t?.dispose();
  return result;
}
