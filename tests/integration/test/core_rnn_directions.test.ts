/**
 * `rnnSequence({ bidirectional: true })`, the one-call form of a bidirectional layer: values and
 * gradients against two single-direction calls, the composed reference, argument errors, and
 * core's `rnnByDirection` (the kernels of a backend extended to two directions by running its
 * one-direction kernels in turn) against cpu's own two-direction kernels. On the cpu backend;
 * here rather than in core because it needs a concrete backend.
 */
import '@rnnkit/backend-cpu';
import { cpuKernels } from '@rnnkit/backend-cpu';
import {
  add,
  concat,
  ENGINE,
  GATES_PER_MODE,
  mul,
  RNN_MODES,
  type RnnMode,
  type RnnSequenceArgs,
  randomNormal,
  rnnByDirection,
  rnnSequence,
  rnnSequenceReference,
  ShapeError,
  setBackend,
  slice,
  squeeze,
  stack,
  sum,
  type Tensor,
  tensor,
  ValueError,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => {
  await setBackend('cpu');
});

const [B, T, I, H] = [3, 5, 4, 6];

/** Stacked two-direction arguments in float64 (lengths include an empty and a full sequence). */
function stackedArgs(mode: RnnMode, withLengths: boolean): RnnSequenceArgs {
  const G = GATES_PER_MODE[mode];
  const f = (shape: number[], scale = 0.4) => randomNormal(shape, 0, scale, 'float64');
  return {
    mode,
    x: f([B, T, I], 1),
    wIh: f([2, G * H, I]),
    wHh: f([2, G * H, H]),
    bIh: f([2, G * H]),
    bHh: f([2, G * H]),
    h0: f([2, B, H]),
    c0: mode === 'LSTM' ? f([2, B, H]) : undefined,
    lengths: withLengths ? tensor([T, 0, 2], [B], 'int32') : undefined,
    bidirectional: true,
  };
}

/** Direction d's block of a stacked tensor. */
function blockOf(t: Tensor, d: number): Tensor {
  const rest = t.shape.slice(1);
  return squeeze(slice(t, [d, ...rest.map(() => 0)], [1, ...rest]), 0);
}

/** The same layer as two single-direction calls, joined as the two-direction call joins them. */
function twoCalls(args: RnnSequenceArgs) {
  const rs = [0, 1].map((d) =>
    rnnSequence({
      ...args,
      wIh: blockOf(args.wIh, d),
      wHh: blockOf(args.wHh, d),
      bIh: blockOf(args.bIh, d),
      bHh: blockOf(args.bHh, d),
      h0: blockOf(args.h0, d),
      c0: args.c0 && blockOf(args.c0, d),
      reverse: d === 1,
      bidirectional: false,
    }),
  );
  return {
    y: concat([rs[0].y, rs[1].y], 2),
    hN: stack([rs[0].hN, rs[1].hN], 0),
    cN: rs[0].cN && stack([rs[0].cN, rs[1].cN!], 0),
  };
}

/** A loss touching every output, and its gradients with respect to every float argument. */
function lossAndGrads(
  args: RnnSequenceArgs,
  dy: Tensor,
  run: (a: RnnSequenceArgs) => ReturnType<typeof twoCalls>,
) {
  const wrt = [
    args.x,
    args.wIh,
    args.wHh,
    args.bIh,
    args.bHh,
    args.h0,
    ...(args.c0 ? [args.c0] : []),
  ];
  return ENGINE.valueAndGrads(() => {
    const r = run(args);
    const l = sum(mul(r.y, dy));
    return add(l, sum(mul(r.hN, r.cN ?? r.hN)));
  }, wrt);
}

