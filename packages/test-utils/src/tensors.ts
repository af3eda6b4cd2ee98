/**
 * Kernel inputs and outputs moved between the host and a backend: writing, reading, freeing,
 * and one kernel call from host inputs to host outputs. The host tensor is `@rnnkit/testing`'s.
 */
import type { Backend, DType, KernelAttrs, KernelName, Shape, TensorInfo } from '@rnnkit/core';
import { typedArrayFor } from '@rnnkit/core';
import type { HostTensor } from '@rnnkit/testing';

export type { HostTensor } from '@rnnkit/testing';

/** Writes `values` to `backend` as `dtype` and describes the result as a kernel input. */
export function put(
  backend: Backend,
  values: ArrayLike<number>,
  shape: Shape,
  dtype: DType = 'float32',
): TensorInfo {
  const array = typedArrayFor(dtype, values.length);
  array.set(Array.from(values));
  return { dataId: backend.write(array, shape, dtype), shape, dtype };
}

/** Reads a kernel output back as a plain array. */
export function get(backend: Backend, info: TensorInfo): number[] {
  return Array.from(backend.readSync(info.dataId));
}

/** Frees the storage of every listed tensor once (repeats and `undefined` are skipped). */
export function disposeAll(backend: Backend, infos: Iterable<TensorInfo | undefined>): void {
  const seen = new Set<object>();
  for (const info of infos) {
    if (!info || seen.has(info.dataId)) continue;
    seen.add(info.dataId);
    backend.disposeData(info.dataId);
  }
}

/** `n` zeros. */
export function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/**
 * A kernel input as a test writes it: a {@link HostTensor} whose values may be a plain array and
 * whose dtype defaults to `float32`.
 */
export type HostInput = Pick<HostTensor, 'shape'> & {
  values: ArrayLike<number>;
  dtype?: DType;
};

/** Named host inputs of a kernel; `Concat`'s `xs` is a list. */
export type HostInputs = Record<string, HostInput | readonly HostInput[] | undefined>;

/**
 * Runs kernel `name` of `backend` on host inputs (written with {@link put}) and returns every
 * output read back. Inputs and outputs are freed afterwards.
 */
export function runKernel<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: HostInputs,
  attrs: KernelAttrs<K>,
): Record<string, HostTensor> {
  const written: Record<string, TensorInfo | TensorInfo[]> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    written[key] = Array.isArray(value)
      ? value.map((t: HostInput) => put(backend, t.values, t.shape, t.dtype))
      : put(
          backend,
          (value as HostInput).values,
          (value as HostInput).shape,
          (value as HostInput).dtype,
        );
  }
  const kernel = (
    backend.kernels as unknown as Record<string, (i: unknown, a: unknown, b: Backend) => unknown>
  )[name];
  const outputs = kernel(written, attrs, backend) as Record<string, TensorInfo | undefined>;
  const read: Record<string, HostTensor> = {};
  for (const [key, info] of Object.entries(outputs)) {
    if (!info) continue;
    read[key] = { values: backend.readSync(info.dataId), shape: info.shape, dtype: info.dtype };
  }
  disposeAll(backend, [...Object.values(outputs), ...Object.values(written).flat()]);
  return read;
}
