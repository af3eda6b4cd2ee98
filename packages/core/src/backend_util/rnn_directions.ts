/**
 * Both directions of a fused recurrent call (`directions: 2`) composed from a backend's own
 * one-direction `RnnForward`/`RnnBackward` kernels and its `Slice`, `Concat` and `Binary` kernels.
 */
import type { Backend, KernelFunc } from '../backend.js';
import type { KernelInputs, KernelOutputs, RnnAttrs } from '../kernel_names.js';
import { sizeOf, type TensorInfo } from '../types.js';

/**
 * The kernels of a backend that {@link rnnByDirection} composes, and how its recurrent reserve
 * is joined and split (by default: flat reserves, concatenated and sliced along axis 0).
 */
export interface DirectionKernels<B extends Backend> {
  /** The backend's one-direction `RnnForward`. */
  forward: KernelFunc<'RnnForward', B>;
  /** The backend's one-direction `RnnBackward`. */
  backward: KernelFunc<'RnnBackward', B>;
  /** The backend's `Slice`. */
  slice: KernelFunc<'Slice', B>;
  /** The backend's `Concat`. */
  concat: KernelFunc<'Concat', B>;
  /** The backend's `Binary` (for the sum of the two directions' `dx`). */
  binary: KernelFunc<'Binary', B>;
  /**
   * One reserve holding both directions' (the two are disposed after the call, so a join that
   * shares their storage must take its own references); default: a flat concat.
   */
  joinReserves?: (reserves: [TensorInfo, TensorInfo], backend: B) => TensorInfo;
  /** The two directions' reserves of a joined one (new handles, disposed after use). */
  splitReserve?: (reserve: TensorInfo, backend: B) => [TensorInfo, TensorInfo];
}

/** The same storage seen with another shape of the same size (inputs are never consumed). */
function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Calls `fn` with a function that keeps the handles it is given, then disposes them all. */
function withTemporaries<T>(
  backend: Backend,
  fn: (keep: <I extends TensorInfo | undefined>(info: I) => I) => T,
): T {
  const temporaries: TensorInfo[] = [];
  try {
    return fn((info) => {
      if (info) temporaries.push(info);
      return info;
    });
  } finally {
    for (const info of temporaries) backend.disposeData(info.dataId);
  }
}

/**
 * The fused recurrent kernels of a backend extended to `directions: 2` by running the two
 * directions one after the other through its one-direction kernels: each direction's slice of
 * the stacked inputs goes in, `y` halves are concatenated on the feature axis, states and weight
 * gradients stacked, and the two `dx` added. The results equal two single-direction calls; a
 * backend that can run the directions concurrently implements `directions: 2` itself instead.
 * Calls with one direction go straight to the given kernels.
 */