describe('rnnSequence with bidirectional', () => {
  for (const mode of RNN_MODES) {
    for (const withLengths of [false, true]) {
      for (const checkpoint of [false, 2]) {
        it(`equals two single-direction calls (${mode}, ${withLengths ? 'lengths' : 'full'}, checkpoint ${checkpoint})`, () => {
          ENGINE.tidy(() => {
            const args = { ...stackedArgs(mode, withLengths), checkpoint };
            const one = rnnSequence(args);
            const two = twoCalls(args);
            expect(one.y.shape).toEqual([B, T, 2 * H]);
            expect(one.hN.shape).toEqual([2, B, H]);
            expect(one.y.dataSync()).toEqual(two.y.dataSync());
            expect(one.hN.dataSync()).toEqual(two.hN.dataSync());
            if (mode === 'LSTM') expect(one.cN!.dataSync()).toEqual(two.cN!.dataSync());
            const dy = randomNormal([B, T, 2 * H], 0, 1, 'float64');
            const a = lossAndGrads(args, dy, (x) => rnnSequence(x) as ReturnType<typeof twoCalls>);
            const b = lossAndGrads(args, dy, twoCalls);
            expect(a.value.dataSync()).toEqual(b.value.dataSync());
            a.grads.forEach((g, k) => {
              expect(g.shape).toEqual(b.grads[k].shape);
              expect(g.dataSync()).toEqual(b.grads[k].dataSync());
            });
          });
        });
      }
    }
  }

  it('matches the composed reference, which also takes bidirectional', () => {
    ENGINE.tidy(() => {
      const args = stackedArgs('GRU', true);
      const fused = rnnSequence(args);
      const composed = rnnSequenceReference(args);
      const y = fused.y.dataSync();
      composed.y.dataSync().forEach((v, k) => expect(y[k]).toBeCloseTo(v, 12));
      const hN = fused.hN.dataSync();
      composed.hN.dataSync().forEach((v, k) => expect(hN[k]).toBeCloseTo(v, 12));
    });
  });

  it('names the argument whose stacked shape is wrong', () => {
    ENGINE.tidy(() => {
      const args = stackedArgs('LSTM', false);
      expect(() => rnnSequence({ ...args, wIh: blockOf(args.wIh, 0) })).toThrow(ShapeError);
      expect(() => rnnSequence({ ...args, wIh: blockOf(args.wIh, 0) })).toThrow(
        /argument 'wIh' must have shape \[2, 24, 4\] \(stacked per direction\), got \[24, 4\]/,
      );
      expect(() => rnnSequence({ ...args, h0: blockOf(args.h0, 1) })).toThrow(/argument 'h0'/);
      expect(() => rnnSequence({ ...args, wHh: blockOf(args.wHh, 1) })).toThrow(
        /argument 'wHh' must have shape \[2, 4\*H, H\]/,
      );
      expect(() => rnnSequence({ ...args, bidirectional: false })).toThrow(/argument 'wHh'/);
      expect(() => rnnSequence({ ...args, bidirectional: 'yes' as unknown as boolean })).toThrow(
        ValueError,
      );
    });
  });
});

describe('rnnByDirection', () => {
  it("runs a backend's one-direction kernels in turn with the results of its two-direction kernels", async () => {
    const backend = await ENGINE.initBackend('cpu');
    const composed = rnnByDirection({
      forward: cpuKernels.RnnForward,
      backward: cpuKernels.RnnBackward,
      slice: cpuKernels.Slice,
      concat: cpuKernels.Concat,
      binary: cpuKernels.Binary,
    });
    ENGINE.tidy(() => {
      for (const mode of RNN_MODES) {
        const args = stackedArgs(mode, true);
        // A tensor is a TensorInfo of its storage.
        const info = (t: Tensor | undefined) => t;
        const inputs = {
          x: info(args.x)!,
          wIh: info(args.wIh)!,
          wHh: info(args.wHh)!,
          bIh: info(args.bIh)!,
          bHh: info(args.bHh)!,
          h0: info(args.h0)!,
          c0: info(args.c0),
          lengths: info(args.lengths),
        };
        const attrs = { mode, reverse: false, directions: 2 as const, training: true };
        const read = (o: object) =>
          Object.fromEntries(
            Object.entries(o).map(([k, v]) => [
              k,
              // The reserve's layout is the backend's: only its values must agree.
              [k === 'reserve' ? [] : v.shape, Array.from(backend.readSync(v.dataId))],
            ]),
          );
        const free = (o: object) => {
          for (const v of Object.values(o)) backend.disposeData(v.dataId);
        };
        const native = cpuKernels.RnnForward(inputs, attrs, backend as never);
        const viaOne = composed.forward(inputs, attrs, backend as never);
        const [r1, r2] = [read(viaOne), read(native)];
        for (const k of Object.keys(r2)) expect([k, r1[k]]).toEqual([k, r2[k]]);
        const cot = {
          dy: info(randomNormal([B, T, 2 * H], 0, 1, 'float64'))!,
          dhN: info(randomNormal([2, B, H], 0, 1, 'float64'))!,
          dcN: mode === 'LSTM' ? info(randomNormal([2, B, H], 0, 1, 'float64')) : undefined,
        };
        const { training: _, ...backAttrs } = attrs;
        const gNative = cpuKernels.RnnBackward(
          { ...inputs, ...cot, y: native.y, reserve: native.reserve },
          backAttrs,
          backend as never,
        );
        const gViaOne = composed.backward(
          { ...inputs, ...cot, y: viaOne.y, reserve: viaOne.reserve },
          backAttrs,
          backend as never,
        );
        expect(read(gViaOne)).toEqual(read(gNative));
        for (const o of [native, viaOne, gNative, gViaOne]) free(o);
      }
    });
  });
});
