import { CpuBackend } from '@rnnkit/backend-cpu';
import type {
  Backend,
  DType,
  KernelAttrs,
  KernelFunc,
  KernelInputs,
  KernelName,
  Shape,
  TensorInfo,
} from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { expect } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';

let pair: Promise<{ cpu: CpuBackend; wasm: WasmBackend }> | undefined;

/** One cpu reference backend and one wasm backend, shared by a test file. */
export function backends(): Promise<{ cpu: CpuBackend; wasm: WasmBackend }> {
  pair ??= createWasmBackend().then((wasm) => ({ cpu: new CpuBackend(), wasm }));
  return pair;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Host-side tensor value. */
export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: Shape;
  dtype: DType;
}

/** Uniform float32 values in [lo, hi). */
export function randomF32(shape: Shape, random: () => number, lo = -1, hi = 1): HostTensor {
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = lo + (hi - lo) * random();
  return { values, shape, dtype: 'float32' };
}

/** Uniform int32 values in [lo, hi). */
export function randomI32(shape: Shape, random: () => number, lo: number, hi: number): HostTensor {
  const values = new Int32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = Math.floor(lo + (hi - lo) * random());
  return { values, shape, dtype: 'int32' };
}

/** Uploads a host tensor to `backend`. */
export function upload(backend: Backend, t: HostTensor): TensorInfo {
  return { dataId: backend.write(t.values, t.shape, t.dtype), shape: [...t.shape], dtype: t.dtype };
}

type HostInputs = Record<string, HostTensor | readonly HostTensor[] | undefined>;

function uploadAll(backend: Backend, inputs: HostInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map((t) => upload(backend, t)) : upload(backend, v as HostTensor);
  }
  return out;
}

/** Runs kernel `name` on `backend` with host inputs; returns the outputs read back. */
export function runKernel<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: HostInputs,
  attrs: KernelAttrs<K>,
): Record<string, HostTensor> {
  const infos = uploadAll(backend, inputs);
  const kernel = backend.kernels[name] as unknown as KernelFunc<K, Backend>;
  const outs = kernel(infos as unknown as KernelInputs<K>, attrs, backend) as Record<
    string,
    TensorInfo | undefined
  >;
  const result: Record<string, HostTensor> = {};
  for (const [k, info] of Object.entries(outs)) {
    if (!info) continue;
    result[k] = {
      values: backend.readSync(info.dataId) as Float32Array | Int32Array,
      shape: info.shape,
      dtype: info.dtype,
    };
    backend.disposeData(info.dataId);
  }
  for (const v of Object.values(infos)) {
    for (const info of Array.isArray(v) ? v : [v]) backend.disposeData((info as TensorInfo).dataId);
  }
  return result;
}

/** Tolerance: |a - e| <= atol + rtol * max|e| over the tensor (scale-relative). */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Asserts two host tensors agree in shape, dtype and values (NaN matches NaN). */
export function expectClose(
  actual: HostTensor,
  expected: HostTensor,
  { rtol = 0, atol = 0 }: Tolerance = {},
  context = '',
): void {
  expect(actual.shape, `${context} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${context} dtype`).toBe(expected.dtype);
  expect(actual.values.length, `${context} length`).toBe(expected.values.length);
  let scale = 0;
  for (const v of expected.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const bound = atol + rtol * scale;
  for (let i = 0; i < actual.values.length; i++) {
    const a = actual.values[i];
    const e = expected.values[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
        expect.fail(`${context}[${i}]: got ${a}, expected ${e}`);
      }
      continue;
    }
    const err = Math.abs(a - e);
    if (!(err <= bound)) {
      expect.fail(`${context}[${i}]: got ${a}, expected ${e} (error ${err} > ${bound})`);
    }
  }
}

/** Runs a kernel on both backends and compares every output. */
export async function compareKernel<K extends KernelName>(
  name: K,
  inputs: HostInputs,
  attrs: KernelAttrs<K>,
  tolerance: Tolerance = {},
  context = '',
): Promise<void> {
  const { cpu, wasm } = await backends();
  const expected = runKernel(cpu, name, inputs, attrs);
  const actual = runKernel(wasm, name, inputs, attrs);
  expect(Object.keys(actual).sort(), `${name} outputs`).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) {
    expectClose(actual[key], expected[key], tolerance, `${name}${context} ${key}`);
  }
}
