/**
 * `rnnSequenceReference`: the same recurrence composed from elementary ops, the reference the
 * fused kernels are checked against.
 */
import { ENGINE } from '../engine.js';
import { tensor } from '../ops/create.js';
import { add, mul, relu, sigmoid, sub, tanh } from '../ops/elementwise.js';
import { matMul } from '../ops/matmul.js';
import { concat, reshape, slice, split, squeeze, stack } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { type RnnSequenceArgs, type RnnSequenceResult, validateRnnArgs } from './validate.js';

/**
 * The composed reference of the fused recurrent kernel: the same computation as
 * {@link rnnSequence} written step by step with primitive ops (one input projection for all
 * steps, then per-step products and gate arithmetic), differentiated by the tape. It is slow
 * and exists to check backends' fused kernels against something obviously right. With
 * `bidirectional` it runs the two directions one after the other on the slices of the stacked
 * arguments and joins their results.
 */
export function rnnSequenceReference(args: RnnSequenceArgs): RnnSequenceResult {
  const sizes = validateRnnArgs('rnnSequenceReference', args);
  if (sizes.D === 1) return oneDirection(args, sizes);
  const of = (t: Tensor, d: number) =>
    squeeze(slice(t, [d, ...t.shape.slice(1).map(() => 0)], [1, ...t.shape.slice(1)]), 0);
  const results = [0, 1].map((d) =>
    oneDirection(
      {
        ...args,
        wIh: of(args.wIh, d),
        wHh: of(args.wHh, d),
        bIh: of(args.bIh, d),
        bHh: of(args.bHh, d),
        h0: of(args.h0, d),
        c0: args.c0 && of(args.c0, d),
        reverse: (d === 1) !== (args.reverse ?? false),
        bidirectional: false,
      },
      sizes,
    ),
  );
  const y = concat(
    results.map((r) => r.y),
    2,
  );
  const hN = stack(
    results.map((r) => r.hN),
    0,
  );
  return args.mode === 'LSTM'
    ? {
        y,
        hN,
        cN: stack(
          results.map((r) => r.cN!),
          0,
        ),
      }
    : { y, hN };
}

/** One direction of {@link rnnSequenceReference}, its arguments already validated. */
function oneDirection(
  args: RnnSequenceArgs,
  { B, T, I, H, G }: { B: number; T: number; I: number; H: number; G: number },
): RnnSequenceResult {
  const { mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths } = args;
  const projected = reshape(add(matMul(reshape(x, [B * T, I]), wIh, { transposeB: true }), bIh), [
    B,
    T,
    G * H,
  ]);
  const lengthValues = lengths?.dataSync();
  let h = h0;
  let c = c0;
  const ys: Tensor[] = new Array(T);
  const order = Array.from({ length: T }, (_, i) => (args.reverse ? T - 1 - i : i));
  for (const t of order) {
    const xt = reshape(slice(projected, [0, t, 0], [B, 1, G * H]), [B, G * H]);
    const hp = add(matMul(h, wHh, { transposeB: true }), bHh);
    let hNew: Tensor;
    let cNew: Tensor | undefined;
    if (mode === 'RNN_TANH' || mode === 'RNN_RELU') {
      const pre = add(xt, hp);
      hNew = mode === 'RNN_TANH' ? tanh(pre) : relu(pre);
    } else if (mode === 'LSTM') {
      const [i, f, g, o] = split(add(xt, hp), 4, 1);
      cNew = add(mul(sigmoid(f), c!), mul(sigmoid(i), tanh(g)));
      hNew = mul(sigmoid(o), tanh(cNew));
    } else {
      const [xr, xz, xn] = split(xt, 3, 1);
      const [hr, hz, hn] = split(hp, 3, 1);
      const r = sigmoid(add(xr, hr));
      const z = sigmoid(add(xz, hz));
      const n = tanh(add(xn, mul(r, hn)));
      hNew = add(mul(sub(1, z), n), mul(z, h));
    }
    if (lengthValues) {
      const active = tensor(
        Array.from(lengthValues, (len) => (t < len ? 1 : 0)),
        [B, 1],
        x.dtype,
      );
      const frozen = sub(1, active);
      h = add(mul(active, hNew), mul(frozen, h));
      if (cNew) c = add(mul(active, cNew), mul(frozen, c!));
      ys[t] = mul(active, hNew);
    } else {
      h = hNew;
      c = cNew ?? c;
      ys[t] = hNew;
    }
  }
  const y = T === 0 ? reshape(slice(projected, [0, 0, 0], [B, 0, H]), [B, 0, H]) : stack(ys, 1);
  return mode === 'LSTM'
    ? {
        y,
        hN: h === h0 ? ENGINE.view(h0, h0.shape) : h,
        cN: c === c0 ? ENGINE.view(c0!, c0!.shape) : c,
      }
    : { y, hN: h === h0 ? ENGINE.view(h0, h0.shape) : h };
}