export function rnnByDirection<B extends Backend>(
  kernels: DirectionKernels<B>,
): { forward: KernelFunc<'RnnForward', B>; backward: KernelFunc<'RnnBackward', B> } {
  const join = (infos: TensorInfo[], axis: number, backend: B): TensorInfo =>
    kernels.concat({ xs: infos }, { axis }, backend).y;
  const flat = (info: TensorInfo) => view(info, [sizeOf(info.shape)]);
  const joinReserves =
    kernels.joinReserves ?? (([a, b], backend: B) => join([flat(a), flat(b)], 0, backend));
  const splitReserve =
    kernels.splitReserve ??
    ((reserve: TensorInfo, backend: B): [TensorInfo, TensorInfo] => {
      const half = sizeOf(reserve.shape) / 2;
      const part = (d: number) =>
        kernels.slice({ x: flat(reserve) }, { begin: [d * half], size: [half] }, backend).y;
      return [part(0), part(1)];
    });
  /** Direction d's block of a `[2, ...rest]` input, as a `rest`-shaped tensor. */
  const block = (info: TensorInfo, d: number, backend: B): TensorInfo => {
    const rest = info.shape.slice(1);
    const begin = info.shape.map((_, i) => (i === 0 ? d : 0));
    const y = kernels.slice({ x: info }, { begin, size: [1, ...rest] }, backend).y;
    return view(y, rest);
  };
  /** Stacks two same-shaped tensors along a new leading axis. */
  const stackTwo = (a: TensorInfo, b: TensorInfo, backend: B): TensorInfo =>
    join([view(a, [1, ...a.shape]), view(b, [1, ...b.shape])], 0, backend);
  const oneDirection = (attrs: RnnAttrs, d: number): RnnAttrs => {
    const { directions: _, ...rest } = attrs;
    return { ...rest, reverse: (d === 1) !== attrs.reverse };
  };
  const directionInputs = (
    inputs: KernelInputs<'RnnForward'>,
    d: number,
    backend: B,
    keep: <I extends TensorInfo | undefined>(info: I) => I,
  ): KernelInputs<'RnnForward'> => ({
    x: inputs.x,
    wIh: keep(block(inputs.wIh, d, backend)),
    wHh: keep(block(inputs.wHh, d, backend)),
    bIh: keep(block(inputs.bIh, d, backend)),
    bHh: keep(block(inputs.bHh, d, backend)),
    h0: keep(block(inputs.h0, d, backend)),
    c0: inputs.c0 && keep(block(inputs.c0, d, backend)),
    lengths: inputs.lengths,
  });

  const forward: KernelFunc<'RnnForward', B> = (inputs, attrs, backend) => {
    if ((attrs.directions ?? 1) === 1) return kernels.forward(inputs, attrs, backend);
    return withTemporaries(backend, (keep) => {
      const [r0, r1] = [0, 1].map((d) => {
        const one = kernels.forward(
          directionInputs(inputs, d, backend, keep),
          { ...oneDirection(attrs, d), training: attrs.training },
          backend,
        );
        keep(one.y);
        keep(one.hN);
        keep(one.cN);
        keep(one.reserve);
        return one;
      });
      const outputs: KernelOutputs<'RnnForward'> = {
        y: join([r0.y, r1.y], 2, backend),
        hN: stackTwo(r0.hN, r1.hN, backend),
        reserve: joinReserves([r0.reserve, r1.reserve], backend),
      };
      if (r0.cN && r1.cN) outputs.cN = stackTwo(r0.cN, r1.cN, backend);
      return outputs;
    });
  };

  const backward: KernelFunc<'RnnBackward', B> = (inputs, attrs, backend) => {
    if ((attrs.directions ?? 1) === 1) return kernels.backward(inputs, attrs, backend);
    return withTemporaries(backend, (keep) => {
      const [B, T, twoH] = inputs.y.shape;
      const H = twoH / 2;
      const half = (info: TensorInfo, d: number) =>
        keep(kernels.slice({ x: info }, { begin: [0, 0, d * H], size: [B, T, H] }, backend).y);
      const reserves = splitReserve(inputs.reserve, backend).map(keep);
      const [g0, g1] = [0, 1].map((d) => {
        const g = kernels.backward(
          {
            ...directionInputs(inputs, d, backend, keep),
            y: half(inputs.y, d),
            reserve: reserves[d],
            dy: inputs.dy && half(inputs.dy, d),
            dhN: keep(block(inputs.dhN, d, backend)),
            dcN: inputs.dcN && keep(block(inputs.dcN, d, backend)),
          },
          oneDirection(attrs, d),
          backend,
        );
        for (const info of Object.values(g)) keep(info);
        return g;
      });
      const outputs: KernelOutputs<'RnnBackward'> = {
        dx: kernels.binary({ a: g0.dx, b: g1.dx }, { op: 'add', shape: g0.dx.shape }, backend).y,
        dWIh: stackTwo(g0.dWIh, g1.dWIh, backend),
        dWHh: stackTwo(g0.dWHh, g1.dWHh, backend),
        dBIh: stackTwo(g0.dBIh, g1.dBIh, backend),
        dBHh: stackTwo(g0.dBHh, g1.dBHh, backend),
        dh0: stackTwo(g0.dh0, g1.dh0, backend),
      };
      if (g0.dc0 && g1.dc0) outputs.dc0 = stackTwo(g0.dc0, g1.dc0, backend);
      return outputs;
    });
  };
  return { forward, backward };
}
