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
  rnnSequence,
  rnnSequenceReference,
  sum,
  type Tensor,
  tensor,
  valueAndGrads,
} from '@rnnkit/core';
import type { RnnCotangents, RnnProblem } from './rnn.js';

/** What a path computes: `y`, the loss `Σ y·dy + Σ hN·dhN (+ Σ cN·dcN)` and its gradients. */
export interface RnnPathResult {
  y: number[];
  loss: number;
  /** Gradients of `x, wIh, wHh, bIh, bHh`, in that order. */
  grads: number[][];
}

/** Runs `problem` in float32 through the fused kernels or the composed reference on the active backend. */
export async function runRnnPath(
  path: 'fused' | 'composed',
  problem: RnnProblem,
  cotangents: RnnCotangents,
): Promise<RnnPathResult> {
  const { mode, reverse, batch: B, steps: T, inputSize: I, hidden: H } = problem;
  const GH = GATES_PER_MODE[mode] * H;
  const sequence = path === 'fused' ? rnnSequence : rnnSequenceReference;
  const h0 = tensor(problem.h0, [B, H]);
  const c0 = problem.c0 ? tensor(problem.c0, [B, H]) : undefined;
  const lengths = problem.lengths ? tensor(problem.lengths, [B], 'int32') : undefined;
  const dy = tensor(cotangents.dy, [B, T, H]);
  const dhN = tensor(cotangents.dhN, [B, H]);
  const dcN = cotangents.dcN ? tensor(cotangents.dcN, [B, H]) : undefined;
  let y: number[] = [];
  const loss = (x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor, bHh: Tensor) => {
    const out = sequence({ mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths, reverse });
    y = Array.from(out.y.dataSync());
    const l = add(sum(mul(out.y, dy)), sum(mul(out.hN, dhN)));
    return out.cN && dcN ? add(l, sum(mul(out.cN, dcN))) : l;
  };
  const inputs = [
    tensor(problem.x, [B, T, I]),
    tensor(problem.wIh, [GH, I]),
    tensor(problem.wHh, [GH, H]),
    tensor(problem.bIh, [GH]),
    tensor(problem.bHh, [GH]),
  ];
  const { value, grads } = valueAndGrads(loss)(inputs);
  const result = {
    y,
    loss: (await value.data())[0],
    grads: await Promise.all(grads.map(async (g) => Array.from(await g.data()))),
  };
  for (const t of [h0, c0, lengths, dy, dhN, dcN, value, ...grads, ...inputs]) t?.dispose();
  return result;
}
